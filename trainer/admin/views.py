"""Site administration: the list of accounts."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, or_, select

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.models import User
from trainer.orgs.access import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


@bp.get("/users")
@roles_required("admin")
def users() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()
    page = page_number(request.args)
    statement = select(User)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(User.email.like(pattern), func.lower(User.full_name).like(pattern))
        )
    total = db.session().scalar(select(func.count()).select_from(statement.subquery())) or 0
    people = (
        db.session()
        .scalars(statement.order_by(User.email).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
        .all()
    )
    return render_template(
        "admin/users.html",
        users=people,
        query=query,
        page=page,
        total=total,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
    )


from trainer.admin import organisations  # noqa: E402,F401  (registers its routes on bp)
