"""Managing what an admin made, from the pages: due dates, cancelling, deleting units,
moving, searching, deactivating and removing members, granting attempts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.orgs.conftest import in_days
from trainer.models import (
    Assignment,
    AttemptGrant,
    AuditEvent,
    Certificate,
    Invitation,
    OrgUnit,
    User,
)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def actions(db) -> list[str]:
    return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def north_assignment(client, make, ministry):
    headers = make.api_headers(ministry.admin)
    body = {"curriculum": "police-default", "unit": "North", "due": in_days(10).isoformat()}
    response = client.post(f"/api/v1/orgs/{ministry.slug}/assignments", json=body, headers=headers)
    return response.json["assignment"]["id"]


def test_an_admin_extends_then_cancels_an_assignment_after_confirming(
    client, auth, db, ministry, north_assignment
):
    auth.login("admin@moi.example")
    page = f"/orgs/{ministry.slug}/assignments/{north_assignment}"
    extended = client.post(
        f"{page}/due",
        data={"csrf_token": csrf_token(client, page), "due": in_days(40).isoformat()},
        follow_redirects=True,
    )
    assert f"The due date is now {in_days(40).isoformat()}." in text(extended)
    assert db.get(Assignment, north_assignment).due_on == in_days(40)
    past = client.post(
        f"{page}/due",
        data={"csrf_token": csrf_token(client, page), "due": in_days(-1).isoformat()},
        follow_redirects=True,
    )
    assert "The due date is in the past." in text(past)
    confirm = client.get(f"{page}/cancel")
    assert "Their progress and certificates stay." in text(confirm)
    assert db.get(Assignment, north_assignment) is not None  # asking changes nothing
    done = client.post(
        f"{page}/cancel",
        data={"csrf_token": csrf_token(client, f"{page}/cancel")},
        follow_redirects=True,
    )
    assert "cancelled." in text(done)
    db.expire_all()
    assert db.get(Assignment, north_assignment) is None
    assert actions(db)[-2:] == ["assignment.due", "assignment.cancel"]
    officer_page = text(client.get(f"/orgs/{ministry.slug}/members/{ministry.officer.id}"))
    assert "Nothing assigned." in officer_page


def test_a_unit_with_members_or_sub_units_is_not_deleted_and_says_why(client, auth, db, ministry):
    auth.login("admin@moi.example")
    page = f"/orgs/{ministry.slug}/units/{ministry.district4.id}"
    refused = client.post(
        f"{page}/delete",
        data={"delete-csrf_token": csrf_token(client, page)},
        follow_redirects=True,
    )
    assert "This unit has 1 sub-units; delete or move them first." in text(refused)
    station = f"/orgs/{ministry.slug}/units/{ministry.station_a.id}"
    refused = client.post(
        f"{station}/delete",
        data={"delete-csrf_token": csrf_token(client, station)},
        follow_redirects=True,
    )
    assert "move them to another unit first" in text(refused)
    assert db.get(OrgUnit, ministry.station_a.id) is not None


def test_an_empty_unit_is_deleted_and_the_deletion_audited(client, auth, db, make, ministry):
    auth.login("admin@moi.example")
    units = f"/orgs/{ministry.slug}/units"
    client.post(
        units,
        data={"csrf_token": csrf_token(client, units), "name": "Temp", "kind": "district",
              "parent": ministry.south.id},
    )  # fmt: skip
    temp = db.scalar(select(OrgUnit).where(OrgUnit.name == "Temp"))
    page = f"{units}/{temp.id}"
    done = client.post(
        f"{page}/delete",
        data={"delete-csrf_token": csrf_token(client, page)},
        follow_redirects=True,
    )
    assert "Unit Temp deleted." in text(done)
    db.expire_all()
    assert db.scalar(select(OrgUnit).where(OrgUnit.name == "Temp")) is None
    assert actions(db)[-1] == "unit.delete"


def test_members_are_searched_filtered_and_moved_from_their_page(client, auth, db, ministry):
    auth.login("admin@moi.example")
    listing = f"/orgs/{ministry.slug}/members"
    found = text(client.get(listing, query_string={"q": "OLU"}))
    assert "Olu Officer" in found and "Sam South" not in found
    by_unit = text(client.get(listing, query_string={"unit": ministry.south.id}))
    assert "Sam South" in by_unit and "Olu Officer" not in by_unit
    by_profession = text(client.get(listing, query_string={"profession": "police"}))
    assert "Olu Officer" in by_profession and "Ada Admin" not in by_profession
    page = f"{listing}/{ministry.officer.id}"
    client.post(
        f"{page}/unit",
        data={"move-csrf_token": csrf_token(client, page), "move-unit": ministry.district9.id},
    )
    db.expire_all()
    assert db.get(User, ministry.officer.id).unit_id == ministry.district9.id
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "member.move"))
    assert event.detail == {"old": ministry.station_a.id, "new": ministry.district9.id}


def test_a_unit_scoped_admin_cannot_move_a_member_out_of_reach(client, auth, db, ministry):
    auth.login("north@moi.example")
    page = f"/orgs/{ministry.slug}/members/{ministry.officer.id}"
    response = client.post(
        f"{page}/unit",
        data={"move-csrf_token": csrf_token(client, page), "move-unit": ministry.district9.id},
    )
    assert response.status_code == 404
    db.expire_all()
    assert db.get(User, ministry.officer.id).unit_id == ministry.station_a.id


def test_a_deactivated_member_is_listed_as_such_and_cannot_sign_in(client, auth, db, ministry):
    auth.login("admin@moi.example")
    page = f"/orgs/{ministry.slug}/members/{ministry.officer.id}"
    client.post(f"{page}/active", data={"csrf_token": csrf_token(client, page), "active": "0"})
    db.expire_all()
    assert db.get(User, ministry.officer.id).active is False
    listing = text(
        client.get(f"/orgs/{ministry.slug}/members", query_string={"status": "inactive"})
    )
    assert "Olu Officer" in listing and "deactivated" in listing and "Sam South" not in listing
    auth.logout()
    assert auth.login("officer@moi.example").status_code != 302


def test_removing_a_member_keeps_their_account_and_certificates(app, client, auth, db, ministry):
    from tests.certificates.helpers import finish_course

    certificate = finish_course(app, db, ministry.officer, "police")
    db.add(Invitation(user_id=ministry.officer.id, organisation_id=ministry.org.id))
    db.commit()
    auth.login("admin@moi.example")
    page = f"/orgs/{ministry.slug}/members/{ministry.officer.id}"
    assert "They keep their account" in text(client.get(f"{page}/remove"))
    done = client.post(
        f"{page}/remove",
        data={"csrf_token": csrf_token(client, f"{page}/remove")},
        follow_redirects=True,
    )
    assert "Olu Officer no longer belongs to the organisation." in text(done)
    db.expire_all()
    officer = db.get(User, ministry.officer.id)
    assert (officer.organisation_id, officer.unit_id, officer.active) == (None, None, True)
    assert db.get(Certificate, certificate.id) is not None
    assert db.get(Invitation, ministry.officer.id) is None  # no invitation to a place they left
    assert client.get(page).status_code == 404
    assert actions(db)[-1] == "member.remove"


def test_an_admin_grants_an_attempt_from_the_member_page(client, auth, db, ministry):
    auth.login("admin@moi.example")
    page = f"/orgs/{ministry.slug}/members/{ministry.officer.id}"
    assert "A grant also ends any waiting time" in text(client.get(page))
    done = client.post(
        f"{page}/attempts",
        data={
            "grant-csrf_token": csrf_token(client, page),
            "grant-course": "police",
            "grant-attempts": "2",
            "grant-reason": "after coaching",
        },
        follow_redirects=True,
    )
    assert "Olu Officer may now try" in text(done)
    grant = db.scalar(select(AttemptGrant))
    assert (grant.user_id, grant.attempts, grant.granted_by_id, grant.reason) == (
        ministry.officer.id,
        2,
        ministry.admin.id,
        "after coaching",
    )
    assert actions(db)[-1] == "attempts.grant"


def test_a_unit_scoped_admin_cannot_grant_outside_the_unit(client, auth, db, ministry):
    auth.login("north@moi.example")
    own = f"/orgs/{ministry.slug}/members/{ministry.officer.id}"
    response = client.post(
        f"/orgs/{ministry.slug}/members/{ministry.southerner.id}/attempts",
        data={"grant-csrf_token": csrf_token(client, own), "grant-course": "police",
              "grant-attempts": "1"},
    )  # fmt: skip
    assert response.status_code == 404
    assert db.scalar(select(AttemptGrant)) is None


def test_a_unit_scoped_admin_cannot_deactivate_another_admin(client, auth, db, ministry):
    ministry.admin.unit_id = ministry.north.id  # placed in North, managing everything
    db.commit()
    auth.login("north@moi.example")
    page = f"/orgs/{ministry.slug}/members/{ministry.admin.id}"
    refused = client.post(
        f"{page}/active",
        data={"csrf_token": csrf_token(client, page), "active": "0"},
        follow_redirects=True,
    )
    assert "Only admins of the whole organisation" in text(refused)
    db.expire_all()
    assert db.get(User, ministry.admin.id).active is True
