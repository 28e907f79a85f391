"""An organisation's assignment counts a completion in any language of the course."""

from __future__ import annotations

import pytest

from tests.certificates.helpers import pass_course_via_api
from tests.orgs.conftest import in_days
from tests.variants import spanish_app


@pytest.fixture(scope="module")
def app(app, tmp_path_factory):
    yield from spanish_app(app, tmp_path_factory)


def test_an_assigned_curriculum_counts_a_spanish_completion(app, client, make, db):
    ministry = make.organisation()
    admin = make.user("admin@moh.example", role="org_admin", organisation=ministry)
    nurse = make.user("nurse@moh.example", organisation=ministry, full_name="Lucía Fernández")
    headers = make.api_headers(admin)
    assigned = client.post(
        f"/api/v1/orgs/{ministry.slug}/assignments",
        headers=headers,
        json={"curriculum": "health-default", "due": in_days(30).isoformat()},
    )
    assert assigned.status_code == 201, assigned.json
    report = f"/api/v1/orgs/{ministry.slug}/reports/learners"
    (row,) = client.get(report, headers=headers).json["learners"]
    assert (row["course"], row["status"]) == ("basics", "not_started")

    pass_course_via_api(client, app, make.api_headers(nurse), slug="basics", language="es")

    (row,) = client.get(report, headers=headers).json["learners"]
    assert (row["email"], row["course"], row["status"]) == (
        "nurse@moh.example",
        "basics",
        "completed",
    )
    assert row["certificate_id"]
    (completion,) = client.get(
        f"/api/v1/orgs/{ministry.slug}/reports/completion", headers=headers
    ).json["rows"]
    assert (completion["completed"], completion["assigned"]) == (1, 1)
