"""Site admins: authentication events, disabling and enabling accounts, changing roles.

A disabled account cannot sign in, its API tokens are refused and its sessions
are ended at once (``User.active`` is checked on every request and token use).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer import db
from trainer.accounts import services
from trainer.accounts.account_security import event_row
from trainer.accounts.auth_events import events_for, record_auth_event
from trainer.accounts.roles import roles_required
from trainer.accounts.signin_limits import request_network
from trainer.admin.views import bp
from trainer.models import ROLES, User

EVENTS_SHOWN = 200


def set_active(dbs: Session, admin: User, user: User, active: bool) -> None:
    """Disable (ending sessions, revoking tokens) or enable an account; audited."""
    if user.id == admin.id:
        raise services.AccountError(_("You cannot disable your own account."))
    user.active = active
    if not active:
        services.end_login_sessions(dbs, user)
        services.revoke_api_tokens(dbs, user)
    action = "auth.account_enabled" if active else "auth.account_disabled"
    record_auth_event(dbs, action, user, actor=admin, network=request_network())


def change_role(dbs: Session, admin: User, user: User, role: str) -> None:
    """Give ``user`` another role; their tokens go, since a token carries its role's reach."""
    if role not in ROLES:
        raise services.AccountError(_("Unknown role."))
    if user.id == admin.id:
        raise services.AccountError(_("You cannot change your own role."))
    if role == user.role:
        return
    before, user.role = user.role, role
    services.revoke_api_tokens(dbs, user)
    record_auth_event(
        dbs,
        "auth.role_changed",
        user,
        actor=admin,
        network=request_network(),
        before=before,
        after=role,
    )


@bp.get("/security-events")
@roles_required("admin")
def security_events() -> ResponseReturnValue:
    dbs = db.session()
    account = request.args.get("account", "").strip()
    user = services.find_user_by_email(dbs, account) if account else None
    unknown = bool(account) and user is None
    events = [] if unknown else events_for(dbs, user.id if user else None, limit=EVENTS_SHOWN)
    ids = {int(e.target_id) for e in events if e.target_id} | {e.actor_id for e in events}
    people = {u.id: u.email for u in dbs.scalars(select(User).where(User.id.in_(ids)))}
    return render_template(
        "admin/security_events.html",
        events=[event_row(e) for e in events],
        people=people,
        account=account,
        unknown=unknown,
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def user(user_id: int) -> ResponseReturnValue:
    dbs = db.session()
    person = dbs.get(User, user_id)
    if person is None:
        abort(404)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        action = request.form.get("action", "")
        try:
            if action in ("disable", "enable"):
                set_active(dbs, current_user, person, action == "enable")
            elif action == "role":
                change_role(dbs, current_user, person, request.form.get("role", ""))
            else:
                abort(400)
        except services.AccountError as error:
            dbs.rollback()
            flash(str(error), "error")
        else:
            dbs.commit()
            flash(_("Saved."), "success")
        return redirect(url_for("admin.user", user_id=user_id))
    events = [event_row(e) for e in events_for(dbs, person.id, limit=50)]
    return render_template("admin/user.html", person=person, form=form, roles=ROLES, events=events)
