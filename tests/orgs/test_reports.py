"""Completion reports on a small dataset whose numbers are known."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from markupsafe import escape
from sqlalchemy import select

from tests.orgs.conftest import in_days
from tests.progress import complete_modules, passed_attempt
from trainer.models import Assignment, Certificate
from trainer.orgs import reports
from trainer.orgs.scope import Scope
from trainer.quizzes.statistics import MIN_ANSWERS_SHOWN


def catalogue(app):
    return app.extensions["trainer.content"]


def certificate(db, user, course):
    db.add(
        Certificate(
            id=f"C{user.id}{course.slug}".upper(),
            user_id=user.id,
            course_slug=course.slug,
            course_version=course.version,
            course_title=course.title,
            name=user.full_name,
            hours=1.5,
            content_areas=[],
            requirements=[],
            completed_on=date.today(),
            provider_name="Trainer",
            credential="x",
            key_id="k",
        )
    )


@pytest.fixture
def progress(app, client, make, db, ministry):
    """Police curriculum for the whole ministry, overdue; known progress for two officers.

    - the officer (North/District 4/Station A): core done and passed; one police module;
    - the southerner (South/District 9): a certificate for core (done elsewhere); no police.
    """
    headers = make.api_headers(ministry.admin)
    client.post(
        f"/api/v1/orgs/{ministry.slug}/assignments",
        headers=headers,
        json={"curriculum": "police-default", "due": in_days(1).isoformat()},
    )
    db.scalar(select(Assignment)).due_on = in_days(-1)
    core, police = catalogue(app).courses["core"], catalogue(app).courses["police"]
    complete_modules(db, ministry.officer, core)
    passed_attempt(db, ministry.officer, core, {core.items[0].id: 0.0, core.items[1].id: 1.0})
    complete_modules(db, ministry.officer, police, 1)
    certificate(db, ministry.southerner, core)
    db.commit()
    return headers


def test_completion_by_region(client, ministry, progress):
    rows = client.get(f"/api/v1/orgs/{ministry.slug}/reports/completion", headers=progress).json
    assert rows["rows"] == [
        {
            "unit_id": ministry.north.id,
            "unit": "North",
            "profession": "police",
            "course": "core",
            "assigned": 1,
            "started": 1,
            "completed": 1,
            "overdue": 0,
            "certificates": 0,
        },
        {
            "unit_id": ministry.north.id,
            "unit": "North",
            "profession": "police",
            "course": "police",
            "assigned": 1,
            "started": 1,
            "completed": 0,
            "overdue": 1,
            "certificates": 0,
        },
        {
            "unit_id": ministry.south.id,
            "unit": "South",
            "profession": "police",
            "course": "core",
            "assigned": 1,
            "started": 1,
            "completed": 1,
            "overdue": 0,
            "certificates": 1,
        },
        {
            "unit_id": ministry.south.id,
            "unit": "South",
            "profession": "police",
            "course": "police",
            "assigned": 1,
            "started": 0,
            "completed": 0,
            "overdue": 1,
            "certificates": 0,
        },
    ]


def test_drilling_into_a_region_shows_its_districts(client, ministry, progress):
    rows = client.get(
        f"/api/v1/orgs/{ministry.slug}/reports/completion?unit={ministry.north.id}",
        headers=progress,
    ).json["rows"]
    assert {(r["unit"], r["course"]) for r in rows} == {
        ("North/District 4", "core"),
        ("North/District 4", "police"),
    }


def test_learner_rows_with_status_due_and_certificate(client, ministry, progress):
    body = client.get(
        f"/api/v1/orgs/{ministry.slug}/reports/learners?status=overdue", headers=progress
    ).json
    assert body["total"] == 2
    assert [(r["email"], r["course"], r["status"]) for r in body["learners"]] == [
        ("officer@moi.example", "police", "overdue"),
        ("south@moi.example", "police", "overdue"),
    ]
    core = client.get(
        f"/api/v1/orgs/{ministry.slug}/reports/learners?course=core", headers=progress
    ).json["learners"]
    assert [(r["name"], r["unit"], r["status"], r["certificate_id"]) for r in core] == [
        ("Olu Officer", "North/District 4/Station A", "completed", None),
        ("Sam South", "South/District 9", "completed", f"C{ministry.southerner.id}CORE"),
    ]


def test_pages_of_learners(app, db, ministry, progress):
    with app.app_context():
        page = reports.learners(
            db,
            Scope(ministry.org),
            catalogue(app),
            reports.ReportFilters(),
            date.today(),
            page=2,
            page_size=3,
        )
    assert (page.total, page.pages, len(page.rows)) == (4, 2, 1)


def test_the_csv_exports_neutralise_formulas(client, db, ministry, progress):
    ministry.southerner.full_name = '=HYPERLINK("http://evil.example")'
    db.commit()
    data = client.get(f"/api/v1/orgs/{ministry.slug}/reports/learners.csv", headers=progress).data
    assert data.startswith("\ufeff".encode())  # Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "name",
        "email",
        "unit",
        "profession",
        "course",
        "status",
        "due",
        "certificate_id",
    ]
    assert [
        '\'=HYPERLINK("http://evil.example")',
        "south@moi.example",
        "South/District 9",
        "police",
        "core",
        "completed",
        in_days(-1).isoformat(),
        f"C{ministry.southerner.id}CORE",
    ] in rows
    summary = client.get(
        f"/api/v1/orgs/{ministry.slug}/reports/completion.csv", headers=progress
    ).data.decode("utf-8-sig")
    assert summary.splitlines()[1] == "North,police,core,1,1,1,0,0"


def test_the_report_page_has_an_accessible_chart_and_its_table(client, auth, ministry, progress):
    auth.login("admin@moi.example")
    html = client.get(f"/orgs/{ministry.slug}/reports/courses").get_data(as_text=True)
    assert 'role="img"' in html and '<title id="chart-title">' in html
    # the description says every value, and what is counted
    assert "North: 50% (1 of 2 assigned courses)." in html
    assert "<caption>Assigned courses completed, by unit</caption>" in html
    assert "<script" not in html
    svg = ElementTree.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])  # noqa: S314 (our own page)
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t.text for t in svg.iter(f"{ns}text")]
    shown = "50% (1 of 2 assigned courses)"
    assert labels == ["North", shown, "South", shown]
    assert client.get(f"/orgs/{ministry.slug}/reports?status=late").status_code == 400


def test_a_unit_scoped_admin_sees_only_their_units_numbers(client, make, ministry, progress):
    headers = make.api_headers(ministry.north_admin)
    rows = client.get(f"/api/v1/orgs/{ministry.slug}/reports/completion", headers=headers).json
    assert {r["unit"] for r in rows["rows"]} == {"North/District 4"}


def _stem_start(item) -> str:
    """The first words of an item's stem as the insight page prints them."""
    return re.sub(r"<[^>]+>", "", item.stem).split("\n")[0][:40]


