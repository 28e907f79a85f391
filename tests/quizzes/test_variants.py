"""An attempt keeps the language it was started in: its stems, labels, feedback and review."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.progress import complete_modules
from tests.variants import SPANISH, spanish_app
from trainer.content.catalogue import catalogue
from trainer.models import Attempt, Certificate


@pytest.fixture(scope="module")
def app(app, tmp_path_factory):
    yield from spanish_app(app, tmp_path_factory)


def courses(app):
    with app.app_context():
        content = catalogue()
        return content.courses["basics"], content.in_language("es").courses["basics"]


def start(client, headers):
    page = "/courses/basics/assessment"
    data = {"csrf_token": csrf_token(client, page)}
    response = client.post(page, data=data, headers=headers)
    assert response.status_code == 302
    return response.headers["Location"]


def answer_every_item(client, attempt, answers, headers):
    for number, item_id in enumerate(attempt.item_ids, 1):
        path = f"/attempts/{attempt.id}/items/{number}"
        data = {"csrf_token": csrf_token(client, path), "answer": answers[item_id]}
        assert client.post(path, data=data, headers=headers).status_code == 302


def submit(client, attempt, headers):
    data = {"csrf_token": csrf_token(client, "/account")}
    response = client.post(f"/attempts/{attempt.id}/submit", data=data, headers=headers)
    assert response.status_code == 302


@pytest.fixture
def reader(app, make, auth, db):
    """A learner who has read both modules; the assessment is what remains."""
    user = make.user()
    complete_modules(db, user, courses(app)[0])
    db.commit()
    auth.login()
    return user


def test_an_attempt_started_in_spanish_shows_spanish_and_stays_spanish(app, client, db, reader):
    first = start(client, SPANISH)
    attempt = db.scalar(select(Attempt).where(Attempt.user_id == reader.id))
    assert attempt.language == "es"
    number = attempt.item_ids.index("basics-define") + 1
    page = f"/attempts/{attempt.id}/items/{number}"
    assert first.endswith("/items/1")
    # The interface may switch to English: the attempt's questions stay in Spanish.
    for headers in (SPANISH, {}):
        shown = client.get(page, headers=headers).get_data(as_text=True)
        assert "¿Qué hace que un caso sea trata?" in shown
        assert "Un acto, un medio y un fin de explotación." in shown
        assert "What makes a case trafficking?" not in shown
    labels = attempt.item_ids.index("basics-respond") + 1
    shown = client.get(f"/attempts/{attempt.id}/items/{labels}").get_data(as_text=True)
    assert '<label for="label-adult-decides">La persona adulta decide</label>' in shown


def test_a_spanish_attempt_is_graded_as_an_english_one_and_certified_in_spanish(
    app, client, db, reader, make, auth
):
    english, _ = courses(app)
    answers = {"basics-define": "three", "basics-respond": "call-emergency-services"}
    start(client, SPANISH)
    attempt = db.scalar(select(Attempt).where(Attempt.user_id == reader.id))
    answer_every_item(client, attempt, answers, SPANISH)
    submit(client, attempt, SPANISH)
    db.refresh(attempt)
    # One right, one wrong: 50%, below the pass mark, exactly as in English.
    expected = sum(english.item(i).grade(a).score for i, a in answers.items())
    assert (attempt.score, attempt.passed) == (expected, False) == (1.0, False)
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Aquí no: nadie está en peligro." in review  # the feedback on the answer given
    assert "Correcto: la adulta decide." in review  # and on the right one
    assert "Llamar a emergencias" in review

    other = make.user("english@example.org")
    complete_modules(db, other, english)
    db.commit()
    auth.logout()
    auth.login("english@example.org")
    start(client, {})
    in_english = db.scalar(select(Attempt).where(Attempt.user_id == other.id))
    assert in_english.language == "en"
    answer_every_item(client, in_english, answers, {})
    submit(client, in_english, {})
    db.refresh(in_english)
    assert in_english.results == attempt.results
    assert in_english.score == attempt.score


def test_passing_in_spanish_issues_a_certificate_in_spanish(app, client, db, reader):
    start(client, SPANISH)
    attempt = db.scalar(select(Attempt).where(Attempt.user_id == reader.id))
    answer_every_item(
        client, attempt, {"basics-define": "three", "basics-respond": "adult-decides"}, SPANISH
    )
    submit(client, attempt, SPANISH)
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == reader.id))
    assert (certificate.language, certificate.course_title) == ("es", "Lo básico")
    assert certificate.course_version == courses(app)[0].version
