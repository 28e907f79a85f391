"""CSV exports of the reports, every cell guarded against formula injection. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from trainer.csvsafe import csv_text
from trainer.orgs.people import PeopleRow
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
PEOPLE_COLUMNS = (
    "unit",
    "profession",
    "people_assigned",
    "people_complete",
    "people_in_progress",
    "people_not_started",
    "people_overdue",
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


def _csv(columns: tuple[str, ...], rows: Iterable[dict[str, object]], sep: str) -> str:
    return csv_text(columns, ([row[c] for c in columns] for row in rows), sep)


def completion_csv(rows: Iterable[CompletionRow], sep: str = ",") -> str:
    return _csv(COMPLETION_COLUMNS, (r.as_dict() for r in rows), sep)


def learners_csv(rows: Iterable[LearnerRow], sep: str = ",") -> str:
    return _csv(LEARNER_COLUMNS, (r.as_dict() for r in rows), sep)


def people_csv(rows: Iterable[PeopleRow], sep: str = ",") -> str:
    return _csv(PEOPLE_COLUMNS, (r.as_dict() for r in rows), sep)
