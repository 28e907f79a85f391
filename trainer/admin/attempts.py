"""Site administration: where one account stands with each assessment, and granting attempts.

The page calls the same service (``quizzes.grants.grant_attempts``) that the
organisation pages use for their members; a site admin may grant to anyone.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from trainer import db
from trainer.accounts.forms import ConfirmForm
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import shown_catalogue
from trainer.models import User
from trainer.quizzes.grants import MAX_ATTEMPTS_PER_GRANT, GrantRefused, grant_attempts
from trainer.quizzes.services import attempt_rules

bp = Blueprint("admin_attempts", __name__, url_prefix="/admin")


def _account(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users/<int:user_id>/attempts")
@roles_required("admin")
def user_attempts(user_id: int) -> ResponseReturnValue:
    user = _account(user_id)
    courses = [c for c in shown_catalogue().courses.values() if c.assessment is not None]
    return render_template(
        "admin/attempts.html",
        person=user,
        standing=[(c, attempt_rules(db.session(), user, c)) for c in courses],
        most=MAX_ATTEMPTS_PER_GRANT,
        form=ConfirmForm(),
    )


@bp.post("/users/<int:user_id>/attempts")
@roles_required("admin")
def grant(user_id: int) -> ResponseReturnValue:
    user = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    course = shown_catalogue().courses.get(request.form.get("course", ""))
    number = request.form.get("attempts", "")
    if course is None or not number.isdigit():
        flash(_("Choose a course and a number of attempts."), "error")
        return redirect(url_for("admin_attempts.user_attempts", user_id=user.id))
    try:
        grant_attempts(
            db.session(),
            user,
            course,
            int(number),
            granted_by=current_user,
            reason=request.form.get("reason", ""),
        )
    except GrantRefused as error:
        flash(str(error), "error")
        return redirect(url_for("admin_attempts.user_attempts", user_id=user.id))
    db.session().commit()
    flash(
        ngettext(
            "%(name)s has %(num)d more attempt at %(course)s.",
            "%(name)s has %(num)d more attempts at %(course)s.",
            int(number),
            name=user.full_name,
            course=course.title,
        ),
        "success",
    )
    return redirect(url_for("admin_attempts.user_attempts", user_id=user.id))
