"""Assignments: courses due by a date, for a unit, a profession within it, or named learners.

Who is assigned is worked out when asked (:func:`assigned_learners`), from the
target, never copied at creation: a learner placed in a unit later inherits
everything assigned to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from trainer.audit import record_event
from trainer.content.model import Catalogue
from trainer.models import (
    Assignment,
    AssignmentCourse,
    AssignmentLearner,
    OrgUnit,
    User,
)
from trainer.orgs.scope import Scope

#: Only learners are assigned; admins placed in a unit are not counted in reports.
ASSIGNED_ROLE = "learner"


class AssignmentError(ValueError):
    """An assignment that cannot be made, with a message saying what to fix."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AssignmentRequest:
    due: date | None
    curriculum: str | None = None
    courses: Sequence[str] = ()
    unit: OrgUnit | None = None
    profession: str | None = None
    emails: Sequence[str] = ()


def _courses(catalogue: Catalogue, request: AssignmentRequest) -> tuple[str | None, list[str], str]:
    """The curriculum slug, its course slugs and a title."""
    if bool(request.curriculum) == bool(request.courses):
        raise AssignmentError(
            _("Choose a curriculum or a list of courses (one of the two)."), "courses"
        )
    if request.curriculum:
        curriculum = catalogue.curricula.get(request.curriculum) or catalogue.default_curriculum(
            request.curriculum
        )
        if curriculum is None:
            known = ", ".join(sorted(catalogue.curricula))
            raise AssignmentError(
                _(
                    "Unknown curriculum '%(slug)s'; use one of %(known)s.",
                    slug=request.curriculum,
                    known=known,
                ),
                "curriculum",
            )
        return curriculum.slug, list(curriculum.courses), curriculum.title
    unknown = [c for c in request.courses if c not in catalogue.courses]
    if unknown:
        known = ", ".join(sorted(catalogue.courses))
        raise AssignmentError(
            _(
                "Unknown course %(slugs)s; use some of %(known)s.",
                slugs=", ".join(unknown),
                known=known,
            ),
            "courses",
        )
    slugs = list(dict.fromkeys(request.courses))
    return None, slugs, ", ".join(catalogue.courses[s].title for s in slugs)


def _named_learners(db: Session, scope: Scope, emails: Sequence[str]) -> list[User]:
    wanted = sorted({e.strip().lower() for e in emails if e.strip()})
    users = list(db.scalars(select(User).where(User.email.in_(wanted), scope.members_condition())))
    missing = sorted(set(wanted) - {u.email for u in users})
    if missing:
        raise AssignmentError(
            _(
                "Not among the staff you manage: %(emails)s. Enrol them first.",
                emails=", ".join(missing),
            ),
            "emails",
        )
    return users


def _target(
    db: Session, scope: Scope, catalogue: Catalogue, request: AssignmentRequest
) -> tuple[OrgUnit | None, list[User]]:
    """The unit (None: the whole organisation) and the named learners, checked."""
    if request.profession and request.profession not in catalogue.professions:
        known = ", ".join(catalogue.professions)
        raise AssignmentError(
            _(
                "Unknown profession '%(value)s'; use one of %(known)s.",
                value=request.profession,
                known=known,
            )
        )
    if request.emails and (request.unit is not None or request.profession):
        raise AssignmentError(
            _("Name learners, or choose a unit and profession: not both."), "emails"
        )
    if request.emails:
        # Named learners are listed in the scope of the admin who named them.
        return scope.unit, _named_learners(db, scope, request.emails)
    if request.unit is None and not scope.whole:
        raise AssignmentError(_("Choose one of the units you manage."), "unit")
    if request.unit is not None and not scope.covers_unit(request.unit):
        raise AssignmentError(_("That unit is not one you manage."), "unit")
    return request.unit, []


