"""SQL-looking input is inert: no 500, nothing changed, every table still there.

Every box and filter that reaches a query gets the classic payloads, a NUL byte
(which PostgreSQL refuses in text) and numbers too large for any column.
"""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD
from tests.security.conftest import World, page_csrf_token
from tests.security.test_escaping import csv_bytes
from tests.security.test_uploads import upload
from tests.security.walk import methods, path_for
from trainer import IdConverter
from trainer.models import ApiToken, AuditEvent, Base

PAYLOADS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    "'; DELETE FROM certificates; --",
    "1; UPDATE users SET role='admin'",
    "%' UNION SELECT email, password_hash FROM users --",
    "%",
    "_",
    "\\",
    "nul\x00byte",
    "99999999999999999999999999",
    "-1",
]
IGNORED = {"audit_events", "api_tokens"}  # lookups are audited; token use is recorded


def fingerprint(db: Session) -> dict[str, str]:
    """A digest of each table but the audit log and token use: any change shows, and where."""
    digests = {}
    for table in Base.metadata.sorted_tables:
        if table.name in IGNORED:
            continue
        rows = db.execute(select(table).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    digests["api_tokens (count)"] = str(db.scalar(select(func.count(ApiToken.id))))
    return digests


def pages(world: World, value: str) -> list[tuple[str, str, dict]]:
    """(role, path, query) of every page with a search box or filter."""
    org = world.org_slug
    return [
        ("admin", "/admin/users", {"q": value, "page": value}),
        ("admin", "/admin/certificates", {"q": value}),
        ("anonymous", "/verify", {"id": value}),
        ("anonymous", "/courses", {"profession": value}),
        ("admin", f"/orgs/{org}/members", {"unit": value, "page": value}),
        ("admin", f"/orgs/{org}/audit", {"page": value}),
        ("admin", f"/orgs/{org}/insight", {"course": value}),
        *[
            ("admin", f"/orgs/{org}/reports{tail}", {name: value, "page": value})
            for tail in ("", "/learners", "/completion.csv", "/learners.csv")
            for name in ("unit", "profession", "course", "status")
        ],
    ]


def api_calls(world: World, value: str) -> list[tuple[str, str, str, dict]]:
    """(role, method, path, keyword arguments) of every API input that reaches a query."""
    org = world.org_slug
    return [
        ("anonymous", "GET", "/api/v1/courses", {"query_string": {"profession": value}}),
        ("verifier", "POST", "/api/v1/verifications", {"json": {"ids": [value]}}),
        (
            "verifier",
            "POST",
            "/api/v1/verifications",
            {"json": {"licenses": [{"number": value, "board": value}]}},
        ),
        ("anonymous", "POST", "/api/v1/tokens", {"json": {"email": value, "password": value}}),
        ("learner", "GET", f"/api/v1/attempts/{value}", {}),
        ("admin", "GET", f"/api/v1/orgs/{org}/reports/learners", {"query_string": {
            "unit": value, "status": value, "page": value}}),
        ("admin", "POST", f"/api/v1/orgs/{org}/assignments", {"json": {
            "curriculum": value, "unit": value, "due": "2099-01-01", "emails": [value]}}),
    ]  # fmt: skip


def path_safe(value: str) -> str:
    return value.replace("/", "%2F").replace("?", "%3F").replace("#", "%23").replace("%", "%25")


@pytest.mark.parametrize("value", PAYLOADS)
def test_search_boxes_and_filters(world: World, db, value):
    browsers = {role: world.browser(role) for role in ("anonymous", "admin")}
    before = fingerprint(db)
    for role, path, query in pages(world, value):
        response = browsers[role].get(path, query_string=query)
        assert response.status_code < 500, (path, query, response.status_code)
    assert fingerprint(db) == before


@pytest.mark.parametrize("value", PAYLOADS)
def test_api_inputs(world: World, db, value):
    before = fingerprint(db)
    for role, method, path, kwargs in api_calls(world, value):
        response = world.app.test_client().open(
            path, method=method, headers=world.api_headers(role), **kwargs
        )
        assert response.status_code < 500, (method, path, kwargs, response.status_code)
        assert "error" in response.json or response.status_code < 300
    assert fingerprint(db) == before


@pytest.mark.parametrize("value", PAYLOADS)
def test_certificate_ids_in_addresses(world: World, db, value):
    client, browser = world.app.test_client(), world.browser("admin")
    before = fingerprint(db)
    for path in ("/verify/", "/api/v1/verify/", "/certificates/", "/admin/certificates/"):
        tail = ".pdf" if path == "/certificates/" else ""
        response = browser.get(path + path_safe(value) + tail)
        assert response.status_code in (302, 400, 404), (path, value, response.status_code)
    found = client.get("/verify/" + path_safe(value))
    assert found.status_code in (400, 404)
    assert fingerprint(db) == before


@pytest.mark.parametrize("value", [p for p in PAYLOADS if "\x00" not in p])
def test_licence_lookups_in_a_batch_file(world: World, db, value):
    verifier = world.browser("verifier")
    before = fingerprint(db)
    content = csv_bytes(["licence_number", "board"], [value, value], ["RN-100200", value])
    response = upload(verifier, "/verify/batch", content, "licences.csv")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    page = response.get_data(as_text=True)  # the summary, which links to the results
    start = page.index("/verify/batch/")
    results = verifier.get(page[start : page.index(".csv", start) + 4]).data.decode("utf-8-sig")
    statuses = [row["status"] for row in csv.DictReader(io.StringIO(results))]
    assert statuses == ["not_found", "not_found"]
    assert fingerprint(db) == before


@pytest.mark.parametrize("value", PAYLOADS)
def test_the_sign_in_form(world: World, db, value, monkeypatch, app):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.config, "LOGIN_PER_ACCOUNT_RATE_LIMIT", "1000 per minute")
    browser = world.browser("anonymous")
    token = page_csrf_token(browser)
    before = fingerprint(db)
    for email, password in [(value, value), ("learner@moi.example", value), (value, PASSWORD)]:
        response = browser.post(
            "/login", data={"csrf_token": token, "email": email, "password": password}
        )
        assert response.status_code == 400, (email, password, response.status_code)
        said = response.get_data(as_text=True)
        assert ("NUL character" if "\x00" in value else "The email or password is not") in said
    assert fingerprint(db) == before


