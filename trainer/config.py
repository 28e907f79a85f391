"""Settings: ``TRAINER_*`` environment variables, then the instance folder.

Secrets are never hard-coded. When ``TRAINER_SECRET_KEY`` or
``TRAINER_SIGNING_KEY`` is not given, a key is generated once into the instance
folder (file mode 0600) and read back by every later process, so several
workers started at the same moment still agree on one key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from trainer.file_modes import private_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Every setting a site operator can give, with its default and what it is for.
#: tests/test_app.py checks that the README's settings table documents each one.
SETTINGS: dict[str, tuple[str, str]] = {
    "TRAINER_DATABASE_URL": ("SQLite file `trainer.db` in the instance folder", "Database URL"),
    "TRAINER_SECRET_KEY": ("generated once into `instance/secret_key`", "Signs sessions"),
    "TRAINER_INSTANCE_PATH": ("`instance/` beside the project", "Keys, SQLite database"),
    "TRAINER_COURSES_DIR": ("`courses/`", "Course content"),
    "TRAINER_BASE_URL": ("`http://127.0.0.1:5000`", "Used in emails, verify links, QR codes"),
    "TRAINER_SIGNING_KEY": ("P-256 key generated into `instance/` (ES256)", "Signs credentials"),
    "TRAINER_PDF_SIGNING_CERT": (
        "self-signed, generated into `instance/`",
        "Certificate chain sealing PDFs",
    ),
    "TRAINER_PDF_SIGNING_KEY": ("the signing key, if P-256 or RSA", "Key sealing PDFs"),
    "TRAINER_PROVIDER_NAME": ("`Trainer`", "Printed on certificates"),
    "TRAINER_PROVIDER_APPROVAL": ("empty", "Provider approval number on certificates"),
    "TRAINER_READING_TIME_SHARE": (
        "`0.5`",
        "Share of a module's minutes before it can be marked complete; `0` turns it off",
    ),
    "TRAINER_CERTIFICATE_PAPER": ("`A4`", "Certificate paper size: `A4` or `Letter`"),
    "TRAINER_RATELIMIT_STORAGE_URL": ("`memory://`", "`redis://…` with several processes"),
    "TRAINER_QUEUE_URL": (
        "the rate-limit URL when `redis://`, else `instance/jobs.sqlite3`",
        "`redis://…` when several machines run workers",
    ),
    "TRAINER_SMTP_URL": ("unset: mail is written to the log", "Outgoing mail"),
    "TRAINER_MAIL_FROM": ("`Trainer <no-reply@localhost>`", "Sender of outgoing mail"),
    "TRAINER_TRUSTED_PROXIES": ("`0`", "Reverse proxies in front of the app"),
    "TRAINER_MFA_REQUIRED_ROLES": ("`admin`", "Roles that must use a second factor (comma list)"),
    "TRAINER_SESSION_IDLE_MINUTES": ("`60`", "Sign-out after this long without a request"),
    "TRAINER_ADMIN_REMEMBER_HOURS": ("`12`", "Remember-me for admin, org_admin and verifier"),
    "TRAINER_API_TOKEN_DAYS": ("`90`", "Longest lifetime of an API token"),
}


def _roles(value: str | None) -> tuple[str, ...]:
    roles = tuple(r.strip() for r in (value or "").split(",") if r.strip())
    unknown = [r for r in roles if r not in ("learner", "org_admin", "verifier", "admin")]
    if unknown:
        raise ValueError(f"TRAINER_MFA_REQUIRED_ROLES: unknown role(s) {', '.join(unknown)}")
    return roles


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def write_once(path: Path, content: bytes) -> bytes:
    """Create ``path`` with ``content`` (mode 0600) unless it exists; return what is there.

    Written to a temporary file then hard-linked into place, so a concurrent
    process either wins the race or reads the winner's complete file.
    """
    if not path.exists():
        private_folder(path.parent)  # the instance folder: 0700
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_bytes()


def new_signing_key_pem() -> bytes:
    """A new EC P-256 private key (PKCS#8 PEM), for ES256: what every JOSE library accepts."""
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _paper(value: str) -> str:
    for size in ("A4", "Letter"):
        if value.casefold() == size.casefold():
            return size
    raise ValueError(f"TRAINER_CERTIFICATE_PAPER must be A4 or Letter, not {value!r}")


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise ValueError(f"TRAINER_READING_TIME_SHARE must be a number from 0 to 1, not {value!r}")
    return share


def database_url(instance_path: Path) -> str:
    """``TRAINER_DATABASE_URL``, or the SQLite file in the instance folder."""
    return _env("TRAINER_DATABASE_URL") or f"sqlite:///{instance_path / 'trainer.db'}"


def load_settings(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config for one app from the environment and the instance folder."""
    overrides = overrides or {}
    base_url = _env("TRAINER_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    https = base_url.startswith("https://")

    secret_key = overrides.get("SECRET_KEY") or _env("TRAINER_SECRET_KEY")
    if not secret_key:
        secret_key = write_once(
            instance_path / "secret_key", secrets.token_hex(32).encode()
        ).decode()

    signing_key = overrides.get("SIGNING_KEY_PEM") or _env("TRAINER_SIGNING_KEY")
    if signing_key and not signing_key.lstrip().startswith("-----BEGIN"):
        signing_key = Path(signing_key).read_text()  # a path to a PEM file
    if not signing_key:
        signing_key = write_once(instance_path / "signing-key.pem", new_signing_key_pem()).decode()

    courses_dir = _env("TRAINER_COURSES_DIR")
    settings: dict[str, Any] = {
        "SECRET_KEY": secret_key,
        "SIGNING_KEY_PEM": signing_key,
        "DATABASE_URL": database_url(instance_path),
        "COURSES_DIR": Path(courses_dir) if courses_dir else PROJECT_ROOT / "courses",
        "BASE_URL": base_url,
        "PDF_SIGNING_CERT": _env("TRAINER_PDF_SIGNING_CERT"),
        "PDF_SIGNING_KEY": _env("TRAINER_PDF_SIGNING_KEY"),
        "PROVIDER_NAME": _env("TRAINER_PROVIDER_NAME", "Trainer"),
        "PROVIDER_APPROVAL": _env("TRAINER_PROVIDER_APPROVAL", ""),
        "READING_TIME_SHARE": _share(_env("TRAINER_READING_TIME_SHARE", "0.5") or "0.5"),
        "CERTIFICATE_PAPER": _paper(_env("TRAINER_CERTIFICATE_PAPER", "A4") or "A4"),
        "RATELIMIT_STORAGE_URI": _env("TRAINER_RATELIMIT_STORAGE_URL", "memory://"),
        "SMTP_URL": _env("TRAINER_SMTP_URL"),
        # Background jobs (trainer.jobs): sqlite (instance/jobs.sqlite3) or redis://…
        "QUEUE_URL": _env("TRAINER_QUEUE_URL", ""),
        "MAIL_FROM": _env("TRAINER_MAIL_FROM", "Trainer <no-reply@localhost>"),
        "TRUSTED_PROXIES": int(_env("TRAINER_TRUSTED_PROXIES", "0") or 0),
        # Cookies: never readable from scripts, not sent on cross-site POSTs,
        # and only over HTTPS when the site is served over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead of a clock
        # Rate limits, in Flask-Limiter's notation.
        "LOGIN_RATE_LIMIT": "10 per minute;100 per day",
        "LOGIN_PER_ACCOUNT_RATE_LIMIT": "20 per hour",
        "PASSWORD_RESET_RATE_LIMIT": "5 per hour",
        "REGISTER_RATE_LIMIT": "30 per hour;100 per day",
        # Public verification, per client address; batch verification, per verifier.
        "VERIFY_RATE_LIMIT": "30 per minute;300 per hour",
        "VERIFICATIONS_RATE_LIMIT": "60 per hour",
        "VERIFICATIONS_PER_CLIENT_RATE_LIMIT": "120 per hour",
        # Licence numbers looked up in batches (each answers with a name), per verifier.
        "LICENCE_LOOKUP_RATE_LIMIT": "2000 per day",
        # Password hashing cost (argon2id). Tests lower it; production keeps these.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 64 * 1024,
        "PASSWORD_RESET_MAX_AGE": 3600,
        # Authentication (trainer.accounts.mfa, signin_limits; README "Sign-in and sessions").
        "MFA_REQUIRED_ROLES": _roles(_env("TRAINER_MFA_REQUIRED_ROLES", "admin")),
        "SESSION_IDLE_MINUTES": int(_env("TRAINER_SESSION_IDLE_MINUTES", "60") or 60),
        "ADMIN_REMEMBER_HOURS": int(_env("TRAINER_ADMIN_REMEMBER_HOURS", "12") or 12),
        "API_TOKEN_DAYS": int(_env("TRAINER_API_TOKEN_DAYS", "90") or 90),
        "BABEL_DEFAULT_LOCALE": "en",
    }
    settings.update(overrides)
    return settings
