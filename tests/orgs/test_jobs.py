"""Invitations delivered by a real Huey consumer (SQLite and Redis queues) to a real SMTP server."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from trainer.jobs import consumer, jobs, queue_url
from trainer.models import Invitation


def _wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(params=["sqlite", "redis"])
def worker(request, app: Flask) -> Iterator[str]:
    """A real consumer (worker threads + scheduler) on a queue of this test's own."""
    name = f"trainer-test-{uuid.uuid4().hex[:8]}"
    url = "sqlite" if request.param == "sqlite" else "redis://127.0.0.1:6379/0"
    saved = {key: app.config.get(key) for key in ("QUEUE_URL", "QUEUE_NAME", "QUEUE_RETRY_DELAY")}
    previous = app.extensions.pop("trainer_jobs", None)
    app.config.update(QUEUE_URL=url, QUEUE_NAME=name, QUEUE_RETRY_DELAY=1)
    running = consumer(app, workers=2)
    running.start()
    try:
        yield request.param
    finally:
        running.stop(graceful=True)
        jobs(app).huey.flush()
        app.extensions.pop("trainer_jobs", None)
        if previous is not None:
            app.extensions["trainer_jobs"] = previous
        app.config.update(saved)


def test_an_import_is_followed_by_invitations_from_the_worker(
    app, client, make, db, ministry, inbox, worker
):
    rows = "".join(f"p{n}@moi.example,Person {n},police,North\n" for n in range(5))
    response = client.post(
        f"/api/v1/orgs/{ministry.slug}/enrolments",
        data=("email,full_name,profession,unit\n" + rows).encode(),
        headers=make.api_headers(ministry.admin),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    addresses = [f"p{n}@moi.example" for n in range(5)]
    assert _wait_for(lambda: all(inbox.to(address) for address in addresses))
    message = inbox.to("p0@moi.example")[0]
    assert "within 14 days" in message
    db.expire_all()
    pending = db.scalars(select(Invitation).where(Invitation.sent_at.is_(None))).all()
    assert pending == []


def test_a_refused_message_stays_pending_and_the_retry_sends_it(
    app, client, make, db, ministry, inbox, worker
):
    real_url = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"  # nothing listens: the send fails
    try:
        client.post(
            f"/api/v1/orgs/{ministry.slug}/enrolments",
            data=b"email,full_name,profession,unit\nlate@moi.example,Late Comer,police,North\n",
            headers=make.api_headers(ministry.admin),
        )
        time.sleep(1.0)
        db.expire_all()
        invitation = db.scalar(select(Invitation))
        assert invitation is not None and invitation.sent_at is None
    finally:
        app.config["SMTP_URL"] = real_url
    # The task retries (1 s in this test) and the message goes out once the server answers.
    assert _wait_for(lambda: inbox.to("late@moi.example"), seconds=30)
    assert len(inbox.to("late@moi.example")) == 1


def test_the_queue_follows_the_settings() -> None:
    assert queue_url({}) == "sqlite"
    assert queue_url({"RATELIMIT_STORAGE_URI": "memory://"}) == "sqlite"
    redis = "redis://127.0.0.1:6379/3"
    assert queue_url({"RATELIMIT_STORAGE_URI": redis}) == redis
    assert queue_url({"QUEUE_URL": "sqlite", "RATELIMIT_STORAGE_URI": redis}) == "sqlite"


def test_three_hundred_people_are_invited_by_the_worker_without_any_command(
    app, client, make, db, ministry, inbox, worker
):
    units = ["North", "North/District 4", "North/District 4/Station A", "South/District 9"]
    rows = "".join(
        f"officer{n}@moi.example,Officer {n},police,{units[n % len(units)]}\n" for n in range(300)
    )
    response = client.post(
        f"/api/v1/orgs/{ministry.slug}/enrolments",
        data=("email,full_name,profession,unit\n" + rows).encode(),
        headers=make.api_headers(ministry.admin),
    )
    assert response.json["summary"]["created"] == 300
    assert _wait_for(lambda: len(inbox.messages) >= 300, seconds=60), len(inbox.messages)
    assert all(len(inbox.to(f"officer{n}@moi.example")) == 1 for n in range(300))
    db.expire_all()
    assert db.scalars(select(Invitation).where(Invitation.sent_at.is_(None))).all() == []


def test_reminders_and_digests_are_a_daily_periodic_job(app) -> None:
    from huey.api import PeriodicTask

    from trainer.jobs import DAILY_HOUR

    daily = jobs(app).daily_reminders
    assert isinstance(daily.task_class(), PeriodicTask)
    assert daily.task_class().validate_datetime(_at(DAILY_HOUR, 0))
    assert not daily.task_class().validate_datetime(_at(DAILY_HOUR, 1))


def _at(hour: int, minute: int):
    from datetime import datetime

    return datetime(2026, 3, 2, hour, minute)


def test_the_enrol_page_shows_waiting_and_sent_invitations(
    app, client, auth, make, db, ministry, held_queue
):
    client.post(
        f"/api/v1/orgs/{ministry.slug}/enrolments",
        data=b"email,full_name,profession,unit\nwait@moi.example,Wai Ting,police,North\n",
        headers=make.api_headers(ministry.admin),
    )
    auth.login(ministry.admin.email)
    page = client.get(f"/orgs/{ministry.slug}/enrolments").get_data(as_text=True)
    assert "Invitations: 1 waiting to be sent, 0 sent." in page
    auth.logout()
    auth.login(ministry.north_admin.email)
    page = client.get(f"/orgs/{ministry.slug}/enrolments").get_data(as_text=True)
    assert "waiting to be sent" not in page  # counts are organisation-wide


def test_a_verifiers_or_site_admins_account_is_never_enrolled(client, make, db, ministry):
    make.user("board@verify.example", role="verifier", full_name="Vera Verifier")
    make.user("root@site.example", role="admin", full_name="Site Admin")
    body = (
        "email,full_name,profession,unit\n"
        "board@verify.example,Vera Verifier,police,North\n"
        "root@site.example,Site Admin,police,North\n"
    )
    response = client.post(
        f"/api/v1/orgs/{ministry.slug}/enrolments",
        data=body.encode(),
        headers=make.api_headers(ministry.admin),
    )
    assert response.status_code == 422
    reasons = [error["reason"] for error in response.json["errors"]]
    assert reasons == [
        "board@verify.example cannot be enrolled from a file. Remove the row, or ask the "
        "site administrator.",
        "root@site.example cannot be enrolled from a file. Remove the row, or ask the "
        "site administrator.",
    ]
