"""The API in another language: ``?language=xx`` or ``Accept-Language``."""

from __future__ import annotations

import pytest

from tests.variants import SPANISH, spanish_app


@pytest.fixture(scope="module")
def app(app, tmp_path_factory):
    yield from spanish_app(app, tmp_path_factory)


def basics(response):
    assert response.status_code == 200, response.json
    (course,) = response.json["courses"]
    return course


def test_courses_in_a_requested_language(client):
    course = basics(client.get("/api/v1/courses?language=es"))
    assert (course["slug"], course["title"], course["language"]) == ("basics", "Lo básico", "es")
    assert course["languages"] == ["en", "es"]
    assert [m["title"] for m in course["modules"]] == ["Qué es", "Denunciar"]
    assert [m["minutes"] for m in course["modules"]] == [20, 15]
    assert course["requirement_sets"] == ["us-mi"]


def test_courses_follow_accept_language_and_fall_back_to_the_source(client):
    assert basics(client.get("/api/v1/courses", headers=SPANISH))["title"] == "Lo básico"
    french = basics(client.get("/api/v1/courses?language=fr"))
    assert (french["title"], french["language"], french["languages"]) == (
        "Basics",
        "en",
        ["en", "es"],
    )


def test_an_unknown_language_is_refused_with_the_known_ones(client):
    response = client.get("/api/v1/courses?language=de")
    assert response.status_code == 400
    assert response.json["error"] == {
        "code": "unknown_language",
        "message": "Unknown language 'de'; use one of ar, en, es, fr.",
    }


def test_an_attempt_started_in_spanish_is_served_in_spanish(client, make):
    headers = make.api_headers(make.user())
    started = client.post("/api/v1/courses/basics/attempts?language=es", headers=headers)
    assert started.status_code == 201
    attempt = started.json["attempt"]
    assert attempt["language"] == "es"
    again = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json["attempt"]
    stems = {item["id"]: item["stem"] for item in again["items"]}
    assert stems["basics-define"] == "¿Qué hace que un caso sea trata?"
    submitted = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"answers": {"basics-define": "border", "basics-respond": "adult-decides"}},
    ).json["attempt"]
    feedback = {item["id"]: item["feedback"] for item in submitted["items"]}
    assert feedback == {
        "basics-define": ["Incorrecto: no hace falta ninguna frontera."],
        "basics-respond": ["Correcto: la adulta decide."],
    }
    assert (submitted["score"], submitted["passed"]) == (1.0, False)
