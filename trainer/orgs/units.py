"""The unit tree of an organisation: create, rename, move; find by path or name.

Every unit carries its materialised ``path`` ("/12/40/"): moving a unit rewrites
the paths of its subtree in one UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, update
from sqlalchemy.orm import Session

from trainer.audit import record_event
from trainer.models import UNIT_KINDS, OrgUnit, User
from trainer.orgs.scope import Scope
from trainer.text_safety import invisible_problem

PATH_SEPARATOR = "/"


class UnitError(ValueError):
    """A unit change that cannot be made, with a message saying what to fix."""


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise UnitError(_("Give the unit a name."))
    if PATH_SEPARATOR in name:
        raise UnitError(_("A unit name cannot contain '/', which separates units in a path."))
    if len(name) > 200:
        raise UnitError(_("A unit name can have at most 200 characters."))
    problem = invisible_problem(name, _("Unit name"))
    if problem:
        raise UnitError(problem)
    return name


def units_in_scope(db: Session, scope: Scope) -> list[OrgUnit]:
    """The units an admin may manage, in tree order (by path of names)."""
    units = list(db.scalars(select(OrgUnit).where(scope.units_condition())))
    labels = unit_labels(db, units)
    return sorted(units, key=lambda u: labels[u.id].casefold())


def unit_labels(db: Session, units: Iterable[OrgUnit]) -> dict[int, str]:
    """Each unit's full name path, like "North/District 4", in one query for the ancestors."""
    units = list(units)
    wanted = {i for u in units for i in u.ancestor_ids}
    names = dict(db.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(wanted))).all())
    return {u.id: PATH_SEPARATOR.join(names.get(i, "?") for i in u.ancestor_ids) for u in units}


def _check_sibling_name(
    db: Session, organisation_id: int, parent_id: int | None, name: str, *, except_id: int = 0
) -> None:
    taken = db.scalar(
        select(func.count(OrgUnit.id)).where(
            OrgUnit.organisation_id == organisation_id,
            OrgUnit.parent_id.is_(None) if parent_id is None else OrgUnit.parent_id == parent_id,
            func.lower(OrgUnit.name) == name.lower(),
            OrgUnit.id != except_id,
        )
    )
    if taken:
        raise UnitError(
            _("There is already a unit called '%(name)s' at that place in the tree.", name=name)
        )


def create_unit(
    db: Session, scope: Scope, *, name: str, kind: str, parent: OrgUnit | None
) -> OrgUnit:
    """Add a unit under ``parent`` (None: at the top, for organisation-wide admins only)."""
    name = _clean_name(name)
    if kind not in UNIT_KINDS:
        raise UnitError(
            _(
                "Unknown kind '%(kind)s'; use one of %(known)s.",
                kind=kind,
                known=", ".join(UNIT_KINDS),
            )
        )
    if parent is None and not scope.whole:
        raise UnitError(_("Choose a parent unit inside the part of the organisation you manage."))
    if parent is not None and not scope.covers_unit(parent):
        raise UnitError(_("That parent unit is not one you manage."))
    _check_sibling_name(db, scope.organisation.id, parent.id if parent else None, name)
    unit = OrgUnit(
        organisation_id=scope.organisation.id,
        parent_id=parent.id if parent else None,
        name=name,
        kind=kind,
    )
    db.add(unit)
    db.flush()  # the id goes into the path
    unit.path = f"{parent.path if parent else PATH_SEPARATOR}{unit.id}{PATH_SEPARATOR}"
    db.flush()
    return unit


def rename_unit(db: Session, unit: OrgUnit, *, name: str, kind: str | None = None) -> None:
    name = _clean_name(name)
    _check_sibling_name(db, unit.organisation_id, unit.parent_id, name, except_id=unit.id)
    unit.name = name
    if kind is not None:
        if kind not in UNIT_KINDS:
            raise UnitError(
                _(
                    "Unknown kind '%(kind)s'; use one of %(known)s.",
                    kind=kind,
                    known=", ".join(UNIT_KINDS),
                )
            )
        unit.kind = kind
    db.flush()


def move_unit(db: Session, scope: Scope, unit: OrgUnit, new_parent: OrgUnit | None) -> None:
    """Move ``unit`` and its subtree under ``new_parent`` (None: to the top)."""
    if new_parent is None and not scope.whole:
        raise UnitError(_("Only organisation-wide admins can move a unit to the top."))
    if new_parent is not None:
        if not scope.covers_unit(new_parent):
            raise UnitError(_("That parent unit is not one you manage."))
        if new_parent.path.startswith(unit.path):
            raise UnitError(_("A unit cannot move inside itself or one of its own units."))
    if scope.unit is not None and unit.id == scope.unit.id:
        raise UnitError(_("You cannot move the unit your access is limited to."))
    parent_id = new_parent.id if new_parent else None
    _check_sibling_name(db, unit.organisation_id, parent_id, unit.name, except_id=unit.id)
    old_path = unit.path
    new_path = f"{new_parent.path if new_parent else PATH_SEPARATOR}{unit.id}{PATH_SEPARATOR}"
    db.execute(
        update(OrgUnit)
        .where(OrgUnit.organisation_id == unit.organisation_id, OrgUnit.path.startswith(old_path))
        .values(path=literal(new_path).concat(func.substr(OrgUnit.path, len(old_path) + 1))),
        execution_options={"synchronize_session": False},
    )
    unit.parent_id = new_parent.id if new_parent else None
    db.flush()
    db.expire_all()


def unit_lookup(db: Session, organisation_id: int) -> dict[str, list[OrgUnit]]:
    """Every unit by its lower-cased full path and by its lower-cased name alone.

    Enrolment files name units either way: "North/District 4" or "District 4".
    A bare name that several units share maps to all of them (ambiguous).
    """
    units = list(db.scalars(select(OrgUnit).where(OrgUnit.organisation_id == organisation_id)))
    labels = unit_labels(db, units)
    lookup: dict[str, list[OrgUnit]] = {}
    for unit in units:
        lookup.setdefault(labels[unit.id].casefold(), []).append(unit)
        if unit.parent_id is not None:
            lookup.setdefault(unit.name.casefold(), []).append(unit)
    return lookup


def member_counts(db: Session, units: Iterable[OrgUnit]) -> dict[int, int]:
    """Members placed directly in each unit."""
    ids = [u.id for u in units]
    statement = select(User.unit_id, func.count(User.id)).where(User.unit_id.in_(ids))
    rows = db.execute(statement.group_by(User.unit_id))
    return dict(rows.all())


def audit_unit(
    db: Session, scope: Scope, action: str, unit: OrgUnit, actor: User, **detail: object
) -> None:
    """The audit event of a change to ``unit`` (``unit.create``, ``unit.rename``, …)."""
    record_event(
        db,
        action,
        actor=actor,
        target_type="unit",
        target_id=unit.id,
        organisation_id=scope.organisation.id,
        **detail,
    )
