"""Invitations: a new learner gets a single-use link to set their password.

The link is a password-reset token (``trainer.accounts.services``) that lives
for :data:`INVITATION_MAX_AGE` instead of an hour. Sending is a job, not a
service: it commits after each message, so a run stopped half-way never sends
anyone a second invitation.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.accounts.services import issue_password_reset
from trainer.mail import send_mail
from trainer.models import Invitation, Organisation, User, utcnow

INVITATION_MAX_AGE = timedelta(days=14)
#: An upload with more new learners than this leaves their invitations to
#: ``trainer reminders send`` (cron), so the request stays short.
SEND_INLINE_LIMIT = 200


def invitation_text(user: User, organisation: Organisation, link: str) -> str:
    days = INVITATION_MAX_AGE.days
    return (
        f"Hello {user.full_name},\n\n{organisation.name} has enrolled you in Trainer, "
        "training on recognising and responding to human trafficking.\n\n"
        f"Open this link within {days} days to set your password; it works once:\n\n{link}\n\n"
        "If it has expired, use 'Forgot your password?' on the sign-in page."
    )


def send_invitations(
    db: Session, *, organisation_id: int | None = None, limit: int | None = None
) -> list[str]:
    """Send pending invitations (oldest first); return the addresses written to."""
    statement = select(Invitation).where(Invitation.sent_at.is_(None))
    if organisation_id is not None:
        statement = statement.where(Invitation.organisation_id == organisation_id)
    pending = db.scalars(statement.order_by(Invitation.created_at).limit(limit)).all()
    base_url = current_app.config["BASE_URL"]
    max_age = int(INVITATION_MAX_AGE.total_seconds())
    sent = []
    for invitation in pending:
        user = db.get(User, invitation.user_id)
        organisation = db.get(Organisation, invitation.organisation_id)
        invitation.sent_at = utcnow()
        if user is None or organisation is None or user.password_hash is not None:
            db.commit()  # already has a password: nothing to send
            continue
        token = issue_password_reset(db, user, max_age)
        db.commit()
        link = f"{base_url}/account/reset/{token}"
        send_mail(
            user.email,
            f"{organisation.name}: your Trainer account",
            invitation_text(user, organisation, link),
        )
        sent.append(user.email)
    return sent


def send_after_enrolment(db: Session, organisation_id: int, created: int) -> bool:
    """Invite the learners an enrolment just created, when few enough to do it in the
    request; True when sent, False when left to ``trainer reminders send``."""
    if created == 0:
        return True
    if created > SEND_INLINE_LIMIT:
        return False
    send_invitations(db, organisation_id=organisation_id, limit=SEND_INLINE_LIMIT)
    return True
