"""Login sessions: opening them, the idle timeout, remember-me lengths, ending them.

Split from :mod:`trainer.accounts.services`, which re-exports these names.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from trainer.models import LoginSession, User, utcnow
from trainer.security import new_token, token_digest

SESSION_LIFETIME = timedelta(hours=12)
REMEMBERED_SESSION_LIFETIME = timedelta(days=30)


def start_login_session(
    db: Session, user: User, *, remember: bool, user_agent: str = ""
) -> LoginSession:
    """Open a login session; its token goes into the cookie, its hash into the database."""
    token = new_token()
    login = LoginSession(
        user=user,
        token_hash=token_digest(token),
        user_agent=user_agent[:200],
        expires_at=utcnow() + session_lifetime(user, remember),
        remembered=remember,
    )
    login.token = token
    user.last_login_at = utcnow()
    db.add(login)
    db.flush()
    user.current_login_session = login
    return login


#: Roles whose remember-me is short (``TRAINER_ADMIN_REMEMBER_HOURS``).
ADMIN_ROLES = ("org_admin", "verifier", "admin")


def session_lifetime(user: User, remember: bool) -> timedelta:
    """How long a new session may last: 12 hours, or remembered (shorter for admin roles)."""
    if not remember:
        return SESSION_LIFETIME
    if user.role in ADMIN_ROLES:
        hours = timedelta(hours=_setting("ADMIN_REMEMBER_HOURS", 12))
        return min(REMEMBERED_SESSION_LIFETIME, hours)
    return REMEMBERED_SESSION_LIFETIME


def _setting(name: str, default: int) -> int:
    return int(current_app.config[name]) if has_app_context() else default


#: How often a session's last request is written: not on every request.
SESSION_SEEN_RECORDED_EVERY = timedelta(minutes=1)


# This runs on every signed-in request: one query for the user and what decides
# whether their login session is live, built once; the session's own row is
# loaded only when a page needs it (User.current_login_session).
_USER_BY_LOGIN_TOKEN_HASH = (
    select(
        User,
        LoginSession.id,
        LoginSession.expires_at,
        LoginSession.ended_at,
        LoginSession.last_seen_at,
        LoginSession.remembered,
    )
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def user_for_login_token(db: Session, token: str) -> User | None:
    """The user of a live session, or None when it ended, expired, idled or never existed.

    A session that is not remembered ends after ``SESSION_IDLE_MINUTES`` without a
    request. When its last request is over a minute old, ``user.seen_due`` asks the
    caller to record this one (:func:`record_session_seen`).
    """
    row = db.execute(_USER_BY_LOGIN_TOKEN_HASH, {"token_hash": token_digest(token)}).first()
    if row is None:
        return None
    user, login_id, expires_at, ended_at, last_seen_at, remembered = row
    now = utcnow()
    if ended_at is not None or expires_at <= now or not user.active:
        return None
    idle = timedelta(minutes=_setting("SESSION_IDLE_MINUTES", 60))
    if not remembered and last_seen_at + idle <= now:
        return None
    user.signed_in_with(login_id, token)
    user.seen_due = now - last_seen_at > SESSION_SEEN_RECORDED_EVERY
    return user


def record_session_seen(db: Session, login_id: int) -> None:
    """Write a session's last request: one UPDATE, and only if no other request just did."""
    now = utcnow()
    db.execute(
        update(LoginSession)
        .where(
            LoginSession.id == login_id,
            LoginSession.last_seen_at < now - SESSION_SEEN_RECORDED_EVERY,
        )
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def end_login_sessions(db: Session, user: User, *, keep: LoginSession | None = None) -> int:
    """End every live session of ``user`` except ``keep``; return how many ended."""
    statement = (
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    if keep is not None:
        statement = statement.where(LoginSession.id != keep.id)
    return db.execute(statement).rowcount


def end_login_session(db: Session, login: LoginSession) -> None:
    login.ended_at = utcnow()
    db.flush()
