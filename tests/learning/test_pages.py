"""Catalogue, course and module pages, progress and the dashboard, as a learner sees them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from trainer.models import ModuleCompletion


def complete(client, course, module):
    page = f"/courses/{course}/modules/{module}"
    return client.post(f"{page}/complete", data={"csrf_token": csrf_token(client, page)})


def test_home_links_each_profession_to_its_catalogue(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/courses?profession=health"' in page
    catalogue = client.get("/courses?profession=health").get_data(as_text=True)
    assert "Human trafficking in health care" in catalogue
    assert "Policing human trafficking" not in catalogue
    assert "core course" in catalogue


def test_catalogue_defaults_to_the_learners_profession(client, make, auth):
    make.user(profession="police")
    auth.login()
    page = client.get("/courses").get_data(as_text=True)
    assert "Policing human trafficking" in page
    assert "Human trafficking in health care" not in page


def test_course_page_shows_what_a_board_asks(client):
    page = client.get("/courses/health").get_data(as_text=True)
    assert "Credit hours" in page and "1.25" in page
    assert "Warning signs" in page  # a module title
    # A fresh install holds no approvals: the rules are named as aligned, not satisfied.
    assert "Michigan: human trafficking training for Public Health Code licensees" in page
    assert "Florida: 1-hour human trafficking course" in page
    assert "this site is not an approved provider for them" in page
    assert "Identifying victims in health-care settings" in page  # a content area
    assert "Sign in to save your progress" in page


def test_module_page_for_anonymous_readers(client):
    page = client.get("/courses/health/modules/warning-signs").get_data(as_text=True)
    assert "Content note" in page
    assert 'rel="prev" href="/courses/health/modules/why-health-care"' in page
    assert 'rel="next" href="/courses/health/modules/seeing-the-patient-alone"' in page
    assert "Mark complete" not in page


@pytest.mark.parametrize(
    ("country", "shown", "hidden"),
    [
        ("US", "National Human Trafficking Hotline", "Modern Slavery &amp; Exploitation Helpline"),
        ("GB", "Modern Slavery &amp; Exploitation Helpline", "National Human Trafficking Hotline"),
        ("KE", "International Organization for Migration", "National Human Trafficking Hotline"),
    ],
)
def test_reporting_modules_show_the_learners_own_contacts(
    client, make, auth, country, shown, hidden
):
    make.user(country=country)
    auth.login()
    page = client.get("/courses/core/modules/responding-safely").get_data(as_text=True)
    assert shown in page
    assert hidden not in page


def test_mark_complete_saves_progress_and_moves_on(client, make, auth):
    make.user()
    auth.login()
    response = complete(client, "health", "why-health-care")
    assert response.headers["Location"] == "/courses/health/modules/warning-signs"
    course = client.get("/courses/health").get_data(as_text=True)
    assert "1 of 5 modules done" in course
    assert "Continue: Warning signs" in course


def test_completing_twice_records_once(client, make, auth, db):
    make.user()
    auth.login()
    complete(client, "health", "why-health-care")
    complete(client, "health", "why-health-care")
    count = db.scalar(select(func.count()).select_from(ModuleCompletion))
    assert count == 1


def test_resume_where_the_learner_left_off(client, make, auth):
    make.user()
    auth.login()
    for module in ("why-health-care", "warning-signs"):
        complete(client, "health", module)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "In progress" in dashboard
    assert re.search(r'href="/courses/health/modules/seeing-the-patient-alone">Continue', dashboard)


def test_all_modules_done_leaves_the_assessment(client, make, auth):
    make.user()
    auth.login()
    core = [
        "definitions",
        "forms-and-venues",
        "indicators",
        "trafficking-vs-smuggling",
        "responding-safely",
        "myths-and-facts",
    ]
    for module in core:
        complete(client, "core", module)
    assert "Modules done: assessment next" in client.get("/courses/core").get_data(as_text=True)


def test_dashboard_lists_the_curriculum(client, make, auth):
    make.user(profession="media")
    auth.login()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Media and journalism: core curriculum" in page
    assert "Reporting on human trafficking" in page


def test_completion_needs_sign_in_and_csrf(client, make, auth):
    anonymous = client.post(
        "/courses/core/modules/definitions/complete",
        data={"csrf_token": csrf_token(client, "/login")},
    )
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")
    make.user()
    auth.login()
    assert client.post("/courses/core/modules/definitions/complete").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/courses/nope",
        "/courses/core/modules/nope",
        "/courses/core/media/images/none.png",
        "/courses/core/media/course.toml",
        "/courses/core/media/../professions.toml",
    ],
)
def test_unknown_pages_and_files_are_404(client, path):
    assert client.get(path).status_code == 404
