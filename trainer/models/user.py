"""Accounts, their login sessions, API tokens and password-reset tokens.

Secrets (session ids, API tokens, reset tokens) are stored only as SHA-256
hashes: a copy of the database gives nobody a way in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from trainer.models.base import Base, UTCDateTime, utcnow
from trainer.models.organisation import Organisation
from trainer.models.orgs import OrgUnit

ROLES = ("learner", "org_admin", "verifier", "admin")


class User(Base):
    __tablename__ = "users"
    # Allows plain (unmapped) per-request attributes such as current_login_session.
    __allow_unmapped__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so uniqueness is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Exactly as it must be printed on certificates, in any script.
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    profession: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    # State or province as an ISO 3166-2 code ("US-MI", "CA-ON"); rules follow it.
    region: Mapped[str | None] = mapped_column(String(8))
    # An IANA time zone ("America/Detroit"); None shows times in UTC.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # A slug from the licence-type vocabulary in courses/ ("nurse", "cosmetologist").
    licence_type: Mapped[str | None] = mapped_column(String(64))
    licence_number: Mapped[str | None] = mapped_column(String(64))
    licensing_board: Mapped[str | None] = mapped_column(String(200))
    # The interface language the person chose; None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    # The unit the person works in (one at most), within their organisation.
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_units.id", ondelete="SET NULL"), index=True
    )
    # For an org_admin: the unit whose subtree they manage; None means the whole organisation.
    admin_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_units.id", ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A second factor (trainer.accounts.mfa): the TOTP secret once enrolment is
    # confirmed, and the last time step accepted, so a code works only once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column()

    organisation: Mapped[Organisation | None] = relationship()
    unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[unit_id])

    # Set when the user is loaded for a request: the login session it came with,
    # by id and secret; the row itself is loaded only when asked for.
    login_session_id: int | None = None
    login_token: str | None = None
    _login_session: LoginSession | None = None
    # Set when the user comes with an API token: that token's scope (trainer.api.scopes).
    token_scope: str | None = None
    # Set when the login session's last request is due to be written again.
    seen_due: bool = False

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        # The id Flask-Login keeps in the cookie is the login session's secret,
        # not the user id, so that a session can be ended on the server.
        return self.login_token

    @property
    def current_login_session(self) -> LoginSession | None:
        """The login session of this request, loaded on first use.

        Only signing out and the account page need the row; every signed-in
        request would otherwise pay for loading it.
        """
        if self._login_session is None and self.login_session_id is not None:
            db = object_session(self)
            login = db.get(LoginSession, self.login_session_id) if db is not None else None
            if login is not None:
                login.token = self.login_token
            self._login_session = login
        return self._login_session

    def signed_in_with(self, login_session_id: int, token: str) -> None:
        """Record which login session (by id and secret) this request came with."""
        if login_session_id != self.login_session_id:
            self._login_session = None
        self.login_session_id, self.login_token = login_session_id, token

    @current_login_session.setter
    def current_login_session(self, login: LoginSession | None) -> None:
        self._login_session = login
        self.login_session_id = login.id if login is not None else None
        self.login_token = login.token if login is not None else None

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of ``roles``; site admins hold them all."""
        return self.role == "admin" or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(Base):
    """One signed-in browser. Logging out or changing the password ends it."""

    __tablename__ = "login_sessions"
    __allow_unmapped__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Remember-me: not ended by the idle timeout (TRAINER_SESSION_IDLE_MINUTES).
    remembered: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User] = relationship()

    # The plain token exists only in memory, right after creation or lookup.
    token: str | None = None


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    # The first characters, shown on the account page to tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the token may do (trainer.api.scopes); "full" only for tokens made before scopes.
    scope: Mapped[str] = mapped_column(String(20), default="full", server_default="full")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A single-use code that stands in for the TOTP code when the phone is lost."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
