"""Assignments: targets, inheritance by newcomers, the dashboard and the API."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token
from tests.orgs.conftest import in_days, shown_date
from trainer.models import Assignment, AuditEvent


def assign(client, headers, slug, **body):
    return client.post(f"/api/v1/orgs/{slug}/assignments", json=body, headers=headers)


def test_assigning_a_curriculum_to_a_region_reaches_its_stations(client, make, ministry):
    headers = make.api_headers(ministry.admin)
    response = assign(
        client,
        headers,
        ministry.slug,
        curriculum="police-default",
        unit="North",
        due=in_days(30).isoformat(),
    )
    assert response.status_code == 201, response.json
    assert response.json["assignment"]["courses"] == ["core", "police"]
    rows = client.get(f"/api/v1/orgs/{ministry.slug}/reports/learners", headers=headers).json
    assert {(r["email"], r["course"]) for r in rows["learners"]} == {
        ("officer@moi.example", "core"),
        ("officer@moi.example", "police"),
    }


def test_a_newcomer_inherits_the_units_assignments(client, make, db, ministry, auth):
    headers = make.api_headers(ministry.admin)
    assign(
        client,
        headers,
        ministry.slug,
        courses=["core"],
        unit=ministry.district4.id,
        due=in_days(20).isoformat(),
    )
    newcomer = make.user(
        "new@moi.example", organisation=ministry.org, full_name="Nel Newcomer", profession="police"
    )
    newcomer.unit_id = ministry.station_a.id
    db.commit()
    emails = [
        r["email"]
        for r in client.get(f"/api/v1/orgs/{ministry.slug}/reports/learners", headers=headers).json[
            "learners"
        ]
    ]
    assert emails == ["new@moi.example", "officer@moi.example"]
    auth.login("new@moi.example")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Assigned to you" in page and f"Due {shown_date(in_days(20))}" in page


def test_a_profession_within_a_unit_and_named_learners(client, make, db, ministry):
    headers = make.api_headers(ministry.admin)
    medic = make.user(
        "medic@moi.example", organisation=ministry.org, full_name="Mo Medic", profession="health"
    )
    medic.unit_id = ministry.station_a.id
    db.commit()
    assign(
        client,
        headers,
        ministry.slug,
        courses=["health"],
        unit=ministry.north.id,
        profession="health",
        due=in_days(5).isoformat(),
    )
    assign(
        client,
        headers,
        ministry.slug,
        courses=["media"],
        emails=["South@moi.example"],
        due=in_days(5).isoformat(),
    )
    rows = client.get(f"/api/v1/orgs/{ministry.slug}/reports/learners", headers=headers).json
    assert {(r["email"], r["course"]) for r in rows["learners"]} == {
        ("medic@moi.example", "health"),
        ("south@moi.example", "media"),
    }


def test_bad_assignments_say_what_to_fix(client, make, ministry):
    headers = make.api_headers(ministry.admin)
    due = in_days(3).isoformat()
    cases = [
        ({"curriculum": "pirates", "unit": "North", "due": due}, "Unknown curriculum 'pirates'"),
        ({"courses": ["core"], "curriculum": "police-default", "due": due}, "one of the two"),
        ({"courses": ["nope"], "due": due}, "Unknown course nope"),
        (
            {"courses": ["core"], "emails": ["nurse@moh.example"], "due": due},
            "Not among the staff you manage: nurse@moh.example",
        ),
        ({"courses": ["core"], "due": "2001-01-01"}, "The due date is in the past."),
    ]
    for body, message in cases:
        response = assign(client, headers, ministry.slug, **body)
        assert response.status_code == 400, body
        assert message in response.json["error"]["message"]
    response = assign(client, headers, ministry.slug, courses=["core"], due="soon")
    assert response.json["error"]["message"] == "'due' is a date: YYYY-MM-DD."


def test_a_scoped_admin_must_choose_one_of_their_units(client, make, ministry):
    headers = make.api_headers(ministry.north_admin)
    response = assign(client, headers, ministry.slug, courses=["core"], due=in_days(3).isoformat())
    assert response.json["error"]["message"] == "Choose one of the units you manage."
    response = assign(
        client,
        headers,
        ministry.slug,
        courses=["core"],
        unit=ministry.south.id,
        due=in_days(3).isoformat(),
    )
    assert response.status_code == 404


def test_assigning_in_the_browser_is_audited(client, auth, db, ministry):
    auth.login("admin@moi.example")
    path = f"/orgs/{ministry.slug}/assignments"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "curriculum": "police-default",
            "unit": str(ministry.north.id),
            "profession": "police",
            "due": in_days(14).isoformat(),
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Police and law enforcement: core curriculum" in html
    assert "Learners now</dt><dd>1" in html.replace("\n", "").replace("  ", "")
    assignment = db.scalar(select(Assignment))
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.create"))
    assert event.target_id == str(assignment.id) and event.organisation_id == ministry.org.id
    audit = client.get(f"/orgs/{ministry.slug}/audit").get_data(as_text=True)
    # A sentence, the person's name, and details by name: no codes or Python reprs.
    assert "Assignment created" in audit and "Ada Admin" in audit
    assert "<dt>Unit</dt><dd>North</dd>" in audit
    assert "<dt>Profession</dt><dd>Police and law enforcement</dd>" in audit
    assert "assignment.create" not in audit and "None" not in audit and "['" not in audit


def test_an_overdue_assignment_is_marked_on_the_dashboard(client, make, db, ministry, auth):
    assign(
        client,
        make.api_headers(ministry.admin),
        ministry.slug,
        courses=["core"],
        unit="North",
        due=in_days(1).isoformat(),
    )
    db.scalar(select(Assignment)).due_on = in_days(-2)
    db.commit()
    auth.login("officer@moi.example")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "<strong>Overdue</strong>: was due " + shown_date(in_days(-2)) in page


def test_a_course_in_two_assignments_counts_once_with_the_earliest_date(client, make, ministry):
    headers = make.api_headers(ministry.admin)
    assign(
        client, headers, ministry.slug, courses=["core"], unit="North", due=in_days(30).isoformat()
    )
    assign(
        client,
        headers,
        ministry.slug,
        curriculum="police-default",
        unit="District 4",
        due=in_days(10).isoformat(),
    )
    rows = client.get(f"/api/v1/orgs/{ministry.slug}/reports/learners", headers=headers).json
    assert [(r["course"], r["due"]) for r in rows["learners"]] == [
        ("core", in_days(10).isoformat()),
        ("police", in_days(10).isoformat()),
    ]
