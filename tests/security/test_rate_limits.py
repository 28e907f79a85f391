"""Brute force: sign-in, tokens, verification and password resets hit their limits and recover.

Limits are shortened through the app's settings ("3 per 2 second"), so recovering
takes seconds, not an hour. The wait is measured by the limiter's own window:
the test polls until the door opens again, with a generous deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, csrf_token
from trainer.certificates.ids import format_certificate_id, new_certificate_id

SHORT = "3 per 2 second"
WRONG = "a wrong password"
DEADLINE = 15.0  # seconds: far beyond the 2-second window, for a slow or busy machine


def shorten(monkeypatch, app, *settings: str) -> None:
    for setting in settings:
        monkeypatch.setitem(app.config, setting, SHORT)


def until_not_limited(request: Callable[[], TestResponse]) -> TestResponse:
    """Repeat ``request`` until it is no longer refused with 429; fail after the deadline."""
    start = time.monotonic()
    while time.monotonic() - start < DEADLINE:
        response = request()
        if response.status_code != 429:
            return response
        time.sleep(0.25)
    pytest.fail(f"still limited after {DEADLINE} s")


def assert_limited(response: TestResponse, *, api: bool) -> None:
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 2
    if api:
        error = response.json["error"]
        assert error["code"] == "rate_limited"
        message = error["message"]
    else:
        message = response.get_data(as_text=True)
        assert "Too many attempts" in message
    assert "at most 3 per 2 seconds" in message
    assert "Try again in " in message


def test_the_sign_in_form(app, client, make, monkeypatch):
    shorten(monkeypatch, app, "LOGIN_RATE_LIMIT")
    make.user()
    token = csrf_token(client, "/login")

    def attempt(password: str = WRONG) -> TestResponse:
        data = {"csrf_token": token, "email": "learner@example.org", "password": password}
        return client.post("/login", data=data)

    assert [attempt().status_code for _ in range(3)] == [400, 400, 400]
    assert_limited(attempt(PASSWORD), api=False)  # even the right password waits
    assert until_not_limited(lambda: attempt(PASSWORD)).status_code == 302


def test_the_token_endpoint(app, client, make, monkeypatch):
    shorten(monkeypatch, app, "LOGIN_RATE_LIMIT")
    make.user()

    def attempt(password: str = WRONG) -> TestResponse:
        return client.post(
            "/api/v1/tokens", json={"email": "learner@example.org", "password": password}
        )

    assert [attempt().status_code for _ in range(3)] == [401, 401, 401]
    assert_limited(attempt(PASSWORD), api=True)
    assert until_not_limited(lambda: attempt(PASSWORD)).status_code == 201


def test_one_account_is_limited_from_many_addresses(app, client, make, monkeypatch):
    """Spreading guesses over addresses does not help; another account is not held back."""
    shorten(monkeypatch, app, "LOGIN_PER_ACCOUNT_RATE_LIMIT")
    make.user()
    make.user("other@example.org")

    def attempt(address: str, email: str = "learner@example.org") -> TestResponse:
        return client.post(
            "/api/v1/tokens",
            json={"email": email, "password": WRONG},
            environ_base={"REMOTE_ADDR": address},
        )

    codes = [attempt(f"198.51.100.{n}").status_code for n in range(1, 5)]
    assert codes == [401, 401, 401, 429]
    assert attempt("198.51.100.9", " LEARNER@example.org ").status_code == 429
    assert attempt("198.51.100.9", "other@example.org").status_code == 401
    assert until_not_limited(lambda: attempt("198.51.100.10")).status_code == 401


def test_a_forged_forwarded_for_header_does_not_reset_the_count(app, client, monkeypatch):
    """With no trusted proxy configured, X-Forwarded-For is the client's word: ignored."""
    shorten(monkeypatch, app, "VERIFY_RATE_LIMIT")
    codes = [
        client.get(
            f"/api/v1/verify/{format_certificate_id(new_certificate_id())}",
            headers={"X-Forwarded-For": f"192.0.2.{n}", "X-Real-IP": f"192.0.2.{n}"},
        ).status_code
        for n in range(1, 6)
    ]
    assert codes == [404, 404, 404, 429, 429]


def test_the_form_and_the_api_share_one_count(app, client, make, monkeypatch):
    """Sign-in by form and by token are one door: using both does not double the guesses."""
    shorten(monkeypatch, app, "LOGIN_RATE_LIMIT")
    make.user()
    token = csrf_token(client, "/login")
    wrong = {"email": "learner@example.org", "password": WRONG}
    codes = [
        client.post("/login", data={"csrf_token": token, **wrong}).status_code,
        client.post("/api/v1/tokens", json=wrong).status_code,
        client.post("/login", data={"csrf_token": token, **wrong}).status_code,
        client.post("/api/v1/tokens", json=wrong).status_code,
    ]
    assert codes == [400, 401, 400, 429]


def test_the_verify_page_and_api_share_one_count(app, client, monkeypatch):
    shorten(monkeypatch, app, "VERIFY_RATE_LIMIT")

    def unknown() -> str:
        return format_certificate_id(new_certificate_id())

    codes = [
        client.get(f"/verify/{unknown()}").status_code,
        client.get(f"/api/v1/verify/{unknown()}").status_code,
        client.get(f"/verify/{unknown()}").status_code,
    ]
    assert codes == [404, 404, 404]
    assert_limited(client.get(f"/api/v1/verify/{unknown()}"), api=True)
    assert_limited(client.get(f"/verify/{unknown()}"), api=False)
    other = client.get(f"/verify/{unknown()}", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert other.status_code == 404, "another client is not held back"
    assert until_not_limited(lambda: client.get(f"/verify/{unknown()}")).status_code == 404


def test_batch_verification_per_verifier(app, client, make, monkeypatch):
    shorten(monkeypatch, app, "VERIFICATIONS_RATE_LIMIT")
    first = make.api_headers(make.user("board@example.org", role="verifier"))
    second = make.api_headers(make.user("board2@example.org", role="verifier"))
    body = {"ids": [format_certificate_id(new_certificate_id())]}

    def batch(headers: dict[str, str]) -> TestResponse:
        return client.post("/api/v1/verifications", json=body, headers=headers)

    assert [batch(first).status_code for _ in range(3)] == [200, 200, 200]
    assert_limited(batch(first), api=True)
    assert batch(second).status_code == 200, "another verifier keeps their own count"
    assert until_not_limited(lambda: batch(first)).status_code == 200


def test_password_reset_requests(app, client, make, monkeypatch):
    shorten(monkeypatch, app, "PASSWORD_RESET_RATE_LIMIT")
    make.user()
    token = csrf_token(client, "/account/reset")

    def ask() -> TestResponse:
        return client.post(
            "/account/reset", data={"csrf_token": token, "email": "learner@example.org"}
        )

    assert [ask().status_code for _ in range(3)] == [302, 302, 302]
    assert_limited(ask(), api=False)
    assert until_not_limited(ask).status_code == 302
