"""The account page: name and licence data, devices, API tokens."""

from __future__ import annotations

import re

import pytest

from tests.conftest import AuthActions, csrf_token


def test_edit_name_and_licence(client, make, auth, db):
    user = make.user()
    auth.login()
    response = client.post(
        "/account",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "full_name": "Ана Петровић",
            "profession": "licensed",
            "country": "RS",
            "licence_type": "social-worker",
            "licence_number": "SW 778",
            "licensing_board": "Board of Social Work",
        },
    )
    assert response.status_code == 302
    db.refresh(user)
    assert (user.full_name, user.country, user.licence_type, user.licence_number) == (
        "Ана Петровић",
        "RS",
        "social-worker",
        "SW 778",
    )
    assert "Ана Петровић" in client.get("/account").get_data(as_text=True)


def test_empty_name_is_refused(client, make, auth):
    make.user()
    auth.login()
    response = client.post(
        "/account",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "full_name": "   ",
            "profession": "health",
            "country": "US",
        },
    )
    assert response.status_code == 400


def test_api_token_is_shown_once_and_can_be_revoked(client, make, auth):
    make.user(role="verifier")
    auth.login()
    page = client.post(
        "/account/tokens",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "name": "board sync",
            "scope": "verifier",
            "days": "30",
        },
    ).get_data(as_text=True)
    token = re.search(r'<code class="token">(trn_[^<]+)</code>', page).group(1)
    assert "It will not be shown again" in page
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    account = client.get("/account").get_data(as_text=True)
    assert token not in account  # never shown again
    assert "board sync" in account
    token_id = re.search(r"/account/tokens/(\d+)/revoke", account).group(1)
    client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(client, make, auth, app, db):
    from trainer.accounts.services import create_api_token

    other = make.user("other@example.org")
    record, token = create_api_token(db, other, "theirs")
    db.commit()
    make.user()
    auth.login()
    response = client.post(
        f"/account/tokens/{record.id}/revoke", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_sign_out_other_devices(app, client, make, auth):
    make.user()
    other = app.test_client()
    AuthActions(other).login()
    auth.login()
    client.post("/account/sessions/end-others", data={"csrf_token": csrf_token(client, "/account")})
    assert other.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_learners_see_no_token_form_and_cannot_post_it(client, make, auth):
    """API tokens are for roles whose work needs the API (issue 16)."""
    make.user()
    auth.login()
    page = client.get("/account").get_data(as_text=True)
    assert "/account/tokens" not in page and "API tokens" not in page
    response = client.post(
        "/account/tokens", data={"csrf_token": csrf_token(client, "/account"), "name": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["org_admin", "verifier", "admin"])
def test_roles_that_use_the_api_see_the_token_form(client, make, auth, role):
    make.user(role=role)
    auth.login()
    assert 'action="/account/tokens"' in client.get("/account").get_data(as_text=True)


def test_devices_are_named_in_words(client, make, auth):
    make.user()
    chrome = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    )
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )
    client.environ_base["HTTP_USER_AGENT"] = iphone
    auth.login()
    client.environ_base["HTTP_USER_AGENT"] = chrome
    other = client.application.test_client()
    other.environ_base["HTTP_USER_AGENT"] = chrome
    AuthActions(other).login()
    page = client.get("/account").get_data(as_text=True)
    assert "Safari on iPhone" in page
    assert "Chrome on Windows" in page
    assert "AppleWebKit" not in page
