"""The unit tree: create, rename and move through the pages; paths follow; all audited."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token
from trainer.models import AuditEvent, OrgUnit


def test_create_rename_and_move_a_unit(client, auth, db, ministry):
    auth.login("admin@moi.example")
    slug = ministry.slug
    units = f"/orgs/{slug}/units"
    response = client.post(
        units,
        data={
            "csrf_token": csrf_token(client, units),
            "name": "Port",
            "kind": "station",
            "parent": str(ministry.district9.id),
        },
        follow_redirects=True,
    )
    assert "South/District 9/Port" in response.get_data(as_text=True)
    port = db.scalar(select(OrgUnit).where(OrgUnit.name == "Port"))

    page = f"/orgs/{slug}/units/{ministry.district4.id}"
    client.post(
        f"{page}/rename",
        data={
            "csrf_token": csrf_token(client, page),
            "rename-name": "District Four",
            "rename-kind": "district",
        },
    )
    response = client.post(
        f"{page}/move",
        data={"csrf_token": csrf_token(client, page), "move-parent": str(ministry.south.id)},
        follow_redirects=True,
    )
    assert "South/District Four" in response.get_data(as_text=True)
    db.expire_all()
    station = db.get(OrgUnit, ministry.station_a.id)
    assert station.path == f"/{ministry.south.id}/{ministry.district4.id}/{station.id}/"
    assert db.get(OrgUnit, port.id).path.startswith(ministry.district9.path)
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "unit")).all()
    assert sorted(actions) == ["unit.create", "unit.move", "unit.rename"]


def test_a_unit_cannot_move_inside_itself_or_take_a_taken_name(client, auth, ministry):
    auth.login("admin@moi.example")
    page = f"/orgs/{ministry.slug}/units/{ministry.north.id}"
    response = client.post(
        f"{page}/move",
        data={"csrf_token": csrf_token(client, page), "move-parent": str(ministry.station_a.id)},
    )
    assert response.status_code == 400
    assert "A unit cannot move inside itself" in response.get_data(as_text=True)
    response = client.post(
        f"{page}/rename",
        data={
            "csrf_token": csrf_token(client, page),
            "rename-name": "south",
            "rename-kind": "region",
        },
    )
    assert response.status_code == 400
    assert "There is already a unit called" in response.get_data(as_text=True)


def test_a_scoped_admin_adds_units_only_inside_their_own(client, auth, ministry):
    auth.login("north@moi.example")
    units = f"/orgs/{ministry.slug}/units"
    response = client.post(
        units,
        data={
            "csrf_token": csrf_token(client, units),
            "name": "Top",
            "kind": "region",
            "parent": "",
        },
    )
    assert response.status_code == 400
    assert "Choose a parent unit inside the part of the organisation you manage." in (
        response.get_data(as_text=True)
    )
    assert client.get(f"/orgs/{ministry.slug}/audit").status_code == 403


def test_a_whole_organisation_admin_limits_another_admin_to_a_unit(client, auth, db, ministry):
    auth.login("admin@moi.example")
    page = f"/orgs/{ministry.slug}/members/{ministry.north_admin.id}"
    assert "What this admin manages" in client.get(page).get_data(as_text=True)
    response = client.post(
        f"{page}/scope",
        data={"csrf_token": csrf_token(client, page), "unit": str(ministry.south.id)},
        follow_redirects=True,
    )
    assert "Nora North now manages South." in response.get_data(as_text=True)
    db.expire_all()
    assert ministry.north_admin.admin_unit_id == ministry.south.id
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "admin.scope"))
    assert event.detail == {"unit": ministry.south.id}


def test_a_scoped_admin_cannot_change_scopes(client, auth, db, make, ministry):
    other = make.user("deputy@moi.example", role="org_admin", organisation=ministry.org)
    other.unit_id = ministry.district4.id
    db.commit()
    auth.login("north@moi.example")
    page = f"/orgs/{ministry.slug}/members/{other.id}"
    assert "What this admin manages" not in client.get(page).get_data(as_text=True)
    response = client.post(
        f"{page}/scope", data={"csrf_token": csrf_token(client, page), "unit": ""}
    )
    assert response.status_code == 403
