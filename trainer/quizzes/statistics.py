"""Item statistics from submitted attempts: which items work, and what learners miss.

- Facility index: the mean score on an item (0 = nobody gets it, 1 = everybody).
- Discrimination index (upper-lower): among attempts that drew the item, the
  mean item score of the best 27% (by score on the *other* items) minus that of
  the weakest 27%. Near 0 or negative flags an item to review.
- Distribution: how often each answer (or option, or branching choice) was chosen.

The arithmetic is pure (:func:`item_statistics`); :func:`course_item_statistics`
only fetches the attempts, for a course and optionally one organisation.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.content.model import Course
from trainer.models import Attempt, User

GROUP_SHARE = 0.27
MIN_FOR_DISCRIMINATION = 10
#: Reports show an item's (or indicator's) facility and discrimination only from this
#: many answers. Below it, two or three learners decide the figure, and an author or a
#: manager would read noise as a verdict on the item or on their staff.
MIN_ANSWERS_SHOWN = 20
NO_ANSWER = "(no answer)"


@dataclass(frozen=True)
class GradedAttempt:
    """What statistics need of one submitted attempt."""

    scores: dict[str, float]  # item id -> score (out of 1)
    answers: dict[str, Any]


@dataclass(frozen=True)
class ItemStatistics:
    item_id: str
    attempts: int
    facility: float
    discrimination: float | None
    distribution: dict[str, int] = field(default_factory=dict)


def _chosen(answer: Any) -> list[str]:
    """The answer as countable choices: a list counts each element, an order counts whole."""
    if answer is None:
        return [NO_ANSWER]
    if isinstance(answer, list):
        return [str(a) for a in answer] or [NO_ANSWER]
    return [str(answer)]


def item_statistics(
    attempts: Sequence[GradedAttempt], ordered: frozenset[str] = frozenset()
) -> dict[str, ItemStatistics]:
    """Statistics per item. ``ordered`` names ordering items, whose answers count as a whole."""
    by_item: dict[str, list[tuple[float, float]]] = defaultdict(list)  # (item score, rest score)
    distribution: dict[str, Counter[str]] = defaultdict(Counter)
    for attempt in attempts:
        total = sum(attempt.scores.values())
        for item_id, score in attempt.scores.items():
            by_item[item_id].append((score, total - score))
            answer = attempt.answers.get(item_id)
            if item_id in ordered and answer is not None:
                distribution[item_id][json.dumps(answer)] += 1
            else:
                distribution[item_id].update(_chosen(answer))
    return {
        item_id: ItemStatistics(
            item_id=item_id,
            attempts=len(pairs),
            facility=round(sum(s for s, _rest in pairs) / len(pairs), 3),
            discrimination=_discrimination(pairs),
            distribution=dict(distribution[item_id].most_common()),
        )
        for item_id, pairs in by_item.items()
    }


def _discrimination(pairs: list[tuple[float, float]]) -> float | None:
    if len(pairs) < MIN_FOR_DISCRIMINATION:
        return None
    ranked = sorted(pairs, key=lambda pair: pair[1])
    size = max(1, round(len(ranked) * GROUP_SHARE))
    lower, upper = ranked[:size], ranked[-size:]
    return round(sum(s for s, _ in upper) / size - sum(s for s, _ in lower) / size, 3)


def indicator_facility(
    stats: dict[str, ItemStatistics], course: Course
) -> list[tuple[str, float, int]]:
    """Per indicator: the mean facility of its items, weighted by attempts; hardest first."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for item in course.items:
        stat = stats.get(item.id)
        if stat is None:
            continue
        for indicator in item.indicators:
            totals[indicator][0] += stat.facility * stat.attempts
            totals[indicator][1] += stat.attempts
    rows = [(slug, round(score / count, 3), int(count)) for slug, (score, count) in totals.items()]
    return sorted(rows, key=lambda row: row[1])


def graded_attempts(
    db: Session, course_slug: str, organisation_id: int | None = None
) -> list[GradedAttempt]:
    statement = select(Attempt.results, Attempt.answers).where(
        Attempt.course_slug == course_slug, Attempt.submitted_at.is_not(None)
    )
    if organisation_id is not None:
        statement = statement.join(User, User.id == Attempt.user_id).where(
            User.organisation_id == organisation_id
        )
    return [
        GradedAttempt({i: r["score"] for i, r in (results or {}).items()}, answers or {})
        for results, answers in db.execute(statement)
    ]


def course_item_statistics(
    db: Session, course: Course, organisation_id: int | None = None
) -> dict[str, ItemStatistics]:
    """Statistics for every item of ``course`` drawn at least once (optionally: one org)."""
    ordered = frozenset(i.id for i in course.items if i.type == "ordering")
    return item_statistics(graded_attempts(db, course.slug, organisation_id), ordered)
