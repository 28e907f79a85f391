"""What a learner can do next after an attempt: the result page never ends in a dead end.

Passed: the certificate is ready (with its link), or the modules still to read
before it is issued. Not passed: try again now, after the cool-down (when, and
how many attempts are left), after the longer wait for a new set (self-registered
learners, ``policy.py``), or ask the organisation's administrator for more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.content.model import Course, Module
from trainer.learning.services import reading_progress
from trainer.models import Certificate, User
from trainer.quizzes.services import AttemptRules, attempt_rules

CERTIFICATE = "certificate"
READ_MODULES = "read_modules"
RESUME = "resume"
TRY_NOW = "try_now"
COOL_DOWN = "cool_down"
NEW_SET = "new_set"
ASK_ADMIN = "ask_admin"


@dataclass(frozen=True)
class NextStep:
    kind: str
    rules: AttemptRules
    certificate: Certificate | None = None
    at: datetime | None = None
    modules_left: int = 0
    next_module: Module | None = None


def next_step(db: Session, user: User, course: Course) -> NextStep:
    """Where ``user`` stands with ``course`` now, as the result page says it."""
    rules = attempt_rules(db, user, course)
    if rules.passed:
        certificate = _certificate(db, user, course.slug)
        if certificate is not None:
            return NextStep(CERTIFICATE, rules, certificate=certificate)
        progress = reading_progress(db, user, course)
        left = len(course.modules) - progress.modules_done
        return NextStep(READ_MODULES, rules, modules_left=left, next_module=progress.next_module)
    if rules.open_attempt is not None:
        return NextStep(RESUME, rules)
    if rules.attempts_left == 0:
        if rules.renews_at is not None:
            return NextStep(NEW_SET, rules, at=rules.renews_at)
        return NextStep(ASK_ADMIN, rules)
    if rules.next_start_at is not None:
        return NextStep(COOL_DOWN, rules, at=rules.next_start_at)
    return NextStep(TRY_NOW, rules)


def _certificate(db: Session, user: User, course_slug: str) -> Certificate | None:
    """The learner's newest certificate for the course that is neither replaced nor revoked."""
    return db.scalar(
        select(Certificate)
        .where(
            Certificate.user_id == user.id,
            Certificate.course_slug == course_slug,
            Certificate.superseded_at.is_(None),
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.issued_at.desc())
        .limit(1)
    )
