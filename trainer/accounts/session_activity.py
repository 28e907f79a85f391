"""The idle timeout's other half: write when a signed-in browser was last seen.

:func:`trainer.accounts.login_sessions.user_for_login_token` ends a session that is not
remembered after ``SESSION_IDLE_MINUTES`` without a request. Each request that
comes more than a minute after the last recorded one writes its time, by one
conditional UPDATE after the view, so most requests write nothing.
"""

from __future__ import annotations

from flask import Blueprint, Response, g

from trainer import db
from trainer.accounts.services import record_session_seen

bp = Blueprint("session_activity", __name__)


@bp.after_app_request
def record_activity(response: Response) -> Response:
    user = g.get("_login_user")  # set only when the request looked at who is signed in
    login_id = getattr(user, "login_session_id", None)
    if login_id is None or not getattr(user, "seen_due", False):
        return response
    user.seen_due = False
    session = db.session()
    if session.in_transaction():
        # A view that did not commit meant its work to be dropped, as always.
        session.rollback()
    record_session_seen(session, login_id)
    session.commit()
    return response
