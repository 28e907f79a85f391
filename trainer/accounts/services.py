"""Account operations. They take the session as an argument and only flush."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.accounts.auth_events import record_auth_event
from trainer.accounts.jurisdiction import normalise_region
from trainer.accounts.login_sessions import (  # noqa: F401 (re-exported: callers import them here)
    ADMIN_ROLES,
    REMEMBERED_SESSION_LIFETIME,
    SESSION_LIFETIME,
    end_login_session,
    end_login_sessions,
    record_session_seen,
    session_lifetime,
    start_login_session,
    user_for_login_token,
)
from trainer.accounts.profile import NO_LICENCE
from trainer.accounts.scopes import scopes_for
from trainer.email_safety import canonical_email, email_problem
from trainer.i18n.zones import is_zone
from trainer.models import ROLES, ApiToken, PasswordResetToken, User, utcnow
from trainer.security import (
    hash_password,
    new_token,
    password_problem,
    token_digest,
    verify_password,
)
from trainer.text_safety import invisible_problem

API_TOKEN_DAYS = 90  # the default of TRAINER_API_TOKEN_DAYS
API_TOKEN_PREFIX = "trn_"  # noqa: S105 (a visible prefix, not a secret)


class AccountError(ValueError):
    """A request that cannot be carried out, with a message for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return canonical_email(email)  # lower case, IDNA domains in ASCII: see email_safety


def normalise_name(name: str) -> str:
    """NFC-normalise a printed name and fold runs of white space; refuse invisible characters."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    problem = invisible_problem(name, _("Full name"))
    if problem:
        raise AccountError(problem, "full_name")
    return name


def find_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == normalise_email(email)))


@dataclass(frozen=True)
class Profile:
    """What a person tells us about themselves; printed on their certificates."""

    full_name: str
    profession: str | None = None
    country: str | None = None
    licence_type: str | None = None
    licence_number: str | None = None
    licensing_board: str | None = None
    #: ISO 3166-2 ("US-MI"); a bare "MI" is read against the country. Last, so that
    #: profiles written by position keep their meaning.
    region: str | None = None


def create_user(
    db: Session,
    *,
    email: str,
    password: str | None,
    profile: Profile,
    role: str = "learner",
    organisation_id: int | None = None,
) -> User:
    """Create an account. Raises :class:`AccountError` for a taken email or weak password."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.", "role")
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError(problem, "email")
    user = User(email=email, role=role, organisation_id=organisation_id, full_name="")
    apply_profile(user, profile)
    if password is not None:
        # Hashed before the first query: on SQLite a form's transaction takes the
        # write lock at its first statement, and argon2 takes a good part of a second.
        set_password(user, password)
    taken = AccountError(_("An account with this email address already exists."), "email")
    if find_user_by_email(db, email) is not None:
        raise taken
    try:
        # Two registrations of one address at once (a double-clicked form on
        # PostgreSQL): the unique index decides, and the loser gets the same answer.
        with db.begin_nested():
            db.add(user)
    except IntegrityError:
        raise taken from None
    return user


def apply_profile(user: User, profile: Profile) -> None:
    name = normalise_name(profile.full_name)
    if not name:
        raise AccountError(
            _("Enter your full name as it should appear on certificates."), "full_name"
        )
    user.full_name = name
    user.profession = profile.profession or None
    region = normalise_region(profile.region, profile.country)
    user.region = region
    # A region names its country ("US-MI"): a staff list may give only the region.
    user.country = (profile.country or "").upper() or (region.split("-")[0] if region else None)
    licence_type = _clean(profile.licence_type, "licence_type", _("Licence type"))
    user.licence_type = None if licence_type == NO_LICENCE else licence_type
    user.licence_number = _clean(profile.licence_number, "licence_number", _("Licence number"))
    user.licensing_board = _clean(profile.licensing_board, "licensing_board", _("Licensing board"))


def set_timezone(user: User, zone: str | None) -> None:
    """Read times in ``zone`` (an IANA name); None follows the region's default."""
    if zone and not is_zone(zone):
        raise AccountError(_("Unknown time zone; choose one from the list."), "timezone")
    user.timezone = zone or None


def _clean(value: str | None, field: str, label: str) -> str | None:
    value = unicodedata.normalize("NFC", " ".join((value or "").split()))
    problem = invisible_problem(value, label)
    if problem:
        raise AccountError(problem, field)
    return value or None


def check_new_password(password: str, email: str, full_name: str) -> None:
    """Raise :class:`AccountError` when ``password`` may not be used for this account."""
    problem = password_problem(password, email, full_name)
    if problem:
        raise AccountError(problem, "password")


def set_password(user: User, password: str) -> None:
    check_new_password(password, user.email, user.full_name)
    user.password_hash = hash_password(password)


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same None for every failure)."""
    user = find_user_by_email(db, email)
    if user is None:
        verify_password(None, password)  # same cost as a real check
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    return user


def change_password(db: Session, user: User, current: str, new: str) -> int:
    """Change the password, sign out every other browser and revoke every API token.

    Anyone who knew the old password could have made a token with it
    (``POST /api/v1/tokens``), so the tokens go with the password. Returns how many
    tokens were revoked, so the page can say so.
    """
    if not verify_password(user.password_hash, current):
        raise AccountError(_("Your current password is not correct."), "current_password")
    set_password(user, new)
    end_login_sessions(db, user, keep=user.current_login_session)
    revoked = revoke_api_tokens(db, user)
    void_password_resets(db, user)  # a link mailed before the change must not undo it
    record_auth_event(db, "auth.password_changed", user, tokens_revoked=revoked)
    db.flush()
    return revoked


def void_password_resets(db: Session, user: User) -> None:
    """Mark every outstanding reset link of ``user`` as used."""
    db.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def issue_password_reset(db: Session, user: User, max_age_seconds: int) -> str:
    """Create a single-use reset token and return it (only its hash is stored)."""
    token = new_token()
    store_password_reset(db, user, token_digest(token), max_age_seconds)
    return token


def store_password_reset(db: Session, user: User, digest: str, max_age_seconds: int) -> None:
    """Keep a reset token's hash, valid for ``max_age_seconds``."""
    db.add(
        PasswordResetToken(
            user=user,
            token_hash=digest,
            expires_at=utcnow() + timedelta(seconds=max_age_seconds),
        )
    )
    db.flush()


