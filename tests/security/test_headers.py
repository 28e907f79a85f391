"""Protective headers on every response, walked from the URL map.

Pages, JSON, CSV, PDF, static files and error pages alike carry the content
security policy and its companions; anything made for a signed-in person or a
token holder is marked so that no shared cache keeps it.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import World
from tests.security.walk import methods, path_for, routes, send

#: Answers the same for everyone (cacheable), or given after the session has ended.
NOT_PERSONAL = {
    "static",
    "certificates.jwks",
    "published.issuer",
    "published.key",
    "published.status_list",
    "seal.signing_certificate",
    "accounts.logout",
    "accounts.reset_password",
}
EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize("role", ["anonymous", "learner", "admin"])
def test_every_response_carries_the_headers(world: World, role, monkeypatch, app):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_RATE_LIMIT", "100 per minute")
    wrong = []
    for rule in routes(app):
        path = path_for(world, rule)
        for method in methods(rule):
            response = send(world, rule, method, role, path)
            headers = response.headers
            csp = headers.get("Content-Security-Policy", "")
            if "frame-ancestors 'none'" not in csp or "unsafe-inline" in csp:
                wrong.append(f"{method} {path} as {role}: Content-Security-Policy {csp!r}")
            for name, value in EVERYWHERE.items():
                if headers.get(name) != value:
                    wrong.append(f"{method} {path} as {role}: {name} {headers.get(name)!r}")
            personal = role != "anonymous" and rule.endpoint not in NOT_PERSONAL
            cache = headers.get("Cache-Control", "")
            if personal and "no-store" not in cache:
                wrong.append(f"{method} {path} as {role}: Cache-Control {cache!r}")
    assert not wrong, "\n".join(wrong)


def test_error_pages_and_public_pages(client):
    for path in ("/no/such/page", "/api/v1/no/such/thing", "/verify/not-an-id"):
        response = client.get(path)
        assert response.status_code in (400, 404)
        for name, value in EVERYWHERE.items():
            assert response.headers.get(name) == value, (path, name)
    public = client.get("/courses")
    assert "no-store" not in public.headers.get("Cache-Control", "")
    style = client.get("/static/css/trainer.css")
    style.close()
    assert "no-store" not in style.headers.get("Cache-Control", "")
