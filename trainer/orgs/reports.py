"""Completion reports, computed in the database with GROUP BY.

Per learner and assigned course (a "pair") the status is one of
``not_started``, ``in_progress`` or ``completed``; a pair not completed after
its due date is also *overdue*. Completed means: a current certificate, or every
module done and the assessment passed (what the learner's own progress page says).

:func:`completion` groups pairs by the member's unit, profession and course in
SQL, then adds the unit rows up to the level shown (the children of the chosen
unit) — a sum over at most units by professions by courses rows, never a loop over
learners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from trainer.content.model import Catalogue
from trainer.models import Attempt, Certificate, ModuleCompletion, OrgUnit, User
from trainer.orgs.assignments import assigned_courses, courses_repeat
from trainer.orgs.scope import Scope
from trainer.orgs.units import unit_labels

STATUSES = ("not_started", "in_progress", "completed", "overdue")
PAGE_SIZE = 50
NO_UNIT = "(no unit)"


@dataclass(frozen=True)
class ReportFilters:
    unit: OrgUnit | None = None
    profession: str | None = None
    course: str | None = None
    status: str | None = None
    #: A curriculum's slug and its courses: only those courses count.
    curriculum: str | None = None
    curriculum_courses: tuple[str, ...] = ()


@dataclass
class CompletionRow:
    unit_id: int | None
    unit: str
    profession: str
    course: str
    assigned: int = 0
    started: int = 0
    completed: int = 0
    overdue: int = 0
    certificates: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.assigned) if self.assigned else 0

    def as_dict(self) -> dict[str, object]:
        return {
            "unit_id": self.unit_id,
            "unit": self.unit,
            "profession": self.profession,
            "course": self.course,
            "assigned": self.assigned,
            "started": self.started,
            "completed": self.completed,
            "overdue": self.overdue,
            "certificates": self.certificates,
        }


@dataclass(frozen=True)
class LearnerRow:
    user_id: int
    name: str
    email: str
    unit: str
    profession: str
    course: str
    status: str
    overdue: bool
    due: date
    certificate_id: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "email": self.email,
            "unit": self.unit,
            "profession": self.profession,
            "course": self.course,
            "status": "overdue" if self.overdue else self.status,
            "due": self.due.isoformat(),
            "certificate_id": self.certificate_id,
        }


@dataclass
class LearnerPage:
    rows: list[LearnerRow] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _per_course(
    catalogue: Catalogue, column: ColumnElement[str], values: dict[str, int]
) -> ColumnElement[int]:
    whens = [(column == slug, literal(v)) for slug, v in values.items()]
    return case(*whens, else_=literal(0)) if whens else literal(0)


def _facts(scope: Scope, *, grouped: bool, dedupe: bool) -> Select:
    """Per pair: modules done, attempts (1 tried, 2 passed) and a current certificate.

    ``grouped`` (PostgreSQL): aggregate the organisation's progress once and
    hash-join it to the pairs. Otherwise (SQLite, which has no hash join):
    correlated subqueries, each answered from an index on (user, course), so the
    work grows with the pairs asked about, not with the whole progress table.
    """
    pairs = assigned_courses(scope.organisation.id, dedupe=dedupe).subquery("pairs")
    if grouped:
        return _grouped_facts(scope, pairs)
    modules = (
        select(func.count())
        .where(ModuleCompletion.user_id == pairs.c.user_id)
        .where(ModuleCompletion.course_slug == pairs.c.course_slug)
        .scalar_subquery()
    )
    tried = (
        select(func.max(case((Attempt.passed.is_(True), 2), else_=1)))
        .where(Attempt.user_id == pairs.c.user_id, Attempt.course_slug == pairs.c.course_slug)
        .scalar_subquery()
    )
    issued = (
        select(func.max(Certificate.id))
        .where(Certificate.user_id == pairs.c.user_id)
        .where(Certificate.course_slug == pairs.c.course_slug)
        .where(Certificate.superseded_at.is_(None), Certificate.revoked_at.is_(None))
        .scalar_subquery()
    )
    return _facts_columns(scope, pairs, modules, func.coalesce(tried, 0), issued)


def _facts_columns(scope: Scope, pairs: Any, modules: Any, tried: Any, issued: Any) -> Select:
    statement = select(
        pairs.c.user_id,
        pairs.c.unit_id,
        pairs.c.profession,
        pairs.c.course_slug,
        pairs.c.due_on,
        modules.label("modules"),
        tried.label("tried"),
        issued.label("certificate_id"),
    )
    if scope.unit is not None:  # the pairs are the organisation's; keep the scope's
        in_scope = select(OrgUnit.id).where(OrgUnit.path.startswith(scope.unit.path))
        statement = statement.where(pairs.c.unit_id.in_(in_scope))
    return statement


def _grouped_facts(scope: Scope, pairs: Any) -> Select:
    members = select(User.id).where(User.organisation_id == scope.organisation.id)

    def per_pair(model: Any, *columns: Any, where: tuple = ()) -> Any:
        return (
            select(model.user_id, model.course_slug, *columns)
            .where(model.user_id.in_(members), *where)
            .group_by(model.user_id, model.course_slug)
            .subquery()
        )

    done = per_pair(ModuleCompletion, func.count().label("n"))
    tried = per_pair(Attempt, func.max(case((Attempt.passed.is_(True), 2), else_=1)).label("t"))
    current = (Certificate.superseded_at.is_(None), Certificate.revoked_at.is_(None))
    issued = per_pair(Certificate, func.max(Certificate.id).label("id"), where=current)
    statement = _facts_columns(
        scope, pairs, func.coalesce(done.c.n, 0), func.coalesce(tried.c.t, 0), issued.c.id
    )
    for sub in (done, tried, issued):
        same = and_(sub.c.user_id == pairs.c.user_id, sub.c.course_slug == pairs.c.course_slug)
        statement = statement.outerjoin(sub, same)
    return statement


def pair_rows(db: Session, scope: Scope, catalogue: Catalogue, today: date) -> Select:
    """SQL: one row per learner in scope and assigned course, with its status."""
    # Materialised, so each correlated subquery runs once per pair, not once per use.
    grouped = db.get_bind().dialect.name == "postgresql"
    dedupe = courses_repeat(db, scope.organisation.id)
    facts = _facts(scope, grouped=grouped, dedupe=dedupe).cte("facts").prefix_with("MATERIALIZED")
    courses = catalogue.courses.items()
    modules_total = _per_course(
        catalogue, facts.c.course_slug, {s: len(c.modules) for s, c in courses}
    )
    no_quiz = _per_course(
        catalogue, facts.c.course_slug, {s: int(c.assessment is None) for s, c in courses}
    )
    completed = or_(
        facts.c.certificate_id.is_not(None),
        and_(facts.c.modules >= modules_total, or_(facts.c.tried == 2, no_quiz == 1)),
    )
    started = or_(facts.c.modules > 0, facts.c.tried > 0, completed)
    status = case((completed, "completed"), (started, "in_progress"), else_="not_started")
    return select(
        facts.c.user_id,
        facts.c.unit_id,
        facts.c.profession,
        facts.c.course_slug,
        facts.c.due_on,
        status.label("status"),
        case((and_(~completed, facts.c.due_on < today), 1), else_=0).label("overdue"),
        case((started, 1), else_=0).label("started"),
        case((completed, 1), else_=0).label("completed"),
        facts.c.certificate_id,
    )


def filtered(rows: Select, filters: ReportFilters) -> Select:
    sub = rows.subquery("pair")
    statement = select(sub)
    if filters.unit is not None:
        in_unit = select(OrgUnit.id).where(OrgUnit.path.startswith(filters.unit.path))
        statement = statement.where(sub.c.unit_id.in_(in_unit))
    if filters.profession:
        statement = statement.where(sub.c.profession == filters.profession)
    if filters.course:
        statement = statement.where(sub.c.course_slug == filters.course)
    if filters.curriculum:
        statement = statement.where(sub.c.course_slug.in_(filters.curriculum_courses))
    if filters.status == "overdue":
        statement = statement.where(sub.c.overdue == 1)
    elif filters.status in STATUSES:
        statement = statement.where(sub.c.status == filters.status)
    return statement


def completion(
    db: Session, scope: Scope, catalogue: Catalogue, filters: ReportFilters, today: date
) -> list[CompletionRow]:
    """Rows by unit (children of the chosen unit), profession and course."""
    pair = filtered(pair_rows(db, scope, catalogue, today), filters).subquery("f")
    grouped = db.execute(
        select(
            pair.c.unit_id,
            pair.c.profession,
            pair.c.course_slug,
            func.count(),
            func.sum(pair.c.started, type_=Integer),
            func.sum(pair.c.completed, type_=Integer),
            func.sum(pair.c.overdue, type_=Integer),
            func.count(pair.c.certificate_id),
        ).group_by(pair.c.unit_id, pair.c.profession, pair.c.course_slug)
    ).all()
    return _roll_up(db, scope, filters.unit or scope.unit, grouped)


def _roll_up(db: Session, scope: Scope, base: OrgUnit | None, grouped: list) -> list[CompletionRow]:
    units = {u.id: u for u in db.scalars(select(OrgUnit).where(scope.units_condition()))}
    labels = unit_labels(db, units.values())
    depth = base.depth if base is not None else 0
    rows: dict[tuple[int | None, str, str], CompletionRow] = {}
    for unit_id, profession, course, *counts in grouped:
        unit = units.get(unit_id)
        shown = None if unit is None else unit.ancestor_ids[min(depth, len(unit.ancestor_ids) - 1)]
        key = (shown, profession, course)
        row = rows.get(key)
        if row is None:
            label = labels.get(shown, NO_UNIT) if shown is not None else NO_UNIT
            row = rows[key] = CompletionRow(shown, label, profession, course)
        row.assigned += counts[0]
        row.started += counts[1] or 0
        row.completed += counts[2] or 0
        row.overdue += counts[3] or 0
        row.certificates += counts[4] or 0
    return sorted(rows.values(), key=lambda r: (r.unit.casefold(), r.profession, r.course))


def learners(
    db: Session,
    scope: Scope,
    catalogue: Catalogue,
    filters: ReportFilters,
    today: date,
    *,
    page: int = 1,
    page_size: int | None = PAGE_SIZE,
) -> LearnerPage:
    """One row per learner and assigned course; ``page_size=None`` returns every row."""
    pair = filtered(pair_rows(db, scope, catalogue, today), filters).subquery("f")
    total = db.scalar(select(func.count()).select_from(pair)) or 0
    statement = (
        select(pair, User.full_name, User.email)
        .join(User, User.id == pair.c.user_id)
        .order_by(User.full_name, User.email, pair.c.course_slug)
    )
    page = max(1, page)
    if page_size is not None:
        statement = statement.limit(page_size).offset((page - 1) * page_size)
    result = db.execute(statement).mappings().all()
    units = list(db.scalars(select(OrgUnit).where(OrgUnit.id.in_({r["unit_id"] for r in result}))))
    labels = unit_labels(db, units)
    rows = [
        LearnerRow(
            user_id=r["user_id"],
            name=r["full_name"],
            email=r["email"],
            unit=labels.get(r["unit_id"], NO_UNIT),
            profession=r["profession"],
            course=r["course_slug"],
            status=r["status"],
            overdue=bool(r["overdue"]),
            due=r["due_on"],
            certificate_id=r["certificate_id"],
        )
        for r in result
    ]
    return LearnerPage(rows, total, page, page_size or max(total, 1))
