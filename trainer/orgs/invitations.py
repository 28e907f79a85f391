"""Invitations: a new learner gets a single-use link to set their password.

The link is a password-reset token (``trainer.accounts.services``) that lives
for :data:`INVITATION_MAX_AGE` instead of an hour. Sending is a job, not a
service: it commits after each message, so a run stopped half-way never sends
anyone a second invitation.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.accounts.services import issue_password_reset
from trainer.i18n import writing_in
from trainer.mail import send_mail
from trainer.models import Invitation, Organisation, User, utcnow

INVITATION_MAX_AGE = timedelta(days=14)
#: An upload with more new learners than this leaves their invitations to
#: ``trainer reminders send`` (cron), so the request stays short.
SEND_INLINE_LIMIT = 200


def invitation_message(user: User, organisation: Organisation, link: str) -> tuple[str, str]:
    """The subject and text of an invitation, in the invited person's language."""
    with writing_in(user.locale):
        subject = _("%(organisation)s: your Trainer account", organisation=organisation.name)
        body = _(
            "Hello %(name)s,\n\n%(organisation)s has enrolled you in Trainer, training on "
            "recognising and responding to human trafficking.\n\nOpen this link within "
            "%(days)d days to set your password; it works once:\n\n%(link)s\n\n"
            "If it has expired, use 'Forgot your password?' on the sign-in page.",
            name=user.full_name,
            organisation=organisation.name,
            days=INVITATION_MAX_AGE.days,
            link=link,
        )
    return subject, body


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
        send_mail(user.email, *invitation_message(user, organisation, link))
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
