"""Invitations: a new learner gets a single-use link to set their password.

The link is a password-reset token (``trainer.accounts.services``) that lives
for :data:`INVITATION_MAX_AGE` instead of an hour. Sending is a job, not a
service: it commits after each message, and marks an invitation sent only once
the mail server took it, so a failure leaves it pending for the job's next try.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.accounts.services import issue_password_reset
from trainer.i18n import writing_in
from trainer.mail import send_mail
from trainer.models import Invitation, Organisation, User, utcnow

INVITATION_MAX_AGE = timedelta(days=14)


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
        if user is None or organisation is None or user.password_hash is not None:
            invitation.sent_at = utcnow()
            db.commit()  # already has a password: nothing to send
            continue
        token = issue_password_reset(db, user, max_age)
        link = f"{base_url}/account/reset/{token}"
        try:
            send_mail(user.email, *invitation_message(user, organisation, link))
        except Exception:
            db.rollback()  # still pending: the job's retry sends it
            raise
        invitation.sent_at = utcnow()
        db.commit()
        sent.append(user.email)
    return sent


def invitation_counts(db: Session, organisation_id: int) -> dict[str, int]:
    """How many of the organisation's invitations wait for the worker, and how many went out."""
    rows = db.execute(
        select(Invitation.sent_at.is_(None), func.count())
        .where(Invitation.organisation_id == organisation_id)
        .group_by(Invitation.sent_at.is_(None))
    ).all()
    counts = {"waiting": 0, "sent": 0}
    for waiting, number in rows:
        counts["waiting" if waiting else "sent"] += number
    return counts


def send_after_enrolment(organisation_id: int, created: int) -> None:
    """Queue the invitations of the learners an enrolment just created (after its commit);
    the worker (``trainer serve`` or ``trainer worker``) sends them."""
    if created == 0:
        return
    from trainer.jobs import enqueue_invitations

    enqueue_invitations(current_app._get_current_object(), organisation_id)  # type: ignore[attr-defined]
