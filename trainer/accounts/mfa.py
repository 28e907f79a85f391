"""A second factor: TOTP (RFC 6238, through pyotp) with single-use recovery codes.

Optional for everyone; required for the roles in ``MFA_REQUIRED_ROLES``
(``TRAINER_MFA_REQUIRED_ROLES``, by default ``admin``). A code is accepted once:
the last accepted time step is stored and a later sign-in must use a newer one,
written by a conditional UPDATE so two requests cannot both use one code.
Recovery codes are stored as SHA-256 hashes and spent by a conditional UPDATE too.
"""

from __future__ import annotations

import base64
import secrets
import time

import pyotp
from flask import current_app
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from trainer.models import RecoveryCode, User, utcnow
from trainer.security import token_digest, verify_password

RECOVERY_CODES = 10
ISSUER = "Trainer"


def required_for(user: User) -> bool:
    """Whether ``user``'s role must use a second factor (a setting)."""
    return user.role in current_app.config["MFA_REQUIRED_ROLES"]


def enabled(user: User) -> bool:
    return user.totp_secret is not None and user.totp_enabled_at is not None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg_data_uri(text: str, size: int = 200) -> str:
    """``text`` as a QR code, an SVG data URI (drawn as certificates draw theirs)."""
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step ``code`` belongs to (this one or a neighbour, for clock drift)."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    for offset in (0, -1, 1):
        at = now + offset * totp.interval
        if secrets.compare_digest(totp.at(at), code):
            return at // totp.interval
    return None


def confirm_enrolment(db: Session, user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on if ``code`` fits ``secret``; the new recovery codes, or None."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    return new_recovery_codes(db, user)


def new_recovery_codes(db: Session, user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones; only their hashes are kept."""
    db.execute(update(RecoveryCode).where(RecoveryCode.user_id == user.id).values(used_at=utcnow()))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.add_all(RecoveryCode(user_id=user.id, code_hash=token_digest(code)) for code in codes)
    db.flush()
    return codes


def check_code(db: Session, user: User, code: str) -> str | None:
    """Spend a TOTP or recovery code: "totp", "recovery", or None when it does not work."""
    if not enabled(user):
        return None
    step = _matching_step(user.totp_secret or "", code)
    if step is not None:
        spent = db.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        return "totp" if spent == 1 else None
    digest = token_digest("".join(code.split()).lower())
    spent = db.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    return "recovery" if spent == 1 else None


def recovery_codes_left(db: Session, user: User) -> int:
    rows = db.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(rows.all())


def disable(db: Session, user: User, password: str) -> bool:
    """Turn the second factor off after checking the password; False if it is wrong."""
    if not verify_password(user.password_hash, password):
        return False
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.execute(update(RecoveryCode).where(RecoveryCode.user_id == user.id).values(used_at=utcnow()))
    db.flush()
    return True