def test_quiz_insight_names_items_by_text_and_withholds_figures_below_the_minimum(
    client, auth, app, ministry, progress
):
    auth.login("admin@moi.example")
    html = client.get(f"/orgs/{ministry.slug}/insight?course=core").get_data(as_text=True)
    core = catalogue(app).courses["core"]
    assert "What your staff miss most" in html
    assert escape(_stem_start(core.items[0])) in html
    assert core.items[0].id not in html  # by text, not by the file's id
    # one answer per item: no facility is shown, and the page says why
    assert "Too few answers to judge" in html
    assert f"Both figures are shown only from {MIN_ANSWERS_SHOWN} answers" in html
    assert "<td>0</td><td>" not in html


def test_quiz_insight_shows_facility_and_discrimination_from_the_minimum(
    client, auth, app, db, make, ministry
):
    core = catalogue(app).courses["core"]
    hard, easy = core.items[0], core.items[1]
    for n in range(MIN_ANSWERS_SHOWN):
        user = make.user(f"staff{n}@moi.example", organisation=ministry.org)
        scores = {hard.id: 1.0 if n % 4 == 0 else 0.0, easy.id: 1.0}
        passed_attempt(db, user, core, scores)
    db.commit()
    auth.login("admin@moi.example")
    html = client.get(f"/orgs/{ministry.slug}/insight?course=core").get_data(as_text=True)
    assert html.index(escape(_stem_start(hard))) < html.index(escape(_stem_start(easy)))
    assert "Too few answers to judge" not in html.split("Items, hardest first")[1]
    row = re.search(r"<td>([-\d.]+)</td><td>([-\d.]+)</td><td>(\d+)</td>", html)
    assert row is not None and row.group(1) == "0.25" and row.group(3) == str(MIN_ANSWERS_SHOWN)
    float(row.group(2))  # a discrimination index is printed


def test_quiz_insight_reads_items_in_the_readers_language(client, auth, app, ministry, progress):
    auth.login("admin@moi.example")
    page = client.get(
        f"/orgs/{ministry.slug}/insight?course=core", headers={"Accept-Language": "es"}
    )
    html = page.get_data(as_text=True)
    spanish = catalogue(app).in_language("es").courses["core"].items[0]
    assert escape(_stem_start(spanish)) in html


def test_the_learner_drill_down_page(client, auth, ministry, progress):
    auth.login("admin@moi.example")
    html = client.get(
        f"/orgs/{ministry.slug}/reports/learners?course=police&status=overdue"
    ).get_data(as_text=True)
    assert "2 rows" in html
    assert "Olu Officer" in html and "Sam South" in html
    assert html.count("<strong>overdue</strong>") == 2
    assert f"/orgs/{ministry.slug}/members/{ministry.officer.id}" in html
    member = client.get(f"/orgs/{ministry.slug}/members/{ministry.officer.id}")
    assert "In progress · <strong>overdue</strong>" in member.get_data(as_text=True)