def test_numbers_too_large_for_any_column_in_addresses(world: World, db):
    """``<int:...>`` in addresses: a number past any id matches no route, even for an admin."""
    browser, huge = world.browser("admin"), 10**20
    probed = []
    for rule in world.app.url_map.iter_rules():
        numbers = [name for name, kind in rule._converters.items() if isinstance(kind, IdConverter)]
        if not numbers:
            continue
        path = path_for(world, rule, dict.fromkeys(numbers, huge))
        for method in methods(rule):
            data = {"csrf_token": page_csrf_token(browser)} if method != "GET" else None
            response = browser.open(path, method=method, data=data)
            # (405 where the same address has a route for another method, which Werkzeug
            # counts before it converts the number.)
            assert response.status_code in (404, 405), (method, path, response.status_code)
            probed.append(path)
    assert len(probed) >= 8


def test_a_nul_character_is_refused_with_a_reason(world: World):
    browser = world.browser("admin")
    page = browser.get("/admin/users", query_string={"q": "a\x00b"})
    assert page.status_code == 400
    assert "NUL character" in page.get_data(as_text=True)
    api = world.app.test_client().post(
        "/api/v1/verifications",
        json={"licenses": [{"number": "RN\x00", "board": "x"}]},
        headers=world.api_headers("verifier"),
    )
    assert api.status_code == 400
    assert "NUL character" in api.json["error"]["message"]


def test_the_tables_are_all_still_there(world: World, db):
    """After everything above (each test is rolled back, so check within one request run)."""
    browser = world.browser("admin")
    for value in PAYLOADS:
        browser.get("/admin/users", query_string={"q": value})
    assert db.scalar(select(func.count()).select_from(Base.metadata.tables["users"])) >= 6
    assert db.scalar(select(func.count(AuditEvent.id))) >= 0
