"""The catalogue and progress through the JSON API."""

from __future__ import annotations

import pytest


@pytest.fixture
def token(make):
    return make.api_headers(make.user())


def test_catalogue(client):
    courses = client.get("/api/v1/courses").json["courses"]
    health = next(c for c in courses if c["slug"] == "health")
    assert health["credit_hours"] == 1.25
    assert "identification-health-settings" in health["content_areas"]
    assert {"slug", "title", "minutes"} <= set(health["modules"][0])
    assert health["requirement_sets"] == []  # a fresh install holds no approvals
    assert "us-mi-licensee-training" in health["aligned_requirement_sets"]


def test_catalogue_by_profession(client):
    slugs = {c["slug"] for c in client.get("/api/v1/courses?profession=police").json["courses"]}
    assert slugs == {"core", "police"}
    response = client.get("/api/v1/courses?profession=astronaut")
    assert response.status_code == 400
    assert "police" in response.json["error"]["message"]


def test_module_completion_is_idempotent(client, token):
    path = "/api/v1/courses/police/modules/first-contact/complete"
    first = client.post(path, headers=token)
    again = client.post(path, headers=token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["created"] and not again.json["created"]
    assert again.json["progress"]["modules_done"] == ["first-contact"]
    assert again.json["progress"]["next_module"] == "victim-centred-policing"


def test_my_progress(client, token):
    client.post("/api/v1/courses/core/modules/definitions/complete", headers=token)
    progress = {
        p["course"]: p for p in client.get("/api/v1/me/progress", headers=token).json["progress"]
    }
    assert progress["core"]["status"] == "in_progress"
    assert progress["core"]["percent"] == 17
    assert progress["police"]["status"] == "not_started"


def test_errors(client, token):
    assert (
        client.post("/api/v1/courses/core/modules/nope/complete", headers=token).status_code == 404
    )
    assert client.post("/api/v1/courses/core/modules/definitions/complete").status_code == 401
    assert client.get("/api/v1/me/progress").status_code == 401
