"""Completion by person: how many people finished everything assigned to them.

The course-level report (:mod:`trainer.orgs.reports`) counts learner-and-course
*pairs*: a district where 1 of 100 officers finished a two-course curriculum shows
2 of 200 pairs. A ministry reports people, so this module groups the same pairs
twice in SQL — first per person (all their assigned courses, or those of one
curriculum), then per unit and profession — and sums the unit rows up to the
level shown. No learner is looped over in Python.

A person is *complete* when every assigned course is completed, *in progress*
when something is started but not everything is complete, *not started*
otherwise; *overdue* (counted separately, a person can be in progress and
overdue) when an assigned course is not completed after its due date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from trainer.content.model import Catalogue
from trainer.models import OrgUnit
from trainer.orgs.reports import NO_UNIT, ReportFilters, filtered, pair_rows
from trainer.orgs.scope import Scope
from trainer.orgs.units import unit_labels


@dataclass
class PeopleRow:
    unit_id: int | None
    unit: str
    profession: str
    assigned: int = 0
    complete: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.assigned) if self.assigned else 0

    def add(self, other: PeopleRow) -> None:
        self.assigned += other.assigned
        self.complete += other.complete
        self.in_progress += other.in_progress
        self.not_started += other.not_started
        self.overdue += other.overdue

    def as_dict(self) -> dict[str, object]:
        return {
            "unit_id": self.unit_id,
            "unit": self.unit,
            "profession": self.profession,
            "people_assigned": self.assigned,
            "people_complete": self.complete,
            "people_in_progress": self.in_progress,
            "people_not_started": self.not_started,
            "people_overdue": self.overdue,
        }


def _grouped(db: Session, scope: Scope, catalogue: Catalogue, filters: ReportFilters, today: date):
    """SQL rows (unit_id, profession, people, complete, in progress, not started, overdue)."""
    # A person's status comes from all their pairs, so the status filter is not applied.
    pairs = filtered(pair_rows(db, scope, catalogue, today), replace(filters, status=None))
    pair = pairs.subquery("pair")
    person = (
        select(
            pair.c.unit_id,
            pair.c.profession,
            func.count().label("courses"),
            func.sum(pair.c.completed, type_=Integer).label("done"),
            func.sum(pair.c.started, type_=Integer).label("started"),
            func.max(pair.c.overdue).label("late"),
        )
        .group_by(pair.c.user_id, pair.c.unit_id, pair.c.profession)
        .subquery("person")
    )
    complete = person.c.done == person.c.courses
    return db.execute(
        select(
            person.c.unit_id,
            person.c.profession,
            func.count(),
            func.sum(case((complete, 1), else_=0), type_=Integer),
            func.sum(case((~complete & (person.c.started > 0), 1), else_=0), type_=Integer),
            func.sum(case((person.c.started == 0, 1), else_=0), type_=Integer),
            func.sum(person.c.late, type_=Integer),
        ).group_by(person.c.unit_id, person.c.profession)
    ).all()


def people(
    db: Session, scope: Scope, catalogue: Catalogue, filters: ReportFilters, today: date
) -> list[PeopleRow]:
    """People by unit (the children of the chosen unit) and profession."""
    grouped = _grouped(db, scope, catalogue, filters, today)
    units = {u.id: u for u in db.scalars(select(OrgUnit).where(scope.units_condition()))}
    labels = unit_labels(db, units.values())
    base = filters.unit or scope.unit
    depth = base.depth if base is not None else 0
    rows: dict[tuple[int | None, str], PeopleRow] = {}
    for unit_id, profession, *counts in grouped:
        unit = units.get(unit_id)
        shown = None if unit is None else unit.ancestor_ids[min(depth, len(unit.ancestor_ids) - 1)]
        label = labels.get(shown, NO_UNIT) if shown is not None else NO_UNIT
        row = rows.setdefault((shown, profession), PeopleRow(shown, label, profession))
        row.add(PeopleRow(shown, label, profession, *(c or 0 for c in counts)))
    return sorted(rows.values(), key=lambda r: (r.unit.casefold(), r.profession))


def total(rows: list[PeopleRow]) -> PeopleRow:
    """Everyone in the rows, as one row (the headline figure)."""
    whole = PeopleRow(None, "", "")
    for row in rows:
        whole.add(row)
    return whole


def by_unit(rows: list[PeopleRow]) -> list[PeopleRow]:
    """The rows added up per unit, professions together (for the chart)."""
    units: dict[tuple[str, int | None], PeopleRow] = {}
    for row in rows:
        units.setdefault((row.unit, row.unit_id), PeopleRow(row.unit_id, row.unit, "")).add(row)
    return list(units.values())
