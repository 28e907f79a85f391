"""Sign-in limits count failures only and do not lock the owner out (issue 17).

Limits are shortened through the app's settings ("3 per minute"): the windows
never pass during a test, so what is refused stays refused.
"""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import PASSWORD, csrf_token
from trainer.accounts.signin import wait_for_deliveries
from trainer.accounts.signin_limits import DEVICE_COOKIE, client_network

WRONG = "a wrong password"
OWNER_ADDRESS = "203.0.113.7"


@pytest.fixture
def short_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "LOGIN_PER_ACCOUNT_RATE_LIMIT", "3 per minute")


def form_sign_in(client, password, address, email="learner@example.org"):
    data = {"csrf_token": csrf_token(client, "/login"), "email": email, "password": password}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def api_sign_in(client, password, address, email="learner@example.org"):
    return client.post(
        "/api/v1/tokens",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def attack(app, count, first=1):
    """Wrong passwords from ``count`` different addresses, each in its own browser."""
    codes = []
    for n in range(first, first + count):
        attacker = app.test_client()
        codes.append(api_sign_in(attacker, WRONG, f"198.51.100.{n}").status_code)
    return codes


def test_successful_sign_ins_are_not_counted(client, make, short_limits):
    make.user()
    codes = [api_sign_in(client, PASSWORD, OWNER_ADDRESS).status_code for _ in range(6)]
    assert codes == [201] * 6


def test_the_owner_on_a_known_browser_signs_in_during_an_attack(app, client, make, short_limits):
    make.user()
    assert form_sign_in(client, PASSWORD, OWNER_ADDRESS).status_code == 302
    assert DEVICE_COOKIE in {cookie.key for cookie in client._cookies.values()}
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})

    assert attack(app, 5) == [401, 401, 401, 429, 429]
    # A stranger with the right password (the attacker who guessed it) waits ...
    stranger = app.test_client()
    assert form_sign_in(stranger, PASSWORD, "192.0.2.50").status_code == 429
    # ... but the owner's browser, even from a new address (a phone on the move), gets in.
    assert form_sign_in(client, PASSWORD, "192.0.2.99").status_code == 302


def test_a_script_on_its_usual_address_keeps_getting_tokens(app, client, make, short_limits):
    make.user()
    assert api_sign_in(client, PASSWORD, OWNER_ADDRESS).status_code == 201
    assert attack(app, 4) == [401, 401, 401, 429]
    assert api_sign_in(app.test_client(), PASSWORD, OWNER_ADDRESS).status_code == 201
    assert api_sign_in(app.test_client(), PASSWORD, "192.0.2.50").status_code == 429


def test_a_good_standing_client_still_cannot_guess_without_limit(app, client, make, short_limits):
    """Good standing lifts the account's limit, never the client's own failure count."""
    make.user()
    assert api_sign_in(client, PASSWORD, OWNER_ADDRESS).status_code == 201
    codes = [api_sign_in(client, WRONG, OWNER_ADDRESS).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("198.51.100.4", "198.51.100.4"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("not an address", "not an address"),
    ],
)
def test_clients_are_counted_by_address_or_ipv6_slash_64(address, network):
    assert client_network(address) == network


def test_one_ipv6_slash_64_is_one_client(app, make, short_limits):
    make.user()
    make.user("other@example.org")
    codes = [
        api_sign_in(app.test_client(), WRONG, f"2001:db8:0:7::{n:x}", email=f"x{n}@example.org")
        for n in range(1, 5)
    ]
    assert [r.status_code for r in codes] == [401, 401, 401, 429]
    # The next /64 is someone else.
    assert api_sign_in(app.test_client(), WRONG, "2001:db8:0:8::1").status_code == 401


def test_a_lock_out_is_logged_and_shown_to_the_owner(app, client, make, short_limits, caplog):
    make.user()
    assert form_sign_in(client, PASSWORD, OWNER_ADDRESS).status_code == 302
    with caplog.at_level("INFO", logger="trainer.auth"):
        attack(app, 4, first=20)
    lockouts = [r for r in caplog.records if r.getMessage().startswith("auth.lockout")]
    assert len(lockouts) == 1 and lockouts[0].levelname == "WARNING"
    assert "network=198.51.100.22" in lockouts[0].getMessage()
    page = client.get("/account").get_data(as_text=True)
    assert "Sign-in blocked after repeated failures" in page
    assert "198.51.100.22" in page
    assert page.count("Failed sign-in") >= 3


def test_the_sign_in_page_says_how_long_to_wait(app, make, short_limits):
    make.user()
    attack(app, 3)
    response = form_sign_in(app.test_client(), PASSWORD, "192.0.2.77")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 61
    assert "at most 3 per minute" in response.get_data(as_text=True)


class SlowInbox:
    """An SMTP server that holds every message until the test lets it go."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        self.messages.append(envelope.content.decode())
        return "250 OK"


def test_a_reset_for_a_real_account_answers_before_any_mail_is_sent(app, client, make, monkeypatch):
    """The SMTP round trip never shows in the answer: real and unknown addresses time alike."""
    inbox = SlowInbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{port}")
        make.user()
        token = csrf_token(client, "/account/reset")
        response = client.post(
            "/account/reset", data={"csrf_token": token, "email": "learner@example.org"}
        )
        assert response.status_code == 302  # answered while the mail server still holds on
        assert inbox.messages == []
        inbox.release.set()
        wait_for_deliveries()
        assert len(inbox.messages) == 1 and "/account/reset/" in inbox.messages[0]
    finally:
        inbox.release.set()
        controller.stop()


def test_password_resets_are_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_RATE_LIMIT", "2 per minute")
    token = csrf_token(client, "/account/reset")
    codes = [
        client.post(
            "/account/reset", data={"csrf_token": token, "email": f"n{n}@example.org"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
