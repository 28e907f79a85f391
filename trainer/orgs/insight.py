"""Quiz insight for an organisation: the items and indicators its staff miss most.

Built on the item statistics of ``trainer.quizzes.statistics``, restricted to
attempts by the organisation's members. Items are named by their text, in the
language of the catalogue passed in (the reader's, where the course has it).
Facility and discrimination are given only from ``MIN_ANSWERS_SHOWN`` answers:
below that, the page lists the item with its count and says it is too early to judge.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from trainer.content.model import Catalogue, Course
from trainer.quizzes.statistics import (
    MIN_ANSWERS_SHOWN,
    course_item_statistics,
    indicator_facility,
)

SHOWN = 10


@dataclass(frozen=True)
class MissedItem:
    item_id: str
    stem: str  # sanitised HTML from the content, in the catalogue's language
    facility: float
    attempts: int
    discrimination: float | None = None

    @property
    def enough_answers(self) -> bool:
        return self.attempts >= MIN_ANSWERS_SHOWN


@dataclass(frozen=True)
class MissedIndicator:
    slug: str
    title: str
    facility: float
    attempts: int

    @property
    def enough_answers(self) -> bool:
        return self.attempts >= MIN_ANSWERS_SHOWN


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
    # Items with enough answers, hardest first; then the rest, most answered first,
    # since their facility says nothing yet.
    hardest = sorted(
        stats.values(),
        key=lambda s: (
            (0, s.facility, -s.attempts)
            if s.attempts >= MIN_ANSWERS_SHOWN
            else (1, 0.0, -s.attempts)
        ),
    )[:SHOWN]
    items = [
        MissedItem(s.item_id, item.stem, s.facility, s.attempts, s.discrimination)
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
        for slug, facility, count in sorted(
            indicator_facility(stats, course), key=lambda row: row[2] < MIN_ANSWERS_SHOWN
        )[:SHOWN]
    ]
    return CourseInsight(course, items, indicators)
