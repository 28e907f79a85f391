"""Completion by person: people who finished every assigned course, counted in SQL."""

from __future__ import annotations

import csv
import io

from tests.orgs.test_reports import catalogue, progress  # noqa: F401  (fixture)
from tests.progress import complete_modules, passed_attempt


def finish_police(app, db, ministry):
    police = catalogue(app).courses["police"]
    complete_modules(db, ministry.officer, police)
    passed_attempt(db, ministry.officer, police, {police.items[0].id: 1.0})
    db.commit()


def test_people_by_region_count_persons_not_pairs(app, client, db, ministry, progress):  # noqa: F811
    url = f"/api/v1/orgs/{ministry.slug}/reports/people"
    body = client.get(url, headers=progress).json
    # Two officers, each with two courses: nobody has finished both; both are overdue.
    assert body["total"] == {
        "unit_id": None,
        "unit": "",
        "profession": "",
        "people_assigned": 2,
        "people_complete": 0,
        "people_in_progress": 2,
        "people_not_started": 0,
        "people_overdue": 2,
    }
    finish_police(app, db, ministry)
    body = client.get(url, headers=progress).json
    north = next(r for r in body["rows"] if r["unit"] == "North")
    assert (north["people_assigned"], north["people_complete"], north["people_overdue"]) == (
        1,
        1,
        0,
    )
    assert body["total"]["people_complete"] == 1
    assert body["total"]["people_in_progress"] == 1


def test_a_curriculum_counts_only_its_courses(client, ministry, progress):  # noqa: F811
    # Only "core" matters when filtered to a course: both officers completed it.
    body = client.get(
        f"/api/v1/orgs/{ministry.slug}/reports/people?course=core", headers=progress
    ).json
    assert body["total"]["people_complete"] == 2
    assert body["total"]["people_overdue"] == 0
    bad = client.get(f"/api/v1/orgs/{ministry.slug}/reports/people?curriculum=x", headers=progress)
    assert bad.status_code == 400


def test_people_csv_has_a_bom_and_takes_a_semicolon(client, ministry, progress):  # noqa: F811
    response = client.get(
        f"/api/v1/orgs/{ministry.slug}/reports/people.csv?sep=;", headers=progress
    )
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["unit", "profession", "people_assigned"]
    assert ["North", "police", "1", "0", "1", "0", "1"] in rows
    assert (
        client.get(
            f"/api/v1/orgs/{ministry.slug}/reports/people.csv?sep=|", headers=progress
        ).status_code
        == 400
    )


def test_the_pages_say_what_they_count(client, auth, ministry, progress):  # noqa: F811
    auth.login(ministry.admin.email)
    html = client.get(f"/orgs/{ministry.slug}/reports").get_data(as_text=True)
    assert '<main id="main" class="wrap wrap--wide"' in html  # admin pages use the wide layout
    assert "0 of 2 people have completed their assigned training" in html
    assert "Police and law enforcement" in html or "Police" in html
    courses = client.get(f"/orgs/{ministry.slug}/reports/courses").get_data(as_text=True)
    assert "assigned courses" in courses
    overview = client.get(f"/orgs/{ministry.slug}/").get_data(as_text=True)
    assert "0 of 2 people have completed their assigned training" in overview
    assert "2 people have training past its due date." in overview
