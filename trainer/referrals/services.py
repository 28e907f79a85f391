"""Importing a directory file, and the directory one learner sees. Services only flush.

Import replaces, for every (unit, language) the file names, that unit's contacts
and steps in that language: the file is the directory of the units it names.
Importing counts as reviewing: each row records who uploaded it and when.

Inheritance: a learner's unit, then its parents up to the root, then the whole
organisation. A contact at a nearer level hides one with the same role and name
(case-insensitive) further up, so a district can correct its region's shelter.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from trainer.audit import record_event
from trainer.models import Organisation, OrgUnit, User, utcnow
from trainer.models.referral import ReferralContact, ReferralDirectory, ReferralStep
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import RowError
from trainer.orgs.units import unit_lookup
from trainer.referrals.csvfile import DirectoryFile, DirectoryRow

STALE_AFTER = timedelta(days=365)


def bump_version(db: Session, organisation_id: int) -> None:
    """Every change calls this, so cached directories of the organisation are rendered anew."""
    directory = db.get(ReferralDirectory, organisation_id)
    if directory is None:
        db.add(ReferralDirectory(organisation_id=organisation_id, version=1, changed_at=utcnow()))
    else:
        directory.version += 1
        directory.changed_at = utcnow()
    db.flush()


def directory_changed(
    db: Session,
    organisation_id: int,
    action: str,
    actor: User | None,
    target: tuple[str, int],
    **details: object,
) -> None:
    """After any change: cached directories are rendered anew, and the audit log says what."""
    db.flush()
    bump_version(db, organisation_id)
    record_event(
        db,
        f"referrals.{action}",
        actor=actor,
        target_type=target[0],
        target_id=target[1],
        organisation_id=organisation_id,
        **details,
    )


def placed_in(unit: OrgUnit | None, target: tuple[str, int]) -> tuple[str, int]:
    """The audit target of an organisation-wide (``unit`` None) or a unit's change."""
    return ("unit", unit.id) if unit is not None else target


def new_contact(row: DirectoryRow, **placement: object) -> ReferralContact:
    """A contact from a checked directory row (a file's line or the browser form)."""
    v = row.values
    return ReferralContact(
        role=v["role"],
        name=v["name"],
        phone=v["phone"],
        text_number=v["text"],
        email=v["email"],
        hours=v["hours"],
        languages=v["languages"],
        address=v["address"],
        professions=" ".join(row.professions),
        **placement,
    )


