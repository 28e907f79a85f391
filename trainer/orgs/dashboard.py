"""What a learner's dashboard shows of their organisation's assignments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from trainer.learning.progress import COMPLETED, CourseProgress
from trainer.models import User
from trainer.orgs.assignments import assignments_of
from trainer.orgs.names import assignment_title


@dataclass(frozen=True)
class AssignedCourse:
    slug: str
    title: str
    status: str


@dataclass(frozen=True)
class LearnerAssignment:
    title: str
    due: date
    courses: tuple[AssignedCourse, ...]
    done: bool
    overdue: bool


def learner_assignments(
    db: Session, user: User, progress: dict[str, CourseProgress], today: date
) -> list[LearnerAssignment]:
    """The learner's assignments, soonest due first, with each course's status."""
    shown = []
    for assignment in assignments_of(db, user):
        courses = tuple(
            AssignedCourse(slug, progress[slug].course.title, progress[slug].status)
            for slug in assignment.course_slugs
            if slug in progress
        )
        done = all(c.status == COMPLETED for c in courses)
        overdue = not done and assignment.due_on < today
        title = assignment_title(assignment)  # in the learner's language
        shown.append(LearnerAssignment(title, assignment.due_on, courses, done, overdue))
    return shown
