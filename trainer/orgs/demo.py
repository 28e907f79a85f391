"""Demo units, staff and assignments for the demo organisations. Safe to run again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.accounts.services import Profile, create_user, find_user_by_email
from trainer.content.model import Catalogue
from trainer.models import Assignment, Organisation, OrgUnit
from trainer.orgs.assignments import AssignmentRequest, create_assignment
from trainer.orgs.scope import Scope
from trainer.orgs.units import create_unit

#: organisation slug -> units as (path of names, kind)
DEMO_UNITS = {
    "demo-police-academy": [
        ("North", "region"),
        ("North/District 4", "district"),
        ("North/District 4/Central Station", "station"),
        ("North/District 7", "district"),
        ("South", "region"),
        ("South/District 9", "district"),
    ],
    "demo-health-ministry": [
        ("Capital Region", "region"),
        ("Capital Region/General Hospital", "hospital"),
    ],
}

#: email, organisation, unit path, profile. These learners have no password.
DEMO_STAFF = [
    ("officer@demo.trainer", "demo-police-academy", "North/District 4/Central Station", None),
    ("learner@demo.trainer", "demo-health-ministry", "Capital Region/General Hospital", None),
    (
        "k.owusu@demo.trainer",
        "demo-police-academy",
        "North/District 4/Central Station",
        Profile("Kofi Owusu", "police", "GH"),
    ),
    (
        "l.nguyen@demo.trainer",
        "demo-police-academy",
        "North/District 7",
        Profile("Nguyễn Thị Lan", "police", "VN"),
    ),
    (
        "r.haddad@demo.trainer",
        "demo-police-academy",
        "South/District 9",
        Profile("رنا حداد", "police", "JO"),
    ),
]


#: organisation, curriculum, unit: each due 30 days after the demo is first seeded.
DEMO_ASSIGNMENTS = [
    ("demo-police-academy", "police-default", "North"),
    ("demo-health-ministry", "licensed-default", "Capital Region"),
]


def _units(db: Session, organisation: Organisation) -> dict[str, OrgUnit]:
    by_path: dict[str, OrgUnit] = {}
    for path, kind in DEMO_UNITS.get(organisation.slug, []):
        parent_path, _, name = path.rpartition("/")
        parent = by_path.get(parent_path)
        unit = db.scalar(
            select(OrgUnit).where(
                OrgUnit.organisation_id == organisation.id,
                OrgUnit.name == name,
                OrgUnit.parent_id.is_(None) if parent is None else OrgUnit.parent_id == parent.id,
            )
        )
        if unit is None:
            unit = create_unit(db, Scope(organisation), name=name, kind=kind, parent=parent)
        by_path[path] = unit
    return by_path


def seed_organisation_demo(
    db: Session, catalogue: Catalogue, organisations: dict[str, Organisation]
) -> None:
    """Units for each demo organisation, a few staff in them, and a curriculum assigned
    to one region of each, due in 30 days."""
    units = {slug: _units(db, org) for slug, org in organisations.items()}
    for email, org_slug, path, profile in DEMO_STAFF:
        user = find_user_by_email(db, email)
        if user is None and profile is not None:
            user = create_user(
                db,
                email=email,
                password=None,
                profile=profile,
                organisation_id=organisations[org_slug].id,
            )
        if user is not None:
            user.unit_id = units[org_slug][path].id
    for org_slug, curriculum, unit_path in DEMO_ASSIGNMENTS:
        organisation = organisations[org_slug]
        exists = db.scalar(
            select(Assignment.id).where(Assignment.organisation_id == organisation.id)
        )
        if exists is not None or curriculum not in catalogue.curricula:
            continue
        today = datetime.now(UTC).date()
        create_assignment(
            db,
            Scope(organisation),
            catalogue,
            AssignmentRequest(
                due=today + timedelta(days=30),
                curriculum=curriculum,
                unit=units[org_slug][unit_path],
            ),
            actor=None,
            today=today,
        )
    db.flush()
