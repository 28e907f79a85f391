"""Sessions: fixation, signing out, password changes and resets end what they should.

Every sign-in here goes through the real form, CSRF token included, the way a
browser does it; "replaying" a cookie means a second client presenting a copy.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import PASSWORD, AuthActions, csrf_token
from trainer.accounts.services import issue_password_reset

NEW_PASSWORD = "another long passphrase, changed"


def replay(app, cookies: dict[str, str]) -> FlaskClient:
    """A second browser presenting copies of ``cookies``."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def cookies_of(client: FlaskClient, *names: str) -> dict[str, str]:
    found = {name: client.get_cookie(name) for name in names}
    return {name: cookie.value for name, cookie in found.items() if cookie is not None}


def signed_in(client: FlaskClient) -> bool:
    return client.get("/dashboard").status_code == 200


def change_password(client: FlaskClient) -> object:
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )


def test_a_cookie_planted_before_sign_in_stays_anonymous(app, client, make, auth):
    """Fixation: the attacker's copy of the pre-login cookie gains nothing from the sign-in."""
    make.user()
    client.get("/login")
    planted = cookies_of(client, "session")
    assert planted, "the sign-in page sets a session cookie (for its CSRF token)"
    auth.login()
    assert cookies_of(client, "session") != planted
    assert signed_in(client)
    assert not signed_in(replay(app, planted))


def test_every_sign_in_gets_a_new_login_token(app, make):
    """Two sign-ins of one person never share a session secret, nor a remember cookie."""
    make.user()
    first, second = app.test_client(), app.test_client()
    AuthActions(first).login(remember=True)
    AuthActions(second).login(remember=True)
    with first.session_transaction() as one, second.session_transaction() as two:
        assert one["_user_id"] != two["_user_id"]
    assert cookies_of(first, "remember_token") != cookies_of(second, "remember_token")


def test_signing_out_ends_the_session_and_the_remember_cookie(app, client, make, auth):
    make.user()
    auth.login(remember=True)
    copied = cookies_of(client, "session", "remember_token")
    assert set(copied) == {"session", "remember_token"}
    auth.logout()
    assert not signed_in(client)
    assert not signed_in(replay(app, copied))
    assert not signed_in(replay(app, {"remember_token": copied["remember_token"]}))


def test_a_password_change_ends_every_other_session_and_every_api_token(app, client, make, auth):
    """Decision: API tokens go with the password, since anyone with it could make one."""
    user = make.user()
    laptop, phone = app.test_client(), app.test_client()
    AuthActions(laptop).login(remember=True)
    AuthActions(phone).login()
    laptop_cookies = cookies_of(laptop, "session", "remember_token")
    script = make.api_headers(user)
    assert client.get("/api/v1/me", headers=script).status_code == 200

    auth.login()
    response = change_password(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Other devices have been signed out." in page
    assert "Your API tokens (1) stopped working with the old password." in page

    assert signed_in(client), "the browser that changed the password stays signed in"
    assert not signed_in(laptop) and not signed_in(phone)
    assert not signed_in(replay(app, {"remember_token": laptop_cookies["remember_token"]}))
    refused = client.get("/api/v1/me", headers=script)
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "invalid_token"


def test_a_new_token_made_after_the_change_works(client, make, auth):
    make.user()
    auth.login()
    change_password(client)
    old = {"email": "learner@example.org", "password": PASSWORD}
    made = client.post("/api/v1/tokens", json=old)
    assert made.status_code == 401, "the old password no longer makes tokens"
    made = client.post(
        "/api/v1/tokens", json={"email": "learner@example.org", "password": NEW_PASSWORD}
    )
    assert made.status_code == 201
    headers = {"Authorization": f"Bearer {made.json['token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_a_password_reset_ends_every_session_and_every_api_token(app, client, make, db):
    user = make.user()
    browser = app.test_client()
    AuthActions(browser).login(remember=True)
    remembered = cookies_of(browser, "remember_token")
    script = make.api_headers(user)
    with app.app_context():
        token = issue_password_reset(db, user, 3600)
    db.commit()
    path = f"/account/reset/{token}"
    response = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "password": NEW_PASSWORD,
              "confirm": NEW_PASSWORD},
    )  # fmt: skip
    assert response.status_code == 302
    assert not signed_in(browser)
    assert not signed_in(replay(app, remembered))
    assert client.get("/api/v1/me", headers=script).status_code == 401


def test_ending_other_sessions_keeps_this_one_and_api_tokens(app, client, make, auth):
    """Signing out other browsers is about browsers: scripts keep their tokens."""
    user = make.user()
    other = app.test_client()
    AuthActions(other).login()
    script = make.api_headers(user)
    auth.login()
    response = client.post(
        "/account/sessions/end-others", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == 302
    assert signed_in(client) and not signed_in(other)
    assert client.get("/api/v1/me", headers=script).status_code == 200


def test_cookies_are_http_only_and_same_site(client, make, auth):
    make.user()
    response = auth.login(remember=True)
    for header in response.headers.getlist("Set-Cookie"):
        assert "HttpOnly" in header, header
        assert "SameSite=Lax" in header, header
