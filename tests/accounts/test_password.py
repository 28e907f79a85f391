"""Changing and resetting passwords; reset mail goes through a real SMTP server."""

from __future__ import annotations

import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.conftest import CSRF_PATTERN, PASSWORD, AuthActions, csrf_token
from trainer.accounts.signin import wait_for_deliveries
from trainer.models import PasswordResetToken, utcnow

NEW_PASSWORD = "a different long passphrase"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode())
        return "250 OK"


@pytest.fixture
def inbox(app, monkeypatch):
    """A real SMTP server on loopback; the app sends its mail there."""
    handler = Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    yield handler
    controller.stop()


def reset_link(message: str) -> str:
    match = re.search(r"http://trainer\.test(/account/reset/\S+)", message)
    assert match, message
    return match.group(1)


def ask_for_reset(client, email):
    response = client.post(
        "/account/reset", data={"csrf_token": csrf_token(client, "/account/reset"), "email": email}
    )
    wait_for_deliveries()  # the mail goes out after the answer
    return response


def set_new_password(client, path, password=NEW_PASSWORD):
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "password": password, "confirm": password},
    )


def test_reset_by_email_link(client, make, auth, inbox):
    make.user("nurse@example.org")
    response = ask_for_reset(client, "Nurse@Example.org")
    assert response.status_code == 302
    assert len(inbox.messages) == 1
    assert "To: nurse@example.org" in inbox.messages[0]
    path = reset_link(inbox.messages[0])
    assert set_new_password(client, path).headers["Location"] == "/login"
    assert auth.login("nurse@example.org", PASSWORD).status_code == 400
    assert auth.login("nurse@example.org", NEW_PASSWORD).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(client, make, inbox):
    make.user("nurse@example.org")
    known = ask_for_reset(client, "nurse@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert len(inbox.messages) == 1


def test_reset_link_is_built_from_the_base_url_not_the_host_header(client, make, inbox):
    make.user("nurse@example.org")
    page = client.get("/account/reset", base_url="http://evil.example")
    token = CSRF_PATTERN.search(page.get_data(as_text=True)).group(1)
    response = client.post(
        "/account/reset",
        base_url="http://evil.example",
        data={"csrf_token": token, "email": "nurse@example.org"},
    )
    wait_for_deliveries()
    assert response.status_code == 302
    assert "evil.example" not in inbox.messages[0]
    assert "http://trainer.test/account/reset/" in inbox.messages[0]


def test_reset_link_works_once(client, make, inbox):
    make.user("nurse@example.org")
    ask_for_reset(client, "nurse@example.org")
    path = reset_link(inbox.messages[0])
    assert set_new_password(client, path).status_code == 302
    reused = client.get(path)
    assert reused.status_code == 400
    assert "This link no longer works" in reused.get_data(as_text=True)
    assert client.post(path, data={"password": "x", "confirm": "x"}).status_code == 400


def test_using_one_link_voids_older_ones(client, make, inbox):
    make.user("nurse@example.org")
    ask_for_reset(client, "nurse@example.org")
    ask_for_reset(client, "nurse@example.org")
    first, second = (reset_link(m) for m in inbox.messages)
    assert set_new_password(client, second).status_code == 302
    assert client.get(first).status_code == 400


def test_expired_reset_link_is_refused(client, make, inbox, db):
    make.user("nurse@example.org")
    ask_for_reset(client, "nurse@example.org")
    path = reset_link(inbox.messages[0])
    for reset in db.scalars(select(PasswordResetToken)):
        reset.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    assert client.get(path).status_code == 400


def test_reset_with_weak_password_keeps_the_link_usable(client, make, inbox):
    make.user("nurse@example.org")
    ask_for_reset(client, "nurse@example.org")
    path = reset_link(inbox.messages[0])
    weak = set_new_password(client, path, "short")
    assert weak.status_code == 400
    assert "Use at least 10 characters." in weak.get_data(as_text=True)
    assert set_new_password(client, path).status_code == 302


def test_without_smtp_the_message_goes_to_the_log(client, make, caplog, app):
    assert not app.config["SMTP_URL"]
    make.user("nurse@example.org")
    with caplog.at_level("INFO", logger="trainer.mail"):
        ask_for_reset(client, "nurse@example.org")
    assert "/account/reset/" in caplog.text
    assert "Set a new password for Trainer" in caplog.text


def change_password(client, current, new):
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "current_password": current,
            "password": new,
            "confirm": new,
        },
    )


def test_change_password_signs_out_other_devices(app, client, make, auth):
    make.user()
    other_device = app.test_client()
    AuthActions(other_device).login()
    assert other_device.get("/dashboard").status_code == 200
    auth.login()
    assert change_password(client, PASSWORD, NEW_PASSWORD).status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302


def test_change_password_needs_the_current_one(client, make, auth):
    make.user()
    auth.login()
    response = change_password(client, "not my password", NEW_PASSWORD)
    assert response.status_code == 400
    assert "Your current password is not correct." in response.get_data(as_text=True)
