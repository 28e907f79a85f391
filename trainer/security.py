"""Passwords, secret tokens, safe redirects and HTTP security headers."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from zxcvbn import zxcvbn

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256

#: zxcvbn's score a new password needs: 3 is "safely unguessable", about 10^8 guesses or more.
MIN_PASSWORD_SCORE = 3


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def hash_password(password: str) -> str:
    """Hash with argon2id at the configured cost."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; an account without a password never matches."""
    if not password_hash:
        # Spend the same time as a real check, so unknown accounts cannot be timed.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is too weak, or None. Follows NIST SP 800-63B: length and blocklist."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Use at most %(count)d characters.", count=MAX_PASSWORD_LENGTH)
    lowered = password.lower()
    if len(set(lowered)) < 4 or _guessable(password, email, name):
        return _("This password is too common or too easy to guess. Choose another.")
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return _("Do not use your email address in your password.")
    if name and name.lower().replace(" ", "") == lowered.replace(" ", ""):
        return _("Do not use your name as your password.")
    return None


def _guessable(password: str, email: str, name: str) -> bool:
    """Whether zxcvbn finds ``password`` in fewer than about 10^8 guesses.

    zxcvbn checks the 30,000 most common passwords of its breach corpus, 100,000
    common English words, names and surnames, with l33t substitutions, reversals,
    keyboard walks, sequences, repeats and dates (Wheeler, USENIX Security 2016):
    "P@ssw0rd2024!" is caught though no list holds it. The account's email and
    name count as known words. zxcvbn reads the first 72 characters.
    """
    known = [email, email.split("@")[0], name, *name.split(), "trainer"]
    result = zxcvbn(password, user_inputs=[word for word in known if word])
    return int(result["score"]) < MIN_PASSWORD_SCORE


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    """A random URL-safe secret, optionally with a readable prefix."""
    return prefix + secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a secret token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site, never another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 32 for ch in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def init_input_checks(app: Flask) -> None:
    """Refuse NUL characters in the address, query, form fields and JSON with a clear 400.

    No text field means one, and PostgreSQL cannot store one: without this, a NUL
    typed into a search box would reach the database and fail there. (Uploaded
    files are checked by ``trainer.uploads``, which says where the NUL is.)
    """

    @app.before_request
    def _refuse_nul() -> None:
        fields = [request.path, *request.args.keys(), *request.args.values()]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields += [*request.form.keys(), *request.form.values()]
        if any("\x00" in field for field in fields) or (
            request.is_json and _has_nul(request.get_json(silent=True))
        ):
            abort(400, _("The request contains a NUL character (\\0), which no field accepts."))


def _personal() -> bool:
    """Whether the response was made for someone: a signed-in browser or an API token."""
    return "Authorization" in request.headers or current_user.is_authenticated


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def init_security_headers(app: Flask) -> None:
    """Send the protective headers with every response, unless a view set its own.

    Added where the response starts (WSGI), after Flask has finished with it:
    appending to a plain list costs a tenth of what Flask's header object does,
    and no response, error pages included, can leave without them.
    """
    protective = SECURITY_HEADERS
    if app.config["SESSION_COOKIE_SECURE"]:
        protective += (("Strict-Transport-Security", "max-age=31536000"),)
    app.wsgi_app = SecurityHeaders(app.wsgi_app, protective)  # type: ignore[method-assign]

    @app.after_request
    def _private(response: Response) -> Response:
        if request.endpoint != "static" and _personal():
            # Staff lists, reports and certificates: never kept by a shared cache or proxy.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class SecurityHeaders:
    """WSGI middleware: add ``headers`` to every response that lacks them."""

    def __init__(self, wsgi_app: WSGIApplication, headers: tuple[tuple[str, str], ...]) -> None:
        self.wsgi_app = wsgi_app
        self.headers = headers

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers.extend(h for h in self.headers if h[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per key set.

    Flask builds the serializer on every request, and itsdangerous then
    serialises an empty dict to learn what it returns: a fifth of the time of a
    bare request. The keys are the cache key, so a changed secret applies at once.
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # Most requests leave the cookie as it is: say so without first working
        # out every attribute a new cookie would need, as Flask does.
        if session and not self.should_set_cookie(app, session):
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


_signed_csrf: OrderedDict[tuple[str, str], str] = OrderedDict()
_signed_csrf_lock = threading.Lock()
SIGNED_CSRF_ENTRIES = 4096


def csrf_token() -> str:
    """The signed CSRF token for the session, as Flask-WTF's ``generate_csrf`` makes it.

    ``generate_csrf`` signs the session's CSRF secret anew on every request
    (a timestamped signature, a tenth of the module page's time). With
    ``WTF_CSRF_TIME_LIMIT`` off the timestamp is never checked, so the token
    first signed for a secret stays exactly as valid as a fresh one for as
    long as the session keeps that secret; it is reused. A new session (as
    at every sign-in) has a new secret, and so a new token.
    """
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field) if field not in g else None
    if raw is None or config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    key = (str(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key), str(raw))
    with _signed_csrf_lock:
        token = _signed_csrf.get(key)
    if token is not None:
        setattr(g, field, token)  # where generate_csrf and Flask-WTF's forms look first
        return token
    token = generate_csrf()
    with _signed_csrf_lock:
        _signed_csrf[key] = token
        if len(_signed_csrf) > SIGNED_CSRF_ENTRIES:
            _signed_csrf.popitem(last=False)
    return token