def valid_reset_token(db: Session, token: str) -> PasswordResetToken | None:
    reset = db.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_digest(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset


def reset_password(db: Session, token: str, new_password: str) -> User:
    """Set a new password with a reset token; the token and its siblings stop working.

    The token is spent by one conditional UPDATE (only while unused and unexpired)
    before anything else: of two requests racing with one link, exactly one
    changes the password, on every database.
    """
    reset = valid_reset_token(db, token)
    expired = AccountError(
        _("This reset link has expired or was already used. Ask for a new one."), "token"
    )
    if reset is None:
        raise expired
    user = reset.user
    check_new_password(new_password, user.email, user.full_name)  # a weak one keeps the link
    now = utcnow()
    spent = db.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.id == reset.id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        raise expired
    set_password(user, new_password)
    # Every other outstanding link of this user goes too: only the newest matters,
    # and a leaked older email must not work after the password was changed.
    void_password_resets(db, user)
    end_login_sessions(db, user)
    revoke_api_tokens(db, user)
    record_auth_event(db, "auth.password_reset", user)
    db.flush()
    return user


def create_api_token(
    db: Session, user: User, name: str = "", *, scope: str | None = None, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create an API token; the plain token is returned once and never stored.

    ``scope`` defaults to the role's own (trainer.api.scopes); ``days`` to, and
    at most, the ``API_TOKEN_DAYS`` setting.
    """
    allowed = scopes_for(user.role)
    scope = scope or allowed[0]
    if scope not in allowed:
        raise AccountError(
            f"A {user.role} token may have the scope {', '.join(allowed)}, not {scope!r}.", "scope"
        )
    # Outside an app (a script with a bare session): the setting's default.
    longest = current_app.config["API_TOKEN_DAYS"] if has_app_context() else API_TOKEN_DAYS
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise AccountError(f"A token lasts from 1 to {longest} days.", "days")
    token = new_token(API_TOKEN_PREFIX)
    record = ApiToken(
        user=user,
        name=name.strip()[:100],
        prefix=token[: len(API_TOKEN_PREFIX) + 6],
        token_hash=token_digest(token),
        scope=scope,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.add(record)
    db.flush()
    record_auth_event(db, "auth.token_created", user, token_id=record.id, prefix=record.prefix)
    return record, token


#: How often a token's last use is written: not on every call, which would make
#: every API read a write.
TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)


#: What decides whether an API token may be used, in the order
#: :func:`accept_api_token` takes it after the user.
API_TOKEN_STATE = (
    ApiToken.id,
    ApiToken.revoked_at,
    ApiToken.last_used_at,
    ApiToken.scope,
    ApiToken.expires_at,
)

_USER_BY_API_TOKEN_HASH = (
    select(User, *API_TOKEN_STATE)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


@dataclass(frozen=True)
class TokenUse:
    """A use of an API token that is due to be recorded."""

    token_id: int
    at: datetime


def user_for_api_token(db: Session, token: str) -> tuple[User | None, TokenUse | None]:
    """The active user of a live API token (or None), and its use if due to be recorded."""
    row = db.execute(_USER_BY_API_TOKEN_HASH, {"token_hash": token_digest(token)}).first()
    return accept_api_token(*row) if row is not None else (None, None)


def accept_api_token(
    user: User,
    token_id: int,
    revoked_at: datetime | None,
    last_used_at: datetime | None,
    scope: str = "full",
    expires_at: datetime | None = None,
) -> tuple[User | None, TokenUse | None]:
    """``user`` if the token is live and the account active, and the use to record if due.

    The token's scope is left on the user (``token_scope``) for the API to check.
    """
    now = utcnow()
    if revoked_at is not None or not user.active or (expires_at is not None and expires_at <= now):
        return None, None
    user.token_scope = scope
    if last_used_at is not None and now - last_used_at <= TOKEN_USE_RECORDED_EVERY:
        return user, None
    return user, TokenUse(token_id, now)


def record_token_use(db: Session, use: TokenUse) -> None:
    """Write the token's last use: one plain UPDATE, and only if no other request just did."""
    db.execute(
        _RECORD_TOKEN_USE,
        {"token_id": use.token_id, "now": use.at, "since": use.at - TOKEN_USE_RECORDED_EVERY},
    )


_tokens = ApiToken.__table__
_RECORD_TOKEN_USE = (
    update(_tokens)
    .where(
        _tokens.c.id == bindparam("token_id"),
        or_(_tokens.c.last_used_at.is_(None), _tokens.c.last_used_at < bindparam("since")),
    )
    .values(last_used_at=bindparam("now"))
)


def revoke_api_tokens(db: Session, user: User) -> int:
    """Revoke every live API token of ``user``; return how many there were."""
    statement = (
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return db.execute(statement).rowcount


def revoke_api_token(db: Session, user: User, token_id: int) -> ApiToken:
    record = db.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        raise AccountError(_("No such token."))
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        record_auth_event(db, "auth.token_revoked", user, token_id=record.id, prefix=record.prefix)
    db.flush()
    return record
