"""Attempts: start or resume, save answers as the learner goes, submit exactly once.

Functions take the session as an argument and only flush. Submission is
atomic and idempotent: the attempt row is locked (``FOR UPDATE`` on PostgreSQL;
SQLite writers take the database lock at BEGIN), graded once, and every later
submit returns the stored result.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from trainer.content.model import Course
from trainer.i18n.formatting import local_datetime_utc
from trainer.models import Attempt, User, utcnow
from trainer.quizzes.draw import draw_items, presentation
from trainer.quizzes.grading import round_score
from trainer.quizzes.grants import grants_for
from trainer.quizzes.items import AnswerError, ItemResult
from trainer.quizzes.policy import AttemptPolicy, PastAttempt, allowance

#: Answers that arrive this long after the deadline are still accepted (network delay).
DEADLINE_GRACE = timedelta(seconds=15)


class QuizError(ValueError):
    """An action the rules do not allow now, with a message for the learner."""

    def __init__(self, message: str, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class AttemptRules:
    """Where a learner stands with a course's assessment (the policy: ``policy.py``)."""

    used: int
    submitted: tuple[Attempt, ...]  # newest first
    max_attempts: int  # in a set; 0: no limit
    passed: bool
    open_attempt: Attempt | None
    next_start_at: datetime | None  # when the cool-down ends, if it has not
    attempts_left: int | None = None  # None: no limit
    #: When a new set of attempts opens, when none are left and the wait renews them.
    renews_at: datetime | None = None
    #: A self-registered learner's sets renew after a wait; a member asks their admin.
    renews_by_waiting: bool = False

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and self.attempts_left != 0 and self.next_start_at is None


def attempt_rules(
    db: Session, user: User, course: Course, now: datetime | None = None
) -> AttemptRules:
    assessment = course.assessment
    if assessment is None:
        raise QuizError(_("This course has no assessment."), "no_assessment")
    now = now or utcnow()
    attempts = db.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.course_slug == course.slug)
    ).all()
    submitted = [a for a in attempts if a.submitted]
    open_attempt = next((a for a in attempts if not a.submitted), None)
    renews_by_waiting = user.organisation_id is None
    policy = AttemptPolicy(
        max_attempts=assessment.max_attempts,
        renewal_wait=timedelta(days=assessment.retry_after_days) if renews_by_waiting else None,
    )
    left = allowance(
        policy,
        [PastAttempt(a.started_at, a.submitted_at) for a in attempts],
        grants_for(db, user, course.slug),
        now,
    )
    next_start = None
    if submitted and assessment.cooldown_minutes and left.left != 0:
        last = max(a.submitted_at for a in submitted if a.submitted_at)
        ready = last + timedelta(minutes=assessment.cooldown_minutes)
        next_start = ready if ready > now else None
    return AttemptRules(
        used=len(attempts),
        submitted=tuple(sorted(submitted, key=lambda a: a.submitted_at or now, reverse=True)),
        max_attempts=assessment.max_attempts,
        passed=any(a.passed for a in submitted),
        open_attempt=open_attempt,
        next_start_at=next_start,
        attempts_left=left.left,
        renews_at=left.renews_at,
        renews_by_waiting=renews_by_waiting,
    )


def start_attempt(
    db: Session, user: User, course: Course, now: datetime | None = None
) -> tuple[Attempt, bool]:
    """Resume the open attempt, or start a new one in ``course``'s language; (attempt, created).

    An open attempt resumes in the language it was started in.
    """
    now = now or utcnow()
    rules = attempt_rules(db, user, course, now)
    if rules.open_attempt is not None:
        if not is_expired(rules.open_attempt, now):
            return rules.open_attempt, False
        finish_attempt(db, rules.open_attempt, course, now=now)
        rules = attempt_rules(db, user, course, now)
    if rules.attempts_left == 0:
        raise QuizError(no_attempts_message(rules), "no_attempts_left")
    if rules.next_start_at is not None:
        raise QuizError(
            _(
                "You can start a new attempt at %(time)s.",
                time=local_datetime_utc(rules.next_start_at),
            ),
            "cooling_down",
        )
    assert course.assessment is not None
    seed = secrets.randbits(48)
    item_ids = draw_items(course.items, course.assessment, seed)
    items = [course.item(i) for i in item_ids]
    limit = course.assessment.time_limit_minutes
    attempt = Attempt(
        id=secrets.token_urlsafe(16),
        user_id=user.id,
        course_slug=course.slug,
        course_version=course.version,
        # The variant read: its stems, feedback and review are shown for this attempt.
        language=course.language,
        seed=seed,
        item_ids=item_ids,
        item_versions={i.id: i.version for i in items if i},
        presentation=presentation([i for i in items if i], seed),
        answers={},
        started_at=now,
        deadline_at=now + timedelta(minutes=limit) if limit else None,
    )
    try:
        with db.begin_nested():
            db.add(attempt)
    except IntegrityError:
        # Another request opened one at the same moment: resume that one.
        db.expire_all()
        existing = attempt_rules(db, user, course, now).open_attempt
        if existing is None:
            raise
        return existing, False
    return attempt, True


