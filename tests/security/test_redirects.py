"""Open redirects: no address taken from a request sends a browser to another site.

``Location`` headers are read the way a browser reads them (WHATWG URL parsing:
tabs and newlines dropped, a backslash taken for a slash), then resolved against
the page; the result must be this site.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import PASSWORD, csrf_token
from tests.security.conftest import World
from tests.security.walk import methods, path_for, routes, send
from trainer.security import safe_next_url

ELSEWHERE = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.example",
    "https:evil.example",
    "///evil.example",
    "/\t/evil.example",
    " //evil.example",
    "https:/\\evil.example",
    "/\\/evil.example",
    "\r\nLocation: https://evil.example",
    "/ok\r\nSet-Cookie: planted=1",
]
#: Names sites commonly read a redirect target from.
TARGET_PARAMETERS = ("next", "url", "return_to", "redirect", "redirect_to", "continue", "back")


def destination(location: str, page: str = "http://localhost/page") -> tuple[str, str]:
    """(scheme, host) a browser would go to for this ``Location`` on ``page``."""
    cleaned = location.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d"
                             "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
                             "\x1c\x1d\x1e\x1f ")  # fmt: skip
    cleaned = cleaned.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    target = urlsplit(urljoin(page, cleaned))
    return target.scheme.lower(), (target.hostname or "")


def stays_here(location: str) -> bool:
    return destination(location) in (("http", "localhost"), ("https", "localhost"))


def test_the_reader_catches_what_browsers_do():
    assert stays_here("/dashboard") and stays_here("http://localhost/x") and stays_here("x")
    for target in ELSEWHERE[:6]:
        assert not stays_here(target), target


@pytest.mark.parametrize("target", ELSEWHERE)
def test_safe_next_url_refuses_every_other_site(target):
    assert safe_next_url(target) is None


@pytest.mark.parametrize("target", ["/account", "/dashboard?tab=certificates", "/verify/0K7M"])
def test_safe_next_url_keeps_pages_of_this_site(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize("target", ELSEWHERE)
def test_signing_in_and_registering_never_leave_the_site(client, make, target):
    make.user()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": csrf_token(client, "/login"), "email": "learner@example.org",
              "password": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    # Already signed in: the sign-in page forwards at once, through the same check.
    again = client.get("/login", query_string={"next": target})
    assert again.headers["Location"] == "/dashboard"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    response = client.post(
        "/register",
        query_string={"next": target},
        data={
            "csrf_token": csrf_token(client, "/register"),
            "email": "newcomer@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "full_name": "New Comer",
            "profession": "health",
            "country": "US",
            "region": "US-MI",
            "licence_type": "none",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"  # registration then asks to sign in


@pytest.mark.parametrize("role", ["anonymous", "learner"])
@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
def test_no_route_redirects_elsewhere(world: World, role, target, monkeypatch, app):
    """Every route and method, with every common target parameter in query and form."""
    monkeypatch.setitem(app.config, "PASSWORD_RESET_RATE_LIMIT", "100 per minute")
    planted = dict.fromkeys(TARGET_PARAMETERS, target)
    away = []
    for rule in routes(app):
        path = path_for(world, rule)
        for method in methods(rule):
            response = send(world, rule, method, role, path, query=planted, form=planted)
            location = response.headers.get("Location")
            if location is not None and not stays_here(location):
                away.append(f"{method} {path} as {role} sends the browser to {location}")
    assert not away, "\n".join(away)
