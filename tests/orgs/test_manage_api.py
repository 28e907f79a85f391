"""Managing an organisation through API v1: units, members, assignments, attempts.

Every response here is also checked against the OpenAPI document (tests/orgs/conftest.py).
"""

from __future__ import annotations

from sqlalchemy import select

from tests.orgs.conftest import in_days
from trainer.accounts.services import create_api_token
from trainer.models import AttemptGrant, AuditEvent, OrgUnit, User


def api(ministry, rest: str) -> str:
    return f"/api/v1/orgs/{ministry.slug}/{rest}"


def test_units_are_created_listed_renamed_moved_and_deleted(client, make, db, ministry):
    headers = make.api_headers(ministry.admin)
    created = client.post(
        api(ministry, "units"),
        json={"name": "Station B", "kind": "station", "parent": "North/District 4"},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    unit = created.json["unit"]
    assert unit["path"] == "North/District 4/Station B"
    listed = client.get(api(ministry, "units"), headers=headers).json["units"]
    assert "North/District 4/Station B" in [u["path"] for u in listed]
    changed = client.patch(
        api(ministry, f"units/{unit['id']}"),
        json={"name": "Station C", "parent": ministry.south.id},
        headers=headers,
    )
    assert changed.json["unit"]["path"] == "South/Station C"
    assert client.delete(api(ministry, f"units/{unit['id']}"), headers=headers).status_code == 204
    assert db.scalar(select(OrgUnit).where(OrgUnit.name == "Station C")) is None


def test_deleting_a_unit_with_members_answers_409_saying_why(client, make, ministry):
    headers = make.api_headers(ministry.admin)
    response = client.delete(api(ministry, f"units/{ministry.station_a.id}"), headers=headers)
    assert response.status_code == 409
    assert "move them to another unit first" in response.json["error"]["message"]


def test_members_are_searched_moved_and_deactivated(client, make, db, ministry):
    headers = make.api_headers(ministry.admin)
    found = client.get(api(ministry, "members"), query_string={"q": "sam"}, headers=headers).json
    assert [m["email"] for m in found["members"]] == ["south@moi.example"]
    assert found["total"] == 1
    moved = client.patch(
        api(ministry, f"members/{ministry.southerner.id}"),
        json={"unit": "North/District 4", "active": False},
        headers=headers,
    ).json["member"]
    assert (moved["unit_path"], moved["active"]) == ("North/District 4", False)
    inactive = client.get(
        api(ministry, "members"), query_string={"status": "inactive"}, headers=headers
    ).json["members"]
    assert [m["email"] for m in inactive] == ["south@moi.example"]
    db.expire_all()
    assert db.get(User, ministry.southerner.id).active is False


def test_a_unit_scoped_admin_sees_and_changes_only_their_subtree(client, make, db, ministry):
    headers = make.api_headers(ministry.north_admin)
    members = client.get(api(ministry, "members"), headers=headers).json["members"]
    assert "south@moi.example" not in [m["email"] for m in members]
    moved = client.patch(
        api(ministry, f"members/{ministry.officer.id}"),
        json={"unit": ministry.district9.id},
        headers=headers,
    )
    assert moved.status_code == 404
    granted = client.post(
        api(ministry, f"members/{ministry.southerner.id}/attempts"),
        json={"course": "police"},
        headers=headers,
    )
    assert granted.status_code == 404
    assert db.scalar(select(AttemptGrant)) is None


def test_assignments_are_listed_read_extended_and_cancelled(client, make, db, ministry):
    headers = make.api_headers(ministry.admin)
    body = {"curriculum": "police-default", "unit": "North", "due": in_days(10).isoformat()}
    made = client.post(api(ministry, "assignments"), json=body, headers=headers).json
    number = made["assignment"]["id"]
    listed = client.get(api(ministry, "assignments"), headers=headers).json["assignments"]
    assert [a["id"] for a in listed] == [number]
    one = client.get(api(ministry, f"assignments/{number}"), headers=headers).json
    assert one["assignment"]["learners"] == 1
    past = client.patch(
        api(ministry, f"assignments/{number}"), json={"due": "2000-01-01"}, headers=headers
    )
    assert past.status_code == 400 and "past" in past.json["error"]["message"]
    later = client.patch(
        api(ministry, f"assignments/{number}"),
        json={"due": in_days(60).isoformat()},
        headers=headers,
    )
    assert later.json["assignment"]["due"] == in_days(60).isoformat()
    gone = client.delete(api(ministry, f"assignments/{number}"), headers=headers)
    assert gone.status_code == 204
    assert client.get(api(ministry, f"assignments/{number}"), headers=headers).status_code == 404
    events = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert events[-2:] == ["assignment.due", "assignment.cancel"]


def test_a_read_token_lists_but_does_not_change(client, db, ministry):
    _record, token = create_api_token(db, ministry.admin, "reader", scope="read")
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(api(ministry, "members"), headers=headers).status_code == 200
    refused = client.patch(
        api(ministry, f"members/{ministry.officer.id}"), json={"active": False}, headers=headers
    )
    assert refused.status_code == 403