def no_attempts_message(rules: AttemptRules) -> str:
    """Why no attempt can start now, and what opens the next one (never a dead end)."""
    used = ngettext(
        "You have used your only attempt at this assessment.",
        "You have used all %(num)d attempts at this assessment.",
        rules.max_attempts or 0,
    )
    if rules.renews_at is not None:
        then = ngettext(
            "Your next attempt opens at %(time)s.",
            "A new set of %(num)d attempts opens at %(time)s.",
            rules.max_attempts,
            time=local_datetime_utc(rules.renews_at),
        )
    else:
        then = _("Your organisation's administrator can give you more attempts.")
    return f"{used} {then}"


def is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    return (
        attempt.deadline_at is not None and (now or utcnow()) > attempt.deadline_at + DEADLINE_GRACE
    )


def find_attempt(db: Session, attempt_id: str, user: User, *, lock: bool = False) -> Attempt | None:
    """The user's attempt, optionally locked for update; None if missing or someone else's.

    Callers answer both cases the same way, so an attempt id reveals nothing.
    """
    statement = select(Attempt).where(Attempt.id == attempt_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    attempt = db.scalar(statement)
    return attempt if attempt is not None and attempt.user_id == user.id else None


def save_answer(
    db: Session,
    attempt: Attempt,
    course: Course,
    item_id: str,
    answer: Any,
    now: datetime | None = None,
) -> None:
    """Keep one answer; ``None`` clears it. Raises QuizError or AnswerError saying why not."""
    now = now or utcnow()
    if attempt.submitted:
        raise QuizError(_("This attempt is already submitted."), "already_submitted")
    if is_expired(attempt, now):
        finish_attempt(db, attempt, course, now=now)
        raise QuizError(_("Time is up: your saved answers have been submitted."), "time_up")
    item = course.item(item_id)
    if item is None or item_id not in attempt.item_ids:
        raise QuizError(_("Item '%(id)s' is not part of this attempt.", id=item_id), "unknown_item")
    answers = dict(attempt.answers)
    if answer is None:
        answers.pop(item_id, None)
    else:
        answers[item_id] = item.item_type.check_answer(item, answer)
    attempt.answers = answers  # a new dict, so the change is noticed and stored
    db.flush()


@dataclass(frozen=True)
class Grade:
    """The outcome of grading an attempt, before it is stored."""

    answers: dict[str, Any]
    results: dict[str, dict[str, Any]]
    graded: dict[str, ItemResult]  # with the feedback, which ``results`` does not keep
    score: float
    max_score: float
    passed: bool


def grade_attempt(
    attempt: Attempt, course: Course, answers: dict[str, Any] | None, now: datetime
) -> Grade:
    """Grade the saved answers, with ``answers`` merged over them if in time. Pure.

    Raises AnswerError for an answer that does not fit its item.
    """
    merged = dict(attempt.answers)
    if answers and not is_expired(attempt, now):
        for item_id, answer in answers.items():
            item = course.item(item_id)
            if item is None or item_id not in attempt.item_ids:
                raise AnswerError(_("Item '%(id)s' is not part of this attempt.", id=item_id))
            merged[item_id] = item.item_type.check_answer(item, answer)
    results, graded, total = {}, {}, 0.0
    for item_id in attempt.item_ids:
        item = course.item(item_id)
        result = item.grade(merged.get(item_id)) if item else None
        score = result.score if result else 0.0  # an item removed since: counts as wrong
        total += score
        results[item_id] = {
            "score": score,
            "max_score": 1.0,
            "correct": bool(result and result.correct),
            "version": item.version if item else None,
        }
        if result is not None:
            graded[item_id] = result
    max_score = float(len(attempt.item_ids))
    passed = bool(max_score) and 100 * total / max_score >= course.pass_mark - 1e-9
    return Grade(merged, results, graded, round_score(total), max_score, passed)


def finish_attempt(
    db: Session,
    attempt: Attempt,
    course: Course,
    answers: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Grade and close the attempt once. Later calls return it unchanged.

    ``answers`` (from the API) are merged over the saved ones, unless the time
    limit has passed: then only what was saved in time counts. The result is
    stored by one UPDATE that only closes an attempt still open, so a second
    submission can never grade it again, whatever reached the row first.
    """
    if attempt.submitted:
        return attempt
    now = now or utcnow()
    grade = grade_attempt(attempt, course, answers, now)
    db.flush()  # anything pending on the attempt goes first
    closed = {
        "answers": grade.answers,
        "results": grade.results,
        "score": grade.score,
        "max_score": grade.max_score,
        "passed": grade.passed,
        "submitted_at": now,
    }
    stored = db.execute(_CLOSE_OPEN_ATTEMPT, {"attempt_id": attempt.id, **closed}).rowcount
    if not stored:  # another request closed it first: show what it stored
        db.refresh(attempt)
        return attempt
    for key, value in closed.items():
        set_committed_value(attempt, key, value)  # what the row now holds
    attempt.graded = grade.graded
    return attempt


_attempts = Attempt.__table__
_CLOSE_OPEN_ATTEMPT = (
    update(_attempts)
    .where(_attempts.c.id == bindparam("attempt_id"), _attempts.c.submitted_at.is_(None))
    .values(
        {
            name: bindparam(name)
            for name in ("answers", "results", "score", "max_score", "passed", "submitted_at")
        }
    )
)


def passed_courses(db: Session, user: User) -> set[str]:
    """Slugs of the courses whose assessment the user has passed."""
    return set(
        db.scalars(
            select(Attempt.course_slug).where(Attempt.user_id == user.id, Attempt.passed.is_(True))
        )
    )
