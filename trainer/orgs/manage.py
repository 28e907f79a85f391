"""Undoing and adjusting what an organisation admin made: assignments, units, members.

Shared by the pages under ``/orgs/<org>/`` and the API under ``/api/v1/orgs/<org>/``.
Every change is audited here, so neither caller can forget; functions only flush.
Scope is checked by the caller (``trainer.orgs.access``) before anything reaches here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from trainer.audit import record_event
from trainer.models import Assignment, AssignmentLearner, Invitation, OrgUnit, User
from trainer.orgs.scope import Scope

MEMBER_STATUSES = ("active", "inactive")


class ManageError(ValueError):
    """A change that cannot be made, with a message saying why and what to do instead."""


def change_due_date(
    db: Session, scope: Scope, assignment: Assignment, due: date, *, actor: User, today: date
) -> None:
    """Extend (or bring forward) an assignment's due date; never into the past."""
    if due < today:
        raise ManageError(_("The due date is in the past."))
    old = assignment.due_on
    assignment.due_on = due
    record_event(
        db,
        "assignment.due",
        actor=actor,
        target_type="assignment",
        target_id=assignment.id,
        organisation_id=scope.organisation.id,
        old=old.isoformat(),
        new=due.isoformat(),
    )
    db.flush()


def cancel_assignment(db: Session, scope: Scope, assignment: Assignment, *, actor: User) -> None:
    """Withdraw an assignment: learners no longer see it due, reports no longer count it.

    Progress, attempts and certificates are the learners' and stay; the audit
    event keeps what the assignment was (title, courses, target, due date).
    """
    record_event(
        db,
        "assignment.cancel",
        actor=actor,
        target_type="assignment",
        target_id=assignment.id,
        organisation_id=scope.organisation.id,
        title=assignment.title,
        courses=assignment.course_slugs,
        unit=assignment.unit_id,
        profession=assignment.profession,
        due=assignment.due_on.isoformat(),
    )
    db.delete(assignment)
    db.flush()


def delete_unit(db: Session, scope: Scope, unit: OrgUnit, *, actor: User) -> None:
    """Delete a unit that holds nothing: no sub-units, members, admins or assignments."""
    if scope.unit is not None and unit.id == scope.unit.id:
        raise ManageError(_("You cannot delete the unit your access is limited to."))
    children = db.scalar(select(func.count(OrgUnit.id)).where(OrgUnit.parent_id == unit.id)) or 0
    members = (
        db.scalar(
            select(func.count(User.id)).where(
                or_(User.unit_id == unit.id, User.admin_unit_id == unit.id)
            )
        )
        or 0
    )
    assignments = (
        db.scalar(select(func.count(Assignment.id)).where(Assignment.unit_id == unit.id)) or 0
    )
    if children:
        raise ManageError(
            _("This unit has %(count)d sub-units; delete or move them first.", count=children)
        )
    if members:
        raise ManageError(
            _(
                "This unit has %(count)d members or admins; move them to another unit first.",
                count=members,
            )
        )
    if assignments:
        raise ManageError(
            _(
                "%(count)d assignments target this unit; cancel them first.",
                count=assignments,
            )
        )
    record_event(
        db,
        "unit.delete",
        actor=actor,
        target_type="unit",
        target_id=unit.id,
        organisation_id=scope.organisation.id,
        name=unit.name,
        parent=unit.parent_id,
    )
    db.delete(unit)
    db.flush()


def move_member(
    db: Session, scope: Scope, person: User, unit: OrgUnit | None, *, actor: User
) -> None:
    """Place a member in another unit (None: no unit, for organisation-wide admins only)."""
    if unit is None and not scope.whole:
        raise ManageError(_("Choose one of the units you manage."))
    if unit is not None and not scope.covers_unit(unit):
        raise ManageError(_("That unit is not one you manage."))
    old = person.unit_id
    person.unit_id = unit.id if unit else None
    _audit_member(db, scope, "member.move", person, actor, old=old, new=person.unit_id)


def set_active(db: Session, scope: Scope, person: User, active: bool, *, actor: User) -> None:
    """Deactivate (cannot sign in, not assigned, not counted) or reactivate a member."""
    if person.id == actor.id:
        raise ManageError(_("You cannot deactivate your own account."))
    _check_may_manage_admin(scope, person)
    person.active = active
    action = "member.activate" if active else "member.deactivate"
    _audit_member(db, scope, action, person, actor)


def remove_member(db: Session, scope: Scope, person: User, *, actor: User) -> None:
    """Take a person out of the organisation. Their account, progress and certificates stay:
    they belong to the person, not the employer. An org admin removed becomes a learner."""
    if person.id == actor.id:
        raise ManageError(_("You cannot remove yourself from the organisation."))
    _check_may_manage_admin(scope, person)
    db.execute(delete(AssignmentLearner).where(AssignmentLearner.user_id == person.id))
    # An invitation not yet sent would invite them to an organisation they have left.
    db.execute(delete(Invitation).where(Invitation.user_id == person.id))
    old_unit, old_role = person.unit_id, person.role
    person.organisation_id = None
    person.unit_id = None
    person.admin_unit_id = None
    if person.role == "org_admin":
        person.role = "learner"
    _audit_member(db, scope, "member.remove", person, actor, unit=old_unit, role=old_role)


def _check_may_manage_admin(scope: Scope, person: User) -> None:
    """Only whole-organisation admins deactivate or remove another admin."""
    if person.role == "org_admin" and not scope.whole:
        raise ManageError(_("Only admins of the whole organisation can do this to another admin."))


def _audit_member(
    db: Session, scope: Scope, action: str, person: User, actor: User, **detail: object
) -> None:
    record_event(
        db,
        action,
        actor=actor,
        target_type="user",
        target_id=person.id,
        organisation_id=scope.organisation.id,
        **detail,
    )
    db.flush()


@dataclass(frozen=True)
class MemberFilters:
    """What the members list is narrowed to; empty fields do not narrow."""

    text: str = ""
    unit: OrgUnit | None = None
    profession: str | None = None
    status: str | None = None


def members_query(scope: Scope, filters: MemberFilters) -> Select:
    """SQL: the members in scope matching the filters (name or e-mail contains ``text``)."""
    statement = select(User).where(scope.members_condition())
    if filters.unit is not None:
        in_unit = select(OrgUnit.id).where(OrgUnit.path.startswith(filters.unit.path))
        statement = statement.where(User.unit_id.in_(in_unit))
    text = " ".join(filters.text.split()).lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                func.lower(User.full_name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if filters.profession:
        statement = statement.where(User.profession == filters.profession)
    if filters.status in MEMBER_STATUSES:
        statement = statement.where(User.active.is_(filters.status == "active"))
    return statement
