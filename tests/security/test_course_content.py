"""Course content is trusted less than it looks: a fixture course full of script payloads.

Authors edit Markdown and TOML, often copied from elsewhere. Whatever they write,
module pages, the catalogue, quiz items and reviews show it as text or as
sanitised HTML, and the certificate prints the course title literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, app_settings
from tests.content.fixtures import FILES, write_content
from tests.progress import finish_and_issue
from tests.quizzes.bank import SINGLE
from tests.security.markup import live_markup
from trainer import create_app
from trainer import db as trainer_db
from trainer.accounts.services import Profile, create_user, start_login_session
from trainer.certificates.pdfread import printed_fields
from trainer.content.catalogue import catalogue
from trainer.extensions import limiter
from trainer.migrate import upgrade

SCRIPT = '<script>alert("xss")</script>'
TITLE = f"Basics {SCRIPT}"
MODULE_BODY = f"""
{SCRIPT}

<img src="https://x.example/x.png" onerror="alert(1)"> <svg onload="alert(2)"></svg>

<iframe src="https://evil.example"></iframe> <style>body {{ display: none }}</style>

[a link](javascript:alert(3)) and <a href="javascript:alert(4)" onclick="alert(5)">another</a>

<p style="position:fixed" onmouseover="alert(6)">styled</p>

<form action="https://evil.example"><input name="password"></form>

![a picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

!!! case "{SCRIPT}"
    <b onclick="alert(7)">inside a callout</b>
"""


def hostile_course(root: Path) -> Path:
    option = """'<img src="x" onerror="alert(8)"> Confront the companion.'"""
    item = SINGLE.replace('"Who speaks for the patient?"', f"'Who speaks? {SCRIPT}'")
    item = item.replace('"Confront the companion."', option)
    manifest = FILES["basics/course.toml"].replace('title = "Basics"', f"title = '{TITLE}'")
    manifest = manifest.replace('"Know the basics"', "'Know <img src=x onerror=alert(9)>'")
    module = FILES["basics/modules/01-what.md"].replace(
        'title = "What it is"', f"title = '{SCRIPT}'"
    )
    module = module.split("+++\n", 2)
    return write_content(
        root,
        **{
            "basics/course.toml": manifest,
            "basics/modules/01-what.md": "+++\n".join([*module[:2], MODULE_BODY]),
            "basics/items/bank.toml": item,
        },
    )


@pytest.fixture
def hostile_app(tmp_path, app) -> Iterator[Flask]:
    courses = hostile_course(tmp_path)
    other = create_app(
        app_settings(tmp_path / "instance", f"sqlite:///{tmp_path / 'hostile.db'}",
                     COURSES_DIR=courses)
    )  # fmt: skip
    upgrade(trainer_db.database(other).engine)
    yield other
    trainer_db.database(other).engine.dispose()
    limiter.init_app(app)  # one limiter per process: give it back to the suite's app


def signed_in(app: Flask) -> tuple[FlaskClient, int]:
    with app.app_context():
        session = trainer_db.session()
        user = create_user(
            session, email="reader@example.org", password=PASSWORD,
            profile=Profile("Rea Reader", "health", "US"),
        )  # fmt: skip
        login = start_login_session(session, user, remember=False)
        session.commit()
        token, user_id = login.token, user.id
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = token
    return client, user_id


def assert_inert(html: str, where: str) -> None:
    found = live_markup(html)
    assert not found, f"{where}: {found} reached the page as markup"


def test_the_hostile_course_loads(hostile_app):
    with hostile_app.app_context():
        course = catalogue().courses["basics"]
    assert course.title == TITLE, "the title is kept as written, and escaped when shown"


def test_pages_show_content_as_text_or_sanitised_html(hostile_app):
    client, _user = signed_in(hostile_app)
    for path in [
        "/",
        "/courses",
        "/courses/basics",
        "/courses/basics/modules/what",
        "/courses/basics/modules/report",
        "/dashboard",
        "/courses/basics/assessment",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), path)  # fmt: skip
    page = client.get("/courses/basics/modules/what").get_data(as_text=True)
    assert "styled" in page and "inside a callout" in page, "the harmless text stays"
    assert "&lt;script&gt;" in page, "the module title is shown as text"


def test_quiz_items_and_their_review_are_sanitised(hostile_app):
    client, _user = signed_in(hostile_app)
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"',
        client.get("/courses/basics/assessment").get_data(as_text=True),
    ).group(1)
    started = client.post("/courses/basics/assessment", data={"csrf_token": token})
    assert started.status_code == 302
    item = client.get(started.headers["Location"])
    assert item.status_code == 200
    assert_inert(item.get_data(as_text=True), "the quiz item")
    attempt = started.headers["Location"].split("/")[2]
    answered = client.post(
        started.headers["Location"], data={"csrf_token": token, "answer": "confront"}
    )
    assert answered.status_code == 302
    submitted = client.post(f"/attempts/{attempt}/submit", data={"csrf_token": token})
    review = client.get(submitted.headers["Location"])
    assert review.status_code == 200
    assert_inert(review.get_data(as_text=True), "the review")
    assert "Confront the companion." in review.get_data(as_text=True)


def test_the_certificate_prints_the_course_title_literally(hostile_app):
    client, user_id = signed_in(hostile_app)
    with hostile_app.app_context():
        session = trainer_db.session()
        from trainer.models import User

        user = session.get(User, user_id)
        course = catalogue().courses["basics"]
        scores = {"basics-single": 1.0}
        cert_id = finish_and_issue(hostile_app, session, user, course, scores).id
    pdf = client.get(f"/certificates/{cert_id}.pdf")
    assert pdf.status_code == 200
    fields = printed_fields(pdf.get_data())
    shown = " ".join(" ".join(v) for v in fields.fields.values())
    assert SCRIPT in shown, "the course title is printed as written"
    listing = client.get("/certificates").get_data(as_text=True)
    assert_inert(listing, "the certificates page")
    assert "Basics &lt;script&gt;" in listing
