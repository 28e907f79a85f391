"""Passwords, secret tokens, safe redirects and HTTP security headers."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256

# Passwords that meet the length rule but appear at the top of every breach list.
_COMMON_PASSWORDS = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "data" / "common-passwords.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


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
    if lowered in _COMMON_PASSWORDS or len(set(lowered)) < 4:
        return _("This password is too common or too easy to guess. Choose another.")
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return _("Do not use your email address in your password.")
    if name and name.lower().replace(" ", "") == lowered.replace(" ", ""):
        return _("Do not use your name as your password.")
    return None


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


def init_security_headers(app: Flask) -> None:
    """Send the same protective headers with every response."""

    @app.after_request
    def _set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static" and _personal():
            # Staff lists, reports and certificates: never kept by a shared cache or proxy.
            headers.setdefault("Cache-Control", "private, no-store")
        return response
