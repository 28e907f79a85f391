"""Script payloads typed into names, licences, boards, CSV cells and filters come out as text.

In HTML they are escaped (Jinja's autoescaping; nothing is marked safe that a user
typed); in the certificate PDF they are printed literally, the way they were typed.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from tests.certificates.helpers import finish_course
from tests.conftest import PASSWORD
from tests.security.conftest import World, page_csrf_token
from tests.security.markup import live_markup
from tests.security.test_uploads import upload
from trainer.certificates.ids import format_certificate_id
from trainer.certificates.pdfread import printed_fields
from trainer.models import User

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'
SVG = "'><svg onload=alert(1)>"
NAME = f"Ana {SCRIPT} Lima"
NUMBER = IMG
BOARD = f"Board {SVG}"


def assert_inert(html: str, where: str, *shown: str) -> None:
    """No payload is live markup, and each of ``shown`` appears escaped, as text."""
    found = live_markup(html)
    assert not found, f"{where}: {found} reached the page as markup"
    for text in shown:
        assert str(escape(text)) in html, f"{where}: {text!r} is not shown as text"


def test_the_finder_tells_markup_from_text():
    assert live_markup(f"<p>{NAME}</p>") == ["<script>"]
    assert live_markup(f"<p>{IMG}</p>") == ["<img onerror=...>"]
    assert live_markup(f"<p>{SVG}</p>") == ["<svg onload=...>"]
    assert live_markup('<a href=" javascript:alert(1)">x</a>') == [
        "<a href=' javascript:alert(1)'>"
    ]
    for payload in (NAME, IMG, SVG):
        assert live_markup(f'<p>{escape(payload)}</p><input value="{escape(payload)}">') == []


def csv_bytes(*rows: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def register(client: FlaskClient) -> None:
    response = client.post(
        "/register",
        data={
            "csrf_token": page_csrf_token(client),
            "email": "payload@moi.example",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "full_name": NAME,
            "profession": "health",
            "country": "US",
            "region": "US-MI",
            "licence_type": "nurse",
            "licence_number": NUMBER,
            "licensing_board": BOARD,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    # Registration signs no one in (it must answer alike for a taken address): sign in.
    response = client.post(
        "/login",
        data={
            "csrf_token": page_csrf_token(client),
            "email": "payload@moi.example",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def payload_learner(world: World, db):
    """A learner of the world's organisation who typed payloads into every profile field."""
    browser = world.app.test_client()
    register(browser)
    user = db.query(User).filter_by(email="payload@moi.example").one()
    user.organisation_id, user.unit_id = world.unit.organisation_id, world.unit.id
    db.commit()
    certificate = finish_course(world.app, db, user, "health")
    return browser, user, format_certificate_id(certificate.id)


def test_profile_fields_are_text_on_every_page(world: World, payload_learner):
    browser, user, cert_id = payload_learner
    admin = world.browser("admin")
    org = world.org_slug
    for path in ["/dashboard", "/account"]:
        assert_inert(browser.get(path).get_data(as_text=True), path, NAME)
    assert_inert(browser.get("/certificates").get_data(as_text=True), "/certificates")
    verify = world.app.test_client().get(f"/verify/{cert_id}").get_data(as_text=True)
    assert_inert(verify, "the verify page", NAME, BOARD)
    for path in [
        "/admin/users?q=payload",
        f"/admin/certificates/{cert_id}",
        "/admin/certificates?q=payload@moi.example",
        f"/orgs/{org}/members",
        f"/orgs/{org}/members/{user.id}",
        f"/orgs/{org}/reports/learners",
    ]:
        assert_inert(admin.get(path).get_data(as_text=True), path, NAME)


