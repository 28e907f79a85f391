"""Who may see what in an organisation.

Rules (also in the README):

- A site ``admin`` manages every organisation, whole.
- An ``org_admin`` manages their own organisation; when ``admin_unit_id`` is set,
  only that unit's subtree: its units, the members placed in them, and the
  assignments that target them.
- Anything outside a caller's scope answers **404**, as if it did not exist: another
  organisation, its units, learners and assignments, and in one's own organisation
  whatever lies outside one's unit. A signed-in user without an admin role gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select, true
from sqlalchemy.orm import Session

from trainer.models import Assignment, Organisation, OrgUnit, User


@dataclass(frozen=True)
class Scope:
    """What one admin may manage: an organisation, whole or below one unit."""

    organisation: Organisation
    unit: OrgUnit | None = None

    @property
    def whole(self) -> bool:
        return self.unit is None

    def covers_unit(self, unit: OrgUnit | None) -> bool:
        if unit is None or unit.organisation_id != self.organisation.id:
            return False
        return self.unit is None or unit.path.startswith(self.unit.path)

    def covers_member(self, user: User | None) -> bool:
        if user is None or user.organisation_id != self.organisation.id:
            return False
        return self.unit is None or self.covers_unit(user.unit)

    def covers_assignment(self, assignment: Assignment | None) -> bool:
        if assignment is None or assignment.organisation_id != self.organisation.id:
            return False
        return self.unit is None or self.covers_unit(assignment.unit)

    def units_condition(self) -> ColumnElement[bool]:
        """SQL: the units in scope."""
        condition = OrgUnit.organisation_id == self.organisation.id
        if self.unit is not None:
            condition = and_(condition, OrgUnit.path.startswith(self.unit.path))
        return condition

    def members_condition(self) -> ColumnElement[bool]:
        """SQL: the members in scope (a unit-scoped admin sees only members placed in it)."""
        condition = User.organisation_id == self.organisation.id
        if self.unit is not None:
            in_subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(self.unit.path))
            condition = and_(condition, User.unit_id.in_(in_subtree))
        return condition

    def assignments_condition(self) -> ColumnElement[bool]:
        condition = Assignment.organisation_id == self.organisation.id
        if self.unit is not None:
            in_subtree = select(OrgUnit.id).where(OrgUnit.path.startswith(self.unit.path))
            condition = and_(condition, Assignment.unit_id.in_(in_subtree))
        return condition if condition is not None else true()


def admin_scope(db: Session, user: User | None, org_slug: str) -> Scope | None:
    """The scope ``user`` holds in the organisation ``org_slug``, or None (answer 404)."""
    if user is None:
        return None
    organisation = db.scalar(select(Organisation).where(Organisation.slug == org_slug))
    if organisation is None:
        return None
    if user.role == "admin":
        return Scope(organisation)
    if user.role != "org_admin" or user.organisation_id != organisation.id:
        return None
    unit = db.get(OrgUnit, user.admin_unit_id) if user.admin_unit_id else None
    return Scope(organisation, unit)
