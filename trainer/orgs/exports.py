"""CSV exports of the reports, every cell guarded against formula injection. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from trainer.csvsafe import csv_text
from trainer.orgs.reports import CompletionRow, LearnerRow

COMPLETION_COLUMNS = (
    "unit",
    "profession",
    "course",
    "assigned",
    "started",
    "completed",
    "overdue",
    "certificates",
)
LEARNER_COLUMNS = (
    "name",
    "email",
    "unit",
    "profession",
    "course",
    "status",
    "due",
    "certificate_id",
)


def _csv(columns: tuple[str, ...], rows: Iterable[dict[str, object]]) -> str:
    return csv_text(columns, ([row[c] for c in columns] for row in rows))


def completion_csv(rows: Iterable[CompletionRow]) -> str:
    return _csv(COMPLETION_COLUMNS, (r.as_dict() for r in rows))


def learners_csv(rows: Iterable[LearnerRow]) -> str:
    return _csv(LEARNER_COLUMNS, (r.as_dict() for r in rows))
