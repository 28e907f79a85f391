"""API tokens: issued for a password, stored hashed, revocable, rate limited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.models import ApiToken
from trainer.security import token_digest


def test_token_for_email_and_password(client, make, db):
    make.user("nurse@example.org", full_name="Amina Haddad")
    response = client.post(
        "/api/v1/tokens", json={"email": "NURSE@example.org", "password": PASSWORD}
    )
    assert response.status_code == 201
    token = response.json["token"]
    assert token.startswith("trn_")
    stored = db.scalar(select(ApiToken))
    assert stored.token_hash == token_digest(token)  # only the hash is kept
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["user"]["name"] == "Amina Haddad"
    assert "password_hash" not in me.json["user"]


def test_wrong_credentials_get_one_json_error(client, make):
    make.user()
    for body in (
        {"email": "learner@example.org", "password": "wrong password"},
        {"email": "nobody@example.org", "password": PASSWORD},
    ):
        response = client.post("/api/v1/tokens", json=body)
        assert response.status_code == 401
        assert response.json == {
            "error": {
                "code": "invalid_credentials",
                "message": "The email or password is not correct.",
            }
        }


def test_bad_request_bodies_say_what_to_send(client):
    assert client.post("/api/v1/tokens", data="nonsense").json["error"]["code"] == "invalid_json"
    response = client.post("/api/v1/tokens", json={"email": "x@example.org"})
    assert response.status_code == 400
    assert "password" in response.json["error"]["message"]


def test_anonymous_and_bad_tokens_get_401(client):
    assert client.get("/api/v1/me").json["error"]["code"] == "unauthenticated"
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer trn_made_up"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"


def test_token_endpoint_is_rate_limited(client, make):
    make.user()
    statuses = [
        client.post(
            "/api/v1/tokens", json={"email": "learner@example.org", "password": "wrong password"}
        ).status_code
        for _ in range(11)
    ]
    assert statuses[-1] == 429
    assert set(statuses[:10]) == {401}
    last = client.post(
        "/api/v1/tokens", json={"email": "learner@example.org", "password": PASSWORD}
    )
    assert last.status_code == 429
    assert last.json["error"]["code"] == "rate_limited"


def test_api_needs_no_csrf_token_and_unknown_paths_answer_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_a_tokens_last_use_is_recorded_at_most_once_a_minute(client, make, db):
    headers = make.api_headers(make.user())
    token = db.scalar(select(ApiToken))
    assert token.last_used_at is None
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.expire_all()
    first = db.scalar(select(ApiToken)).last_used_at
    assert first is not None and first.tzinfo is not None
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.expire_all()
    assert db.scalar(select(ApiToken)).last_used_at == first  # not rewritten within the minute
    stale = first - timedelta(minutes=5)
    db.scalar(select(ApiToken)).last_used_at = stale
    db.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.expire_all()
    assert db.scalar(select(ApiToken)).last_used_at > stale
