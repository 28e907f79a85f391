"""Recording progress. Functions take the session as an argument and only flush."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.content.model import Catalogue, Course, Module
from trainer.db import DriverQuery
from trainer.learning.progress import CourseProgress
from trainer.models import Attempt, ModuleCompletion, User
from trainer.quizzes.services import passed_courses


def complete_module(db: Session, user: User, course: Course, module: Module) -> bool:
    """Mark ``module`` complete for ``user``; True when newly recorded, False if it already was.

    Safe against double clicks and concurrent requests: the unique constraint
    decides, and the loser of a race sees the winner's row.
    """
    if _completion(db, user, course, module) is not None:
        return False
    try:
        with db.begin_nested():
            db.add(
                ModuleCompletion(
                    user_id=user.id,
                    course_slug=course.slug,
                    module_slug=module.slug,
                    course_version=course.version,
                )
            )
    except IntegrityError:
        return False
    return True


def _completion(db: Session, user: User, course: Course, module: Module) -> ModuleCompletion | None:
    return db.scalar(
        select(ModuleCompletion).where(
            ModuleCompletion.user_id == user.id,
            ModuleCompletion.course_slug == course.slug,
            ModuleCompletion.module_slug == module.slug,
        )
    )


def completed_modules(db: Session, user: User) -> dict[str, frozenset[str]]:
    """Every module the user completed, by course, in one query."""
    done: dict[str, set[str]] = defaultdict(set)
    rows = db.execute(
        select(ModuleCompletion.course_slug, ModuleCompletion.module_slug).where(
            ModuleCompletion.user_id == user.id
        )
    )
    for course_slug, module_slug in rows:
        done[course_slug].add(module_slug)
    return {course: frozenset(modules) for course, modules in done.items()}


def reading_progress(db: Session, user: User, course: Course) -> CourseProgress:
    """Which modules are done, without the assessment: one query, for module pages.

    Its ``status`` never says "completed" for a course with an assessment.
    """
    rows = _MODULES_DONE.rows(db, user_id=user.id, course_slug=course.slug)
    return CourseProgress(course, frozenset(slug for (slug,) in rows))


# Module pages run this on every request, so it goes straight to the driver.
_MODULES_DONE = DriverQuery(
    select(ModuleCompletion.module_slug).where(
        ModuleCompletion.user_id == bindparam("user_id"),
        ModuleCompletion.course_slug == bindparam("course_slug"),
    )
)


def course_progress(db: Session, user: User, course: Course) -> CourseProgress:
    """Modules done, and whether the course's assessment is passed."""
    passed = db.scalar(
        select(Attempt.id)
        .where(
            Attempt.user_id == user.id,
            Attempt.course_slug == course.slug,
            Attempt.passed.is_(True),
        )
        .limit(1)
    )
    return replace(reading_progress(db, user, course), assessment_passed=passed is not None)


def all_progress(db: Session, user: User, catalogue: Catalogue) -> dict[str, CourseProgress]:
    done = completed_modules(db, user)
    passed = passed_courses(db, user)
    return {
        slug: CourseProgress(course, done.get(slug, frozenset()), slug in passed)
        for slug, course in catalogue.courses.items()
    }
