"""Getting a learner to a certificate, quickly (rows) or as a client would (the API)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from tests.progress import finish_and_issue
from trainer.content.catalogue import catalogue
from trainer.models import Certificate, User


def finish_course(app: Flask, db: Session, user: User, slug: str = "health") -> Certificate:
    """Record every module and a passed attempt, then issue as the app would."""
    with app.app_context():
        return finish_and_issue(app, db, user, catalogue().courses[slug])


def answers_for(course, attempt: dict) -> dict:
    """The right answer to every item of an API attempt."""
    answers = {}
    for presented in attempt["items"]:
        item = course.item(presented["id"])
        key = item.item_type.key(item)
        answers[item.id] = key[0] if item.type == "single" else key
    return answers


def pass_course_via_api(
    client, app: Flask, headers: dict, slug: str = "health", language: str = "en"
) -> dict:
    """Read every module and pass the assessment (in ``language``) through the API.

    Returns the submit result.
    """
    with app.app_context():
        course = catalogue().courses[slug]
    for module in course.modules:
        url = f"/api/v1/courses/{slug}/modules/{module.slug}/complete"
        assert client.post(url, headers=headers).status_code in (200, 201)
    start = f"/api/v1/courses/{slug}/attempts?language={language}"
    attempt = client.post(start, headers=headers).json["attempt"]
    result = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"answers": answers_for(course, attempt)},
    )
    assert result.status_code == 200 and result.json["attempt"]["passed"]
    return result.json["attempt"]
