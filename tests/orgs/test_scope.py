"""Scope on every organisation route, found by walking the URL map.

A route added under ``/orgs/`` or ``/api/v1/orgs/`` without a scope check fails
here: the admin of another organisation must get 404 from every one of them,
and an admin limited to the North region must get 404 for anything in the South.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from trainer.content.loader import load_catalogue  # noqa: F401  (the app has it loaded)
from trainer.models import Assignment, OrgUnit, User
from trainer.orgs.assignments import AssignmentRequest, create_assignment
from trainer.orgs.scope import Scope

PREFIXES = ("/orgs/", "/api/v1/orgs/")


def org_rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.rule.startswith(PREFIXES)),
        key=lambda rule: rule.rule,
    )


@pytest.fixture
def south_assignment(app, db, ministry):
    with app.app_context():
        from trainer.content.catalogue import catalogue

        assignment = create_assignment(
            db,
            Scope(ministry.org),
            catalogue(),
            AssignmentRequest(
                due=date.today() + timedelta(days=10),
                curriculum="police-default",
                unit=ministry.south,
            ),
            actor=None,
            today=date.today(),
        )
    db.commit()
    return assignment


def fill(rule, ministry, unit, member, assignment) -> str:
    values = {
        "org_slug": ministry.slug,
        "unit_id": unit.id,
        "user_id": member.id,
        "assignment_id": assignment.id,
    }
    unknown = set(rule.arguments) - set(values)
    assert not unknown, f"teach the walker the parameter(s) {unknown} of {rule.rule}"
    return rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


def request_each(client, rule, path, *, headers=None, data=None):
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        if method == "GET":
            yield method, client.get(path, headers=headers)
        else:
            yield method, client.open(path, method=method, headers=headers, data=data)


def test_there_are_organisation_routes_to_walk(app):
    assert len([r for r in org_rules(app) if r.rule.startswith("/orgs/")]) >= 15
    assert len([r for r in org_rules(app) if r.rule.startswith("/api/v1/orgs/")]) >= 6


def test_another_organisations_admin_gets_404_everywhere(
    app, client, auth, make, ministry, south_assignment
):
    auth.login("admin@moh.example")
    token = csrf_token(client, "/account")
    headers = make.api_headers(ministry.other_admin)
    for rule in org_rules(app):
        path = fill(rule, ministry, ministry.north, ministry.officer, south_assignment)
        api = path.startswith("/api/")
        data = None if api else {"csrf_token": token, "name": "X", "parent": "", "upload": "x"}
        for method, response in request_each(
            client, rule, path, headers=headers if api else None, data=data
        ):
            assert response.status_code == 404, (method, path, response.status_code)
            if api:
                assert response.json["error"]["code"] == "not_found"


def test_a_unit_scoped_admin_gets_404_outside_the_unit(
    app, client, auth, make, db, ministry, south_assignment
):
    auth.login("north@moi.example")
    token = csrf_token(client, "/account")
    headers = make.api_headers(ministry.north_admin)
    units_before = db.scalar(select(func.count(OrgUnit.id)))
    assignments_before = db.scalar(select(func.count(Assignment.id)))
    for rule in org_rules(app):
        path = fill(rule, ministry, ministry.south, ministry.southerner, south_assignment)
        api = path.startswith("/api/")
        with_ids = bool(set(rule.arguments) - {"org_slug"})
        data = (
            None
            if api
            else {
                "csrf_token": token,
                "name": "Sneaky",
                "kind": "district",
                "parent": ministry.south.id,
                "unit": ministry.south.id,
                "curriculum": "police-default",
                "due": "2099-01-01",
                "file": (
                    io.BytesIO(b"email,full_name,profession,unit\nx@moi.example,X,police,South\n"),
                    "staff.csv",
                ),
                "upload": "x",
            }
        )
        for method, response in request_each(
            client, rule, path, headers=headers if api else None, data=data
        ):
            body = response.get_data(as_text=True)
            if with_ids:
                assert response.status_code == 404, (method, path, response.status_code)
            elif rule.endpoint == "orgs.audit":
                assert response.status_code == 403
            elif method == "GET":
                assert response.status_code == 200, (method, path, response.status_code)
            else:
                assert response.status_code in (400, 404, 422), (method, path, response.status_code)
            assert "south@moi.example" not in body, (method, path)
            assert "Sam South" not in body, (method, path)
    assert db.scalar(select(func.count(OrgUnit.id))) == units_before
    assert db.scalar(select(func.count(Assignment.id))) == assignments_before


def test_a_learner_gets_403_and_a_stranger_is_sent_to_sign_in(client, auth, make, ministry):
    response = client.get(f"/orgs/{ministry.slug}/reports")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login("officer@moi.example")
    assert client.get(f"/orgs/{ministry.slug}/reports").status_code == 403
    headers = make.api_headers(ministry.officer)
    response = client.get(f"/api/v1/orgs/{ministry.slug}/reports/completion", headers=headers)
    assert response.status_code == 403


def test_the_scoped_admin_sees_only_their_part(client, auth, ministry):
    auth.login("north@moi.example")
    members = client.get(f"/orgs/{ministry.slug}/members").get_data(as_text=True)
    assert "Olu Officer" in members and "Sam South" not in members
    units = client.get(f"/orgs/{ministry.slug}/units").get_data(as_text=True)
    assert "North/District 4/Station A" in units and "South" not in units


def test_a_site_admin_sees_every_organisation(client, auth, make, ministry):
    make.user("root@example.org", role="admin", full_name="Site Admin")
    auth.login("root@example.org")
    assert client.get(f"/orgs/{ministry.slug}/members").status_code == 200
    assert client.get(f"/orgs/{ministry.other.slug}/members").status_code == 200
    assert isinstance(ministry.officer, User)
