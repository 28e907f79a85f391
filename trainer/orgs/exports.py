"""CSV exports of the reports, every cell guarded against formula injection. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from trainer.csvsafe import safe_cell
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row[c]) for c in columns])
    return out.getvalue()


def completion_csv(rows: Iterable[CompletionRow]) -> str:
    return _csv(COMPLETION_COLUMNS, (r.as_dict() for r in rows))


def learners_csv(rows: Iterable[LearnerRow]) -> str:
    return _csv(LEARNER_COLUMNS, (r.as_dict() for r in rows))
