"""Signing in and out: one message for every failure, safe redirects, real session ends."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token


def test_login_then_dashboard(client, make, auth):
    make.user(full_name="Kwame Mensah")
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "Welcome, Kwame Mensah" in client.get("/dashboard").get_data(as_text=True)


def test_email_is_matched_whatever_its_case(make, auth):
    make.user("nurse@example.org")
    assert auth.login("  NURSE@example.org ").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(make, auth):
    make.user()
    wrong = auth.login(password="not the password at all")
    unknown = auth.login(email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 400
    message = "The email or password is not correct."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(make, auth, db):
    user = make.user()
    user.active = False
    db.commit()
    assert auth.login().status_code == 400


@pytest.mark.parametrize("target", ["/account", "/dashboard?tab=certificates"])
def test_next_goes_back_to_a_page_on_this_site(make, auth, target):
    make.user()
    assert auth.login(next_url=target).headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
    ],
)
def test_next_to_another_site_is_ignored(make, auth, target):
    make.user()
    assert auth.login(next_url=target).headers["Location"] == "/dashboard"


def test_anonymous_visitor_is_sent_to_login_and_back(client, make, auth):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    make.user()
    assert auth.login(next_url="/account").headers["Location"] == "/account"


def test_logout_ends_the_session_on_the_server(client, make, auth):
    make.user()
    auth.login()
    stolen_cookie = client.get_cookie("session").value
    auth.logout()
    assert client.get("/dashboard").status_code == 302
    # A copy of the cookie taken before logout no longer works either.
    client.set_cookie("session", stolen_cookie)
    assert client.get("/dashboard").status_code == 302


def test_logout_needs_a_post_with_csrf(client, make, auth):
    make.user()
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_login_starts_a_fresh_session(client, make, auth):
    """Session fixation: whatever was in the session before sign-in is dropped."""
    make.user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session
    assert client.get_cookie("session").value != before


def test_remember_me_sets_a_long_lived_http_only_cookie(client, make, auth):
    make.user()
    auth.login(remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.http_only
    # Without the session cookie, the remember cookie alone signs the user in.
    client.delete_cookie("session")
    assert client.get("/dashboard").status_code == 200


def test_login_is_rate_limited_and_says_so(client, make, auth, app):
    make.user()
    token = csrf_token(client, "/login")
    statuses = [
        client.post(
            "/login",
            data={
                "csrf_token": token,
                "email": "learner@example.org",
                "password": "wrong password!!",
            },
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    page = client.post(
        "/login", data={"csrf_token": token, "email": "learner@example.org", "password": "x"}
    )
    assert page.status_code == 429
    assert "Too many attempts" in page.get_data(as_text=True)
    assert "Retry-After" in page.headers
