"""API token scopes on every API route, and token expiry (issue 17).

The site admin may give a token any scope, so their tokens show each scope's
reach without the role getting in the way: for every API route and method, a
token whose scope the route does not accept answers 403 ``insufficient_scope``,
and one it accepts gets past the check (whatever the route then answers).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from tests.security.conftest import World
from tests.security.walk import API_BODIES, is_api, methods, path_for, routes
from trainer.accounts.scopes import ENDPOINT_SCOPES, SCOPES, allows
from trainer.accounts.services import AccountError, create_api_token
from trainer.models import ApiToken, utcnow


def test_every_api_route_names_the_scopes_it_accepts(app):
    missing = [r.endpoint for r in routes(app) if is_api(r) and r.endpoint not in ENDPOINT_SCOPES]
    assert not missing, f"add to ENDPOINT_SCOPES in trainer/accounts/scopes.py: {missing}"


@pytest.mark.parametrize("scope", SCOPES)
def test_each_scope_opens_only_its_routes(world: World, scope, monkeypatch, app):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_RATE_LIMIT", "100 per minute")
    admin = world.users["admin"]
    _record, token = create_api_token(world.db, admin, "scoped", scope=scope)
    world.db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    wrong = []
    for rule in routes(app):
        if not is_api(rule) or rule.endpoint == "api.create_token":
            continue
        path = path_for(world, rule)
        for method in methods(rule):
            body = API_BODIES.get(rule.endpoint, lambda w: {})(world) if method != "GET" else {}
            response = app.test_client().open(path, method=method, headers=headers, **body)
            refused = (
                response.status_code == 403
                and (response.json or {}).get("error", {}).get("code") == "insufficient_scope"
            )
            if refused == allows(scope, rule.endpoint):
                wrong.append(f"{method} {path} with a {scope} token: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_a_role_gives_only_its_own_scopes(world: World):
    learner = world.users["learner"]
    with pytest.raises(AccountError, match="learner token may have the scope learner, read"):
        create_api_token(world.db, learner, "too much", scope="org_admin")


def test_an_expired_token_is_refused(world: World, app):
    record, token = create_api_token(world.db, world.users["learner"], "short", days=1)
    world.db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    world.db.get(ApiToken, record.id).expires_at = utcnow() - timedelta(seconds=1)
    world.db.commit()
    response = app.test_client().get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json["error"]["message"]


def test_tokens_cannot_outlive_the_setting(world: World, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_DAYS", 30)
    with app.app_context(), pytest.raises(AccountError, match="from 1 to 30 days"):
        create_api_token(world.db, world.users["learner"], "long", days=31)
    response = app.test_client().post(
        "/api/v1/tokens",
        json={"email": "learner@moi.example", "password": PASSWORD, "days": 400},
    )
    assert response.status_code == 400 and "from 1 to 30 days" in response.json["error"]["message"]
    made = app.test_client().post(
        "/api/v1/tokens",
        json={"email": "learner@moi.example", "password": PASSWORD, "scope": "read"},
    )
    assert made.status_code == 201 and made.json["scope"] == "read"
    assert made.json["expires_at"] is not None