def directory_version(db: Session, organisation_id: int) -> tuple[int, datetime] | None:
    """The directory's version and last change; None while it has no entries.

    Both go into cache keys: a database restored from a backup (or rebuilt by
    tests) may repeat a version number, never with the same moment.
    """
    row = db.execute(
        select(ReferralDirectory.version, ReferralDirectory.changed_at).where(
            ReferralDirectory.organisation_id == organisation_id
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


def _resolve_units(db: Session, scope: Scope, parsed: DirectoryFile) -> dict[int, OrgUnit | None]:
    """Each row's unit (None: the whole organisation); errors for unknown or out-of-scope units."""
    lookup = unit_lookup(db, scope.organisation.id)
    units: dict[int, OrgUnit | None] = {}
    for row in parsed.rows:
        if not row.unit:
            if not scope.whole:
                parsed.errors.append(
                    RowError(
                        row.line,
                        "unit",
                        _("Name a unit: you manage only part of the organisation."),
                    )
                )
            units[row.line] = None
            continue
        found = lookup.get(row.unit.casefold(), [])
        if len(found) != 1 or not scope.covers_unit(found[0]):
            reason = (
                _(
                    "Several units are called '%(unit)s'; write its full path (North/District 4).",
                    unit=row.unit,
                )
                if len(found) > 1
                else _("There is no unit '%(unit)s' that you manage.", unit=row.unit)
            )
            parsed.errors.append(RowError(row.line, "unit", reason))
            continue
        units[row.line] = found[0]
    return units


def import_directory(
    db: Session, scope: Scope, parsed: DirectoryFile, actor: User | None
) -> dict[str, int]:
    """Replace the named units' entries in the named languages; nothing happens on any error."""
    units = _resolve_units(db, scope, parsed) if not parsed.errors else {}
    if parsed.errors:
        return {}
    org_id = scope.organisation.id
    now = utcnow()
    replaced = {
        (units[row.line].id if units[row.line] else None, row.language) for row in parsed.rows
    }
    for model in (ReferralContact, ReferralStep):
        for unit_id, language in replaced:
            unit_condition = (
                model.unit_id.is_(None) if unit_id is None else model.unit_id == unit_id
            )
            db.execute(
                delete(model).where(
                    model.organisation_id == org_id, unit_condition, model.language == language
                )
            )
    counts = {"contact": 0, "step": 0}
    for row in parsed.rows:
        unit = units[row.line]
        common = {
            "organisation_id": org_id,
            "unit_id": unit.id if unit else None,
            "language": row.language,
            "position": row.line,
            "reviewed_at": now,
            "reviewed_by_id": actor.id if actor else None,
        }
        counts[row.type] += 1
        if row.type == "step":
            db.add(
                ReferralStep(
                    profession=row.professions[0] if row.professions else "",
                    body=row.values["step"],
                    **common,
                )
            )
            continue
        db.add(new_contact(row, **common))
    directory_changed(
        db,
        org_id,
        "import",
        actor,
        ("organisation", org_id),
        contacts=counts["contact"],
        steps=counts["step"],
        units=sorted(str(u) for u, _lang in replaced),
    )
    return counts


def mark_reviewed(db: Session, scope: Scope, actor: User, unit: OrgUnit | None) -> int:
    """Record that ``actor`` checked every entry of ``unit`` (None: organisation-wide) today."""
    count = 0
    now = utcnow()
    for model in (ReferralContact, ReferralStep):
        condition = model.unit_id.is_(None) if unit is None else model.unit_id == unit.id
        for entry in db.scalars(
            select(model).where(model.organisation_id == scope.organisation.id, condition)
        ):
            entry.reviewed_at, entry.reviewed_by_id = now, actor.id
            count += 1
    org_id = scope.organisation.id
    target = placed_in(unit, ("organisation", org_id))
    directory_changed(db, org_id, "review", actor, target, entries=count)
    return count


def entries_in_scope(db: Session, scope: Scope) -> tuple[list[ReferralContact], list[ReferralStep]]:
    """Every contact and step the admin manages, organisation-wide ones first."""
    results = []
    for model in (ReferralContact, ReferralStep):
        statement = select(model).where(model.organisation_id == scope.organisation.id)
        if scope.unit is not None:
            inside = select(OrgUnit.id).where(OrgUnit.path.startswith(scope.unit.path))
            statement = statement.where(model.unit_id.in_(inside))
        results.append(
            list(
                db.scalars(
                    statement.order_by(
                        model.unit_id.is_not(None), model.unit_id, model.language, model.position
                    )
                )
            )
        )
    return results[0], results[1]


def stale(
    entries: Collection[ReferralContact | ReferralStep], now: datetime
) -> list[ReferralContact | ReferralStep]:
    return [e for e in entries if e.reviewed_at <= now - STALE_AFTER]


@dataclass
class Level:
    """One source of a learner's directory: a unit, or the organisation itself."""

    label: str
    unit: OrgUnit | None
    steps: list[ReferralStep] = field(default_factory=list)
    contacts: list[ReferralContact] = field(default_factory=list)

    @property
    def updated(self) -> datetime | None:
        dates = [e.reviewed_at for e in (*self.steps, *self.contacts)]
        return max(dates) if dates else None


def _in_language(entries: list, language: str) -> list:
    """The entries in ``language``; else those without one; else the first language present."""
    for wanted in (language, ""):
        chosen = [e for e in entries if e.language == wanted]
        if chosen:
            return chosen
    return [e for e in entries if e.language == entries[0].language] if entries else []


def learner_levels(
    db: Session,
    organisation: Organisation,
    unit: OrgUnit | None,
    profession: str | None,
    language: str,
) -> list[Level]:
    """The learner's directory: nearest unit first, then the organisation's; no empty levels."""
    chain = [*reversed(_ancestors(db, unit)), None]
    unit_ids = [u.id for u in chain if u is not None]
    rows: dict[str, list] = {}
    for model in (ReferralContact, ReferralStep):
        statement = select(model).where(
            model.organisation_id == organisation.id,
            or_(model.unit_id.is_(None), model.unit_id.in_(unit_ids)),
        )
        rows[model.__name__] = list(db.scalars(statement.order_by(model.position)))
    seen: set[tuple[str, str]] = set()
    levels = []
    for level_unit in chain:
        unit_id = level_unit.id if level_unit else None
        contacts = _in_language(
            [c for c in rows["ReferralContact"] if c.unit_id == unit_id and _for(c, profession)],
            language,
        )
        steps = [s for s in rows["ReferralStep"] if s.unit_id == unit_id]
        mine = [s for s in steps if profession and s.profession == profession]
        steps = _in_language(mine or [s for s in steps if not s.profession], language)
        contacts = [c for c in contacts if (c.role, c.name.casefold()) not in seen]
        seen |= {(c.role, c.name.casefold()) for c in contacts}
        if contacts or steps:
            levels.append(
                Level(
                    level_unit.name if level_unit else organisation.name,
                    level_unit,
                    steps,
                    contacts,
                )
            )
    return levels


def _for(contact: ReferralContact, profession: str | None) -> bool:
    return not contact.professions or (profession or "") in contact.professions.split()


def _ancestors(db: Session, unit: OrgUnit | None) -> list[OrgUnit]:
    """The unit and its parents, root first."""
    if unit is None:
        return []
    ids = unit.ancestor_ids
    found = {u.id: u for u in db.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]
