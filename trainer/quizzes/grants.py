"""Granting a learner more attempts at an assessment: the one service every admin page calls.

Organisation administrators grant to members of their own organisation; site
administrators to anyone. Each grant is a record (``AttemptGrant``) and an audit
event, and the attempt policy (``policy.py``) adds it to the learner's allowance
at once. Functions only flush; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.audit import record_event
from trainer.content.model import Course
from trainer.models import AttemptGrant, User, utcnow
from trainer.quizzes.policy import Grant

#: The most one grant gives: enough for a real second chance, few enough to stay a test.
MAX_ATTEMPTS_PER_GRANT = 5
REASON_LENGTH = 500


class GrantRefused(PermissionError):
    """The actor may not grant attempts to this learner, or not this many; says why."""


def may_grant(actor: User, learner: User) -> bool:
    """Site admins grant to anyone; organisation admins to their own organisation's members."""
    if actor.role == "admin":
        return True
    return (
        actor.role == "org_admin"
        and actor.organisation_id is not None
        and actor.organisation_id == learner.organisation_id
    )


def grant_attempts(
    db: Session,
    learner: User,
    course: Course,
    attempts: int,
    *,
    granted_by: User,
    reason: str = "",
    now: datetime | None = None,
) -> AttemptGrant:
    """Give ``learner`` ``attempts`` more attempts at ``course``'s assessment, from now.

    Raises :class:`GrantRefused` when ``granted_by`` may not, or the number is out of range.
    """
    if not may_grant(granted_by, learner):
        raise GrantRefused(_("You can grant attempts only to members of your own organisation."))
    if course.assessment is None:
        raise GrantRefused(_("This course has no assessment."))
    if not 1 <= attempts <= MAX_ATTEMPTS_PER_GRANT:
        raise GrantRefused(
            _("Grant from 1 to %(max)d attempts at a time.", max=MAX_ATTEMPTS_PER_GRANT)
        )
    grant = AttemptGrant(
        user_id=learner.id,
        course_slug=course.slug,
        attempts=attempts,
        granted_by_id=granted_by.id,
        reason=reason.strip()[:REASON_LENGTH],
        granted_at=now or utcnow(),
    )
    db.add(grant)
    record_event(
        db,
        "attempts.grant",
        actor=granted_by,
        target_type="user",
        target_id=learner.id,
        organisation_id=learner.organisation_id,
        course=course.slug,
        attempts=attempts,
        reason=grant.reason,
    )
    db.flush()
    return grant


def grants_for(db: Session, learner: User, course_slug: str) -> list[Grant]:
    """The learner's grants at a course, as the policy reads them."""
    rows = db.execute(
        select(AttemptGrant.granted_at, AttemptGrant.attempts).where(
            AttemptGrant.user_id == learner.id, AttemptGrant.course_slug == course_slug
        )
    )
    return [Grant(granted_at, attempts) for granted_at, attempts in rows]