def create_assignment(
    db: Session,
    scope: Scope,
    catalogue: Catalogue,
    request: AssignmentRequest,
    *,
    actor: User | None,
    today: date,
) -> Assignment:
    """Check the request against the scope and record the assignment (audited)."""
    curriculum, courses, title = _courses(catalogue, request)
    if request.due is None:
        raise AssignmentError(_("Give a due date (YYYY-MM-DD)."), "due")
    if request.due < today:
        raise AssignmentError(_("The due date is in the past."), "due")
    unit, named = _target(db, scope, catalogue, request)
    assignment = Assignment(
        organisation_id=scope.organisation.id,
        title=title,
        curriculum_slug=curriculum,
        unit_id=unit.id if unit else None,
        profession=None if named else (request.profession or None),
        named=bool(named),
        due_on=request.due,
        created_by_id=actor.id if actor else None,
        courses=[AssignmentCourse(course_slug=s, position=i) for i, s in enumerate(courses)],
    )
    db.add(assignment)
    db.flush()
    db.add_all(AssignmentLearner(assignment_id=assignment.id, user_id=u.id) for u in named)
    record_event(
        db,
        "assignment.create",
        actor=actor,
        target_type="assignment",
        target_id=assignment.id,
        organisation_id=scope.organisation.id,
        courses=courses,
        due=request.due.isoformat(),
        unit=assignment.unit_id,
        profession=assignment.profession,
        learners=len(named),
    )
    db.flush()
    return assignment


def assigned_learners(organisation_id: int) -> Select:
    """SQL: (assignment_id, user_id, unit_id, profession) for every assignment of the
    organisation, resolved now."""
    target, member_unit = aliased(OrgUnit), aliased(OrgUnit)
    learner = and_(User.role == ASSIGNED_ROLE, User.active.is_(True))
    in_org = and_(
        Assignment.organisation_id == organisation_id, User.organisation_id == organisation_id
    )
    profession = or_(Assignment.profession.is_(None), User.profession == Assignment.profession)
    by_unit = (
        select(
            Assignment.id.label("assignment_id"),
            User.id.label("user_id"),
            User.unit_id.label("unit_id"),
            func.coalesce(User.profession, "").label("profession"),
        )
        .join(target, target.id == Assignment.unit_id)
        .join(member_unit, member_unit.path.startswith(target.path))
        .join(User, User.unit_id == member_unit.id)
        .where(Assignment.named.is_(False), in_org, learner, profession)
    )
    person = (User.unit_id, func.coalesce(User.profession, ""))
    whole = (
        select(Assignment.id, User.id, *person)
        .join(User, User.organisation_id == Assignment.organisation_id)
        .where(
            Assignment.named.is_(False), Assignment.unit_id.is_(None), in_org, learner, profession
        )
    )
    named = (
        select(Assignment.id, User.id, *person)
        .join(AssignmentLearner, AssignmentLearner.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentLearner.user_id)
        .where(Assignment.named.is_(True), in_org, learner)
    )
    return union_all(by_unit, whole, named)


def assigned_courses(organisation_id: int, *, dedupe: bool = True) -> Select:
    """SQL: (user_id, unit_id, profession, course_slug, due_on): each learner's assigned
    courses, with the earliest due date when several assignments give the same course.

    ``dedupe=False`` skips that GROUP BY, for when no course is in two assignments
    (see :func:`courses_repeat`): one assignment never reaches a learner twice.
    """
    members = assigned_learners(organisation_id).subquery()
    columns = (members.c.user_id, members.c.unit_id, members.c.profession)
    statement = (
        select(*columns, AssignmentCourse.course_slug)
        .join(Assignment, Assignment.id == members.c.assignment_id)
        .join(AssignmentCourse, AssignmentCourse.assignment_id == Assignment.id)
    )
    if not dedupe:
        return statement.add_columns(Assignment.due_on.label("due_on"))
    return statement.add_columns(func.min(Assignment.due_on).label("due_on")).group_by(
        *columns, AssignmentCourse.course_slug
    )


def courses_repeat(db: Session, organisation_id: int) -> bool:
    """True when some course is in more than one of the organisation's assignments."""
    repeated = (
        select(AssignmentCourse.course_slug)
        .join(Assignment, Assignment.id == AssignmentCourse.assignment_id)
        .where(Assignment.organisation_id == organisation_id)
        .group_by(AssignmentCourse.course_slug)
        .having(func.count() > 1)
        .limit(1)
    )
    return db.scalar(repeated) is not None


def assignments_of(db: Session, user: User) -> list[Assignment]:
    """The assignments that reach ``user`` now, soonest due first."""
    if user.organisation_id is None:
        return []
    members = assigned_learners(user.organisation_id).subquery()
    ids = select(members.c.assignment_id).where(members.c.user_id == user.id)
    return list(
        db.scalars(select(Assignment).where(Assignment.id.in_(ids)).order_by(Assignment.due_on))
    )


def assignment_learner_count(db: Session, assignment: Assignment) -> int:
    members = assigned_learners(assignment.organisation_id).subquery()
    return (
        db.scalar(
            select(func.count())
            .select_from(members)
            .where(members.c.assignment_id == assignment.id)
        )
        or 0
    )
