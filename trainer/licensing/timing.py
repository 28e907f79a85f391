"""Time on task: a module cannot be marked complete, nor a course credited, faster than read.

The clock starts when a learner first opens a module (its page, or the API's GET
of it). ``TRAINER_READING_TIME_SHARE`` (default 0.5) is the share of a module's
estimated minutes that must pass before it can be marked complete; 0 turns the
rule off. A certificate never credits more hours than passed between the first
opening of any of the course's modules and the completion.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.content.model import Course, Module
from trainer.db import DriverQuery, end_reading
from trainer.models import ModuleCompletion, ModuleOpening, User, utcnow

#: Credit is counted in quarter hours, as continuing-education providers do.
CREDIT_STEP = 0.25


def reading_share() -> float:
    """The configured share; 0 when time on task is not enforced."""
    return float(current_app.config.get("READING_TIME_SHARE", 0.0))


def earliest_completion(opened_at: datetime, minutes: int, share: float) -> datetime:
    """The first moment a module opened at ``opened_at`` may be marked complete. Pure."""
    return opened_at + timedelta(minutes=minutes * share)


def credited_hours(credit_hours: float, first_opened: datetime, completed_at: datetime) -> float:
    """The course's hours, capped at the time that passed, in whole quarter hours. Pure."""
    elapsed = max((completed_at - first_opened).total_seconds(), 0.0) / 3600
    return min(credit_hours, math.floor(elapsed / CREDIT_STEP) * CREDIT_STEP)


_OPENED = DriverQuery(
    select(ModuleOpening.id).where(
        ModuleOpening.user_id == bindparam("user_id"),
        ModuleOpening.course_slug == bindparam("course_slug"),
        ModuleOpening.module_slug == bindparam("module_slug"),
    )
)


def record_opening(db: Session, user: User, course: Course, module: Module) -> bool:
    """Note the first time ``user`` opens ``module``; True when newly recorded.

    Most calls find the row already there, with one cheap indexed read; the
    unique constraint settles two first openings at the same moment.
    """
    if _OPENED.rows(db, user_id=user.id, course_slug=course.slug, module_slug=module.slug):
        return False
    _start_writing(db)
    try:
        with db.begin_nested():
            db.add(ModuleOpening(user_id=user.id, course_slug=course.slug, module_slug=module.slug))
    except IntegrityError:
        return False
    return True


def _start_writing(db: Session) -> None:
    """On a page view, end the read-only transaction so the insert begins one that may write.

    SQLite refuses to upgrade a read transaction to a write under contention
    ("database is locked"); a fresh transaction begun IMMEDIATE waits its turn.
    """
    if has_request_context() and not (db.new or db.dirty or db.deleted):
        end_reading(db)


def opened_at(db: Session, user: User, course: Course, module: Module) -> datetime | None:
    return db.scalar(
        select(ModuleOpening.opened_at).where(
            ModuleOpening.user_id == user.id,
            ModuleOpening.course_slug == course.slug,
            ModuleOpening.module_slug == module.slug,
        )
    )


def too_early(
    db: Session, user: User, course: Course, module: Module, now: datetime | None = None
) -> datetime | None:
    """When the module may be marked complete, if that is still in the future; else None.

    A module never opened (an API client that skipped the GET) starts its clock now.
    """
    share = reading_share()
    if share <= 0:
        return None
    record_opening(db, user, course, module)
    started = opened_at(db, user, course, module)
    assert started is not None
    ready = earliest_completion(started, module.minutes, share)
    return ready if ready > (now or utcnow()) else None


def course_first_opened(db: Session, user: User, course: Course) -> datetime | None:
    """When the learner started the course: the earliest opening or, for progress
    recorded before openings were, the earliest completion (a later moment, so the
    cap can only under-state the time spent)."""
    moments = [
        db.scalar(
            select(func.min(ModuleOpening.opened_at)).where(
                ModuleOpening.user_id == user.id, ModuleOpening.course_slug == course.slug
            )
        ),
        db.scalar(
            select(func.min(ModuleCompletion.completed_at)).where(
                ModuleCompletion.user_id == user.id, ModuleCompletion.course_slug == course.slug
            )
        ),
    ]
    known = [_aware(m) for m in moments if m is not None]
    return min(known) if known else None


def course_hours_cap(
    db: Session, user: User, course: Course, credit_hours: float, now: datetime | None = None
) -> float | None:
    """The most hours a certificate may claim for this learner now; None when not enforced."""
    if reading_share() <= 0:
        return None
    first = course_first_opened(db, user, course)
    if first is None:
        return 0.0
    return credited_hours(credit_hours, first, now or utcnow())


def _aware(moment: datetime) -> datetime:
    # SQLite returns aggregates as naive values in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
