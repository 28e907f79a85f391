"""``trainer reminders send``: due-soon and overdue reminders, and a digest for admins.

Idempotent through the ``reminders`` log, whose unique key is (user, assignment,
kind, period):

- ``due_soon``: once per learner and assignment (period: the due date), when it
  falls due within the window (default 7 days) and is not complete;
- ``overdue``: once a week per learner and assignment (period: the ISO week);
- ``digest``: once a day per org admin (period: the date), when something in
  their scope is due soon or overdue.

A message is claimed in the log, sent, then committed; when sending fails the
claim is rolled back and the next run tries again. This is a job, not a
service: it commits after each message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.content.model import Catalogue
from trainer.i18n import writing_in
from trainer.i18n.formatting import local_date
from trainer.mail import send_mail
from trainer.models import Assignment, Organisation, OrgUnit, Reminder, User
from trainer.orgs.assignments import assigned_learners
from trainer.orgs.reports import ReportFilters, completion, pair_rows
from trainer.orgs.scope import Scope

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class SentReminder:
    kind: str
    email: str
    subject: str


def _claim(db: Session, user_id: int, assignment_id: int | None, kind: str, period: str) -> bool:
    try:
        with db.begin_nested():
            db.add(Reminder(user_id=user_id, assignment_id=assignment_id, kind=kind, period=period))
    except IntegrityError:
        return False
    return True


def _deliver(db: Session, claim: tuple, to: str, subject: str, body: str) -> bool:
    if not _claim(db, *claim):
        return False
    try:
        send_mail(to, subject, body)
    except Exception:
        db.rollback()
        raise
    db.commit()
    return True


def send_reminders(
    db: Session, catalogue: Catalogue, *, today: date, within_days: int = DUE_SOON_DAYS
) -> list[SentReminder]:
    """Send what is due today; what was already sent for the same period is skipped."""
    horizon = today + timedelta(days=within_days)
    sent: list[SentReminder] = []
    org_ids = db.scalars(
        select(Assignment.organisation_id).where(Assignment.due_on <= horizon).distinct()
    ).all()
    for org_id in org_ids:
        organisation = db.get(Organisation, org_id)
        if organisation is None:
            continue
        sent += _learner_reminders(db, catalogue, organisation, today, horizon)
        sent += _admin_digests(db, catalogue, organisation, today, horizon)
    return sent


def _incomplete(db: Session, catalogue: Catalogue, organisation: Organisation, today: date) -> set:
    """(user_id, course_slug) pairs not completed, in one query."""
    rows = pair_rows(db, Scope(organisation), catalogue, today).subquery()
    statement = select(rows.c.user_id, rows.c.course_slug).where(rows.c.status != "completed")
    return {(user_id, course) for user_id, course in db.execute(statement)}


def _learner_reminders(
    db: Session, catalogue: Catalogue, organisation: Organisation, today: date, horizon: date
) -> list[SentReminder]:
    assignments = {
        a.id: a
        for a in db.scalars(
            select(Assignment).where(
                Assignment.organisation_id == organisation.id, Assignment.due_on <= horizon
            )
        )
    }
    if not assignments:
        return []
    incomplete = _incomplete(db, catalogue, organisation, today)
    members = assigned_learners(organisation.id).subquery()
    pairs = db.execute(
        select(members.c.assignment_id, User.id, User.email, User.full_name, User.locale)
        .join(User, User.id == members.c.user_id)
        .where(members.c.assignment_id.in_(list(assignments)))
        .order_by(User.email)
    ).all()
    week = "{}-W{:02d}".format(*today.isocalendar()[:2])
    sent = []
    for assignment_id, user_id, email, name, locale in pairs:
        assignment = assignments[assignment_id]
        left = [c for c in assignment.course_slugs if (user_id, c) in incomplete]
        if not left:
            continue
        overdue = assignment.due_on < today
        kind, period = ("overdue", week) if overdue else ("due_soon", assignment.due_on.isoformat())
        with writing_in(locale):
            subject, body = _learner_message(
                catalogue, organisation, assignment, name, left, overdue
            )
        if _deliver(db, (user_id, assignment_id, kind, period), email, subject, body):
            sent.append(SentReminder(kind, email, subject))
    return sent


def _learner_message(
    catalogue: Catalogue,
    organisation: Organisation,
    assignment: Assignment,
    name: str,
    left: list[str],
    overdue: bool,
) -> tuple[str, str]:
    """A learner's reminder, in the language of the block it is called in (``writing_in``)."""
    due = local_date(assignment.due_on)
    if overdue:
        subject = _("Overdue: %(title)s", title=assignment.title)
    else:
        subject = _("Due %(date)s: %(title)s", date=due, title=assignment.title)
    titles = "\n".join(
        f"- {catalogue.courses[c].title if c in catalogue.courses else c}" for c in left
    )
    body = _(
        "Hello %(name)s,\n\n%(organisation)s asked you to complete by %(date)s:\n\n%(courses)s",
        name=name,
        organisation=organisation.name,
        date=due,
        courses=titles,
    )
    if overdue:
        body += "\n\n" + _("This is now overdue.")
    dashboard = f"{current_app.config['BASE_URL']}/dashboard"
    body += "\n\n" + _("Continue at %(link)s", link=dashboard) + "\n"
    return subject, body


def _admin_digests(
    db: Session, catalogue: Catalogue, organisation: Organisation, today: date, horizon: date
) -> list[SentReminder]:
    admins = db.scalars(
        select(User).where(
            User.organisation_id == organisation.id, User.role == "org_admin", User.active.is_(True)
        )
    ).all()
    sent = []
    for admin in admins:
        unit = db.get(OrgUnit, admin.admin_unit_id) if admin.admin_unit_id else None
        scope = Scope(organisation, unit)
        rows = completion(db, scope, catalogue, ReportFilters(), today)
        assigned = sum(r.assigned for r in rows)
        if not assigned:
            continue
        by_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in rows:
            totals = by_unit[row.unit]
            totals[0] += row.assigned
            totals[1] += row.completed
            totals[2] += row.overdue
        with writing_in(admin.locale):
            subject, body = _digest(organisation, admin, by_unit, today)
        if _deliver(db, (admin.id, None, "digest", today.isoformat()), admin.email, subject, body):
            sent.append(SentReminder("digest", admin.email, subject))
    return sent


def _digest(
    organisation: Organisation, admin: User, by_unit: dict[str, list[int]], today: date
) -> tuple[str, str]:
    """An admin's daily digest, in the language of the block it is called in."""
    lines = "\n".join(
        "- "
        + _(
            "%(unit)s: %(done)d of %(total)d completed, %(late)d overdue",
            unit=label,
            done=done,
            total=total,
            late=late,
        )
        for label, (total, done, late) in sorted(by_unit.items())
    )
    subject = _(
        "%(organisation)s: training completion on %(date)s",
        organisation=organisation.name,
        date=local_date(today),
    )
    body = _(
        "Hello %(name)s,\n\nAssigned training in the units you manage:\n\n%(lines)s\n\n"
        "Details: %(link)s\n",
        name=admin.full_name,
        lines=lines,
        link=f"{current_app.config['BASE_URL']}/orgs/{organisation.slug}/reports",
    )
    return subject, body