def _plain(text: str) -> str:
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_certificate_pdf_prints_the_payloads_literally(payload_learner):
    browser, _user, cert_id = payload_learner
    pdf = browser.get(f"/certificates/{cert_id}.pdf").get_data()
    assert printed_fields(pdf).name == NAME
    program = shutil.which("pdftotext")
    if program is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    page = subprocess.run(  # noqa: S603 (fixed program, our own PDF on stdin)
        [program, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    text = _plain(page)
    for typed in (NAME, NUMBER, BOARD):
        assert _plain(typed) in text, f"{typed!r} is not on the certificate as typed"


def test_enrolment_cells_are_text_in_the_preview_and_after(world: World):
    admin = world.browser("admin")
    org = world.org_slug
    good = csv_bytes(
        ["email", "full_name", "profession", "unit", "licence_type", "licence_number",
         "licensing_board"],
        ["staff@moi.example", NAME, "health", "North", "nurse", NUMBER, BOARD],
    )  # fmt: skip
    preview = upload(admin, f"/orgs/{org}/enrolments", good)
    assert preview.status_code == 200
    assert_inert(preview.get_data(as_text=True), "the enrolment preview", NAME)
    bad = csv_bytes(
        ["email", "full_name", "profession", "unit"],
        [f"{SCRIPT}@x", "Ana", "health", "North"],
        ["ok@moi.example", "Ana", IMG, "North"],
        ["ok2@moi.example", "Ana", "health", SVG],
    )
    errors = upload(admin, f"/orgs/{org}/enrolments", bad)
    assert errors.status_code == 400
    assert_inert(errors.get_data(as_text=True), "the enrolment errors", SCRIPT)


def test_batch_verification_echoes_are_text(world: World):
    verifier = world.browser("verifier")
    header = f"{SCRIPT},{SVG}\n1,2\n".encode()
    page = upload(verifier, "/verify/batch", header, "ids.csv")
    assert page.status_code == 400
    assert_inert(page.get_data(as_text=True), "the batch page", SCRIPT)
    summary = upload(verifier, "/verify/batch", f"id\n{SCRIPT}\n".encode(), "ids.csv")
    assert summary.status_code == 200
    html = summary.get_data(as_text=True)
    assert_inert(html, "the batch summary")
    start = html.index("/verify/batch/")
    results = verifier.get(html[start : html.index(".csv", start) + 4])
    assert results.mimetype == "text/csv"
    assert results.headers["Content-Disposition"].startswith("attachment")
    assert results.headers["X-Content-Type-Options"] == "nosniff"


def test_what_is_typed_into_boxes_and_addresses_comes_back_as_text(world: World):
    anonymous, admin = world.app.test_client(), world.browser("admin")
    org = world.org_slug
    echoes = [
        (anonymous, "/verify", {"id": SCRIPT}),
        (anonymous, f"/verify/{IMG}", {}),
        (admin, "/admin/users", {"q": SCRIPT}),
        (admin, "/admin/certificates", {"q": IMG}),
        (admin, f"/orgs/{org}/reports", {"profession": SCRIPT}),
        (admin, f"/orgs/{org}/reports/learners", {"course": IMG}),
        (admin, f"/orgs/{org}/insight", {"course": SVG}),
        (anonymous, "/courses", {"profession": SCRIPT}),
        (anonymous, f"/courses/{SCRIPT}", {}),
    ]
    for client, path, query in echoes:
        response = client.get(path, query_string=query)
        assert_inert(response.get_data(as_text=True), f"{path} {query}")


def test_form_values_come_back_as_text(world: World):
    """Forms show a rejected value again: in an attribute, where quotes matter most."""
    admin = world.browser("admin")
    org = world.org_slug
    token = page_csrf_token(admin)
    name = f"Unit {IMG} {SVG}"  # a unit name cannot hold a '/'
    unit = {"csrf_token": token, "name": name, "kind": "region", "parent": ""}
    created = admin.post(f"/orgs/{org}/units", data=unit)
    assert created.status_code == 302
    for path in (f"/orgs/{org}/units", f"/orgs/{org}/reports"):
        assert_inert(admin.get(path).get_data(as_text=True), path, name)
    assigned = admin.post(
        f"/orgs/{org}/assignments",
        data={"csrf_token": token, "emails": f"{SCRIPT}\n{IMG}", "due": "2099-01-31",
              "curriculum": "police-default"},
    )  # fmt: skip
    assert assigned.status_code == 400
    assert_inert(assigned.get_data(as_text=True), "the assignment form", f"{SCRIPT}\n{IMG}")
    learner = world.browser("learner")
    rejected = learner.post(
        "/account",
        data={"csrf_token": page_csrf_token(learner), "full_name": IMG, "profession": "health",
              "country": "US", "licence_number": "x" * 65 + SCRIPT},
    )  # fmt: skip
    assert rejected.status_code == 400
    assert_inert(rejected.get_data(as_text=True), "the account form", IMG)
