"""CSRF: every state-changing page refuses a request without its token, and changes nothing.

The routes come from the URL map: a new form route is covered the day it exists.
The JSON API is exempt because it reads no cookies (see test_matrix.py).
"""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.security.conftest import World, page_csrf_token
from tests.security.walk import FORMS, STATE_CHANGING, is_api, methods, path_for, routes
from trainer.models import Base

CSRF_MESSAGE = "The form expired or was sent from elsewhere."


def fingerprint(db: Session) -> str:
    """A digest of every row of every table: any insert, update or delete changes it."""
    digest = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        rows = db.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{[tuple(map(repr, row)) for row in rows]}".encode())
    return digest.hexdigest()


def form_routes(world: World) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) of every state-changing route outside the API."""
    return [
        (rule.endpoint, method, path_for(world, rule))
        for rule in routes(world.app)
        if not is_api(rule)
        for method in methods(rule)
        if method in STATE_CHANGING
    ]


def test_there_are_forms_to_probe(world: World):
    assert len(form_routes(world)) >= 20


@pytest.mark.parametrize("role", ["anonymous", "learner", "admin"])
def test_no_token_no_change(world: World, db, role):
    browser = world.browser(role)
    before = fingerprint(db)
    wrong = []
    for endpoint, method, path in form_routes(world):
        data = FORMS.get(endpoint, lambda w: {})(world)
        response = browser.open(path, method=method, data=data)
        body = response.get_data(as_text=True)
        if response.status_code != 400 or CSRF_MESSAGE not in body:
            wrong.append(f"{method} {path} ({endpoint}) without a CSRF token: "
                         f"{response.status_code}")  # fmt: skip
    assert not wrong, "\n".join(wrong)
    assert fingerprint(db) == before, "a request refused for CSRF changed the database"


def test_another_sessions_token_is_refused(world: World, db):
    """A token lifted from the attacker's own session does not work in the victim's."""
    attacker, victim = world.browser("admin"), world.browser("admin")
    stolen = page_csrf_token(attacker)
    before = fingerprint(db)
    wrong = []
    for endpoint, method, path in form_routes(world):
        data = {"csrf_token": stolen, **FORMS.get(endpoint, lambda w: {})(world)}
        response = victim.open(path, method=method, data=data)
        if response.status_code != 400:
            wrong.append(f"{method} {path} with another session's token: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert fingerprint(db) == before


def test_a_made_up_token_is_refused(world: World):
    browser = world.browser("learner")
    response = browser.post("/logout", data={"csrf_token": "IjAwMDAwMDAwMDAi.made.up"})
    assert response.status_code == 400
    assert browser.get("/dashboard").status_code == 200, "still signed in"
