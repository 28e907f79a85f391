"""Quiz insight for an organisation: the items and indicators its staff miss most.

Built on the item statistics of ``trainer.quizzes.statistics``, restricted to
attempts by the organisation's members.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from trainer.content.model import Catalogue, Course
from trainer.quizzes.statistics import course_item_statistics, indicator_facility

SHOWN = 10


@dataclass(frozen=True)
class MissedItem:
    item_id: str
    stem: str  # sanitised HTML from the content
    facility: float
    attempts: int


@dataclass(frozen=True)
class MissedIndicator:
    slug: str
    title: str
    facility: float
    attempts: int


@dataclass(frozen=True)
class CourseInsight:
    course: Course
    items: list[MissedItem]
    indicators: list[MissedIndicator]

    @property
    def attempts(self) -> int:
        return max((i.attempts for i in self.items), default=0)


def course_insight(
    db: Session, catalogue: Catalogue, course: Course, organisation_id: int
) -> CourseInsight:
    stats = course_item_statistics(db, course, organisation_id)
    hardest = sorted(stats.values(), key=lambda s: (s.facility, -s.attempts))[:SHOWN]
    items = [
        MissedItem(s.item_id, item.stem, s.facility, s.attempts)
        for s in hardest
        if (item := course.item(s.item_id)) is not None
    ]
    indicators = [
        MissedIndicator(
            slug,
            catalogue.indicators[slug].title if slug in catalogue.indicators else slug,
            facility,
            count,
        )
        for slug, facility, count in indicator_facility(stats, course)[:SHOWN]
    ]
    return CourseInsight(course, items, indicators)
