"""The second factor: TOTP enrolment with a QR code, the code after the password,
single-use codes and recovery codes, and roles that must use it (issue 17)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tests.conftest import PASSWORD, csrf_token
from trainer.models import RecoveryCode, User

SECRET_PATTERN = re.compile(r'<code class="token" dir="ltr">([A-Z2-7]+)</code>')
CODE_PATTERN = re.compile(r'<li><code dir="ltr">([0-9a-f]{6}-[0-9a-f]{6})</code></li>')


def enrol(client) -> tuple[str, list[str]]:
    """Turn the second factor on through the pages; the secret and the recovery codes."""
    page = client.get("/account/mfa").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code
    secret = SECRET_PATTERN.search(page).group(1)
    token = csrf_token(client, "/account/mfa")
    wrong = client.post("/account/mfa", data={"csrf_token": token, "code": "000000"})
    assert wrong.status_code == 400
    assert "That code does not match" in wrong.get_data(as_text=True)
    done = client.post(
        "/account/mfa", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}
    ).get_data(as_text=True)
    codes = CODE_PATTERN.findall(done)
    assert len(codes) == 10
    return secret, codes


def later_code(secret: str) -> str:
    """The code of the next time step: the enrolment spent this one."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enter_code(client, code: str):
    return client.post(
        "/login/code", data={"csrf_token": csrf_token(client, "/login/code"), "code": code}
    )


def test_enrol_then_sign_in_with_the_code_after_the_password(client, make, auth, db):
    make.user()
    auth.login()
    secret, codes = enrol(client)
    user = db.query(User).one()
    db.refresh(user)
    assert user.totp_secret == secret and user.totp_enabled_at is not None
    # Recovery codes are kept only as hashes.
    stored = {r.code_hash for r in db.query(RecoveryCode).filter_by(user_id=user.id)}
    assert not stored & set(codes) and len(stored) == 10
    auth.logout()

    first = auth.login()
    assert first.status_code == 302 and first.headers["Location"].startswith("/login/code")
    assert client.get("/dashboard").status_code == 302  # not signed in yet
    assert enter_code(client, "123456").status_code == 400
    code = later_code(secret)
    assert enter_code(client, code).headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    auth.logout()

    # The same code does not work twice, even within its 30 seconds.
    auth.login()
    replay = enter_code(client, code)
    assert replay.status_code == 400
    assert "not correct or was already used" in replay.get_data(as_text=True)


def test_a_recovery_code_works_once(client, make, auth):
    make.user()
    auth.login()
    _secret, codes = enrol(client)
    auth.logout()
    auth.login()
    assert enter_code(client, codes[0].upper()).headers["Location"] == "/dashboard"
    assert "9 recovery codes left" in client.get("/account").get_data(as_text=True)
    auth.logout()
    auth.login()
    assert enter_code(client, codes[0]).status_code == 400


def test_the_api_asks_for_the_code_too(client, make, auth):
    make.user()
    auth.login()
    secret, _codes = enrol(client)
    body = {"email": "learner@example.org", "password": PASSWORD}
    missing = client.post("/api/v1/tokens", json=body)
    assert missing.status_code == 401 and missing.json["error"]["code"] == "code_required"
    wrong = client.post("/api/v1/tokens", json={**body, "code": "000000"})
    assert wrong.json["error"]["code"] == "invalid_code"
    right = client.post("/api/v1/tokens", json={**body, "code": later_code(secret)})
    assert right.status_code == 201


def test_a_role_that_requires_it_is_sent_to_enrol_first(app, client, make, auth, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ("admin",))
    make.user("admin@example.org", role="admin")
    assert auth.login("admin@example.org").status_code == 302
    for path in ["/dashboard", "/admin/users", "/account"]:
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/account/mfa"
    page = client.get("/account/mfa").get_data(as_text=True)
    assert "Your role must use a second factor" in page
    enrol(client)
    assert client.get("/admin/users").status_code == 200
    # ... and cannot turn it off.
    off = client.post(
        "/account/mfa/disable",
        data={"csrf_token": csrf_token(client, "/account"), "password": PASSWORD},
    )
    assert off.status_code == 302
    assert "it cannot be turned off" in client.get("/account").get_data(as_text=True)


def test_admins_must_use_it_by_default_and_the_setting_adds_roles(tmp_path, monkeypatch):
    from trainer.config import load_settings

    monkeypatch.delenv("TRAINER_MFA_REQUIRED_ROLES", raising=False)
    assert load_settings(tmp_path)["MFA_REQUIRED_ROLES"] == ("admin",)
    monkeypatch.setenv("TRAINER_MFA_REQUIRED_ROLES", "admin, org_admin,verifier")
    assert load_settings(tmp_path)["MFA_REQUIRED_ROLES"] == ("admin", "org_admin", "verifier")
    monkeypatch.setenv("TRAINER_MFA_REQUIRED_ROLES", "admin,root")
    with pytest.raises(ValueError, match="unknown role"):
        load_settings(tmp_path)


def test_a_learner_may_turn_it_off_with_the_password(client, make, auth):
    make.user()
    auth.login()
    enrol(client)
    token = csrf_token(client, "/account")
    client.post("/account/mfa/disable", data={"csrf_token": token, "password": "wrong one!"})
    assert "Second factor turned off" not in client.get("/account").get_data(as_text=True)
    client.post("/account/mfa/disable", data={"csrf_token": token, "password": PASSWORD})
    page = client.get("/account").get_data(as_text=True)
    assert "Second factor turned off" in page  # the event, in the account's history
    auth.logout()
    assert auth.login().headers["Location"] == "/dashboard"


def test_wrong_codes_count_towards_the_sign_in_limit(app, client, make, auth, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    make.user()
    auth.login()
    enrol(client)
    auth.logout()
    auth.login()
    codes = [enter_code(client, "000000").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_the_api_gives_no_token_to_a_role_that_has_not_enrolled(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", ("admin", "verifier"))
    make.user("verifier@example.org", role="verifier")
    response = client.post(
        "/api/v1/tokens", json={"email": "verifier@example.org", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "second_factor_required"
