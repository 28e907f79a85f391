"""A ministry with two districts, a nurse in each, and its admin."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import csrf_token
from trainer.models import Organisation, OrgUnit, User
from trainer.orgs.scope import Scope
from trainer.orgs.units import create_unit

MODULE = "/courses/health/modules/reporting-and-resources"

#: The ministry's file for Maseru District: three steps and two contacts, in English and Spanish.
STORY_CSV = (Path(__file__).parent / "maseru-directory.csv").read_text(encoding="utf-8")


@dataclass
class Ministry:
    org: Organisation
    other: Organisation
    lowlands: OrgUnit
    maseru: OrgUnit
    leribe: OrgUnit
    admin: User
    other_admin: User
    nurse: User  # in Maseru District
    other_nurse: User  # in Leribe District


@pytest.fixture
def ministry(make, db) -> Ministry:
    org = make.organisation("lsmoh", "Ministry of Health", kind="ministry")
    other = make.organisation("elsewhere", "Another Ministry", kind="ministry")
    whole = Scope(org)
    lowlands = create_unit(db, whole, name="Lowlands", kind="region", parent=None)
    maseru = create_unit(db, whole, name="Maseru District", kind="district", parent=lowlands)
    leribe = create_unit(db, whole, name="Leribe District", kind="district", parent=lowlands)
    db.commit()
    admin = make.user("admin@moh.example", role="org_admin", organisation=org, full_name="Ada")
    other_admin = make.user("admin@else.example", role="org_admin", organisation=other)
    nurse = make.user("nurse@moh.example", organisation=org, full_name="Naledi Nurse")
    other_nurse = make.user("nurse2@moh.example", organisation=org, full_name="Lerato Nurse")
    nurse.unit_id, other_nurse.unit_id = maseru.id, leribe.id
    db.commit()
    return Ministry(org, other, lowlands, maseru, leribe, admin, other_admin, nurse, other_nurse)


def upload(client, slug: str, content: str | bytes):
    """Upload a directory file through the page's form, CSRF included."""
    token = csrf_token(client, f"/orgs/{slug}/referrals")
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        f"/orgs/{slug}/referrals",
        data={"csrf_token": token, "file": (io.BytesIO(data), "directory.csv")},
        content_type="multipart/form-data",
    )
