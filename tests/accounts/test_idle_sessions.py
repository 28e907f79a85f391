"""Idle timeout and a shorter remember-me for admin roles (issue 17)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from trainer.models import LoginSession, utcnow


def only_session(db) -> LoginSession:
    login = db.scalars(select(LoginSession)).one()
    db.refresh(login)
    return login


def idle_for(db, minutes: int) -> None:
    login = only_session(db)
    login.last_seen_at = utcnow() - timedelta(minutes=minutes)
    db.commit()


def test_a_session_ends_after_the_idle_timeout(client, make, auth, db):
    make.user()
    auth.login()
    idle_for(db, 61)  # the default is 60 minutes
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_each_request_keeps_the_session_alive(client, make, auth, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 15)
    make.user()
    auth.login()
    idle_for(db, 14)
    assert client.get("/dashboard").status_code == 200
    assert utcnow() - only_session(db).last_seen_at < timedelta(minutes=1)
    idle_for(db, 16)
    assert client.get("/dashboard").status_code == 302


def test_remember_me_outlasts_the_idle_timeout(client, make, auth, db):
    make.user()
    auth.login(remember=True)
    idle_for(db, 3 * 24 * 60)
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    ("role", "lifetime"),
    [
        ("learner", timedelta(days=30)),
        ("org_admin", timedelta(hours=12)),
        ("verifier", timedelta(hours=12)),
        ("admin", timedelta(hours=12)),
    ],
)
def test_remember_me_is_shorter_for_admin_roles(client, make, auth, db, role, lifetime):
    make.user(role=role)
    auth.login(remember=True)
    login = only_session(db)
    assert abs((login.expires_at - login.created_at) - lifetime) < timedelta(minutes=1)
