"""Authentication events reach the audit trail and the log, never a secret (issue 17);
site admins see them, disable accounts and change roles; reset links are single-use."""

from __future__ import annotations

import json
import logging
import re
import threading

import pyotp
from sqlalchemy import delete, select

from tests.accounts.test_mfa import enrol, enter_code, later_code
from tests.conftest import PASSWORD, AuthActions, csrf_token
from trainer import db as trainer_db
from trainer.accounts.services import issue_password_reset
from trainer.accounts.signin import wait_for_deliveries
from trainer.models import AuditEvent, PasswordResetToken, User

NEW_PASSWORD = "a different long passphrase"


def actions(db, user) -> list[str]:
    events = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.target_type == "user", AuditEvent.target_id == str(user.id))
        .order_by(AuditEvent.id)
    )
    return [e.action for e in events]


def test_every_step_is_recorded_and_no_secret_is_logged_or_stored(client, make, auth, db, caplog):
    user = make.user(role="verifier")
    secrets: list[str] = [PASSWORD, NEW_PASSWORD, "a wrong password"]
    with caplog.at_level(logging.DEBUG):
        auth.login(password="a wrong password")
        auth.login()
        token = csrf_token(client, "/account")
        page = client.post(
            "/account/tokens",
            data={"csrf_token": token, "name": "sync", "scope": "read", "days": "7"},
        )
        secrets.append(re.search(r"(trn_[A-Za-z0-9_-]+)", page.get_data(as_text=True)).group(1))
        token_id = re.search(r"/account/tokens/(\d+)/revoke", client.get("/account").text).group(1)
        client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token})
        api = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        secrets.append(api.json["token"])
        secret, codes = enrol(client)
        secrets += [secret, *codes]
        client.post(
            "/account/password",
            data={"csrf_token": token, "current_password": PASSWORD, "password": NEW_PASSWORD,
                  "confirm": NEW_PASSWORD},
        )  # fmt: skip
        auth.logout()
        auth.login(password=NEW_PASSWORD)
        code = later_code(secret)
        secrets.append(code)
        enter_code(client, code)
        auth.logout()
        client.post(
            "/account/reset",
            data={"csrf_token": csrf_token(client, "/account/reset"), "email": user.email},
        )
        wait_for_deliveries()
        link_token = issue_password_reset(db, user, 3600)
        db.commit()
        secrets.append(link_token)
        path = f"/account/reset/{link_token}"
        client.post(
            path,
            data={"csrf_token": csrf_token(client, path), "password": PASSWORD,
                  "confirm": PASSWORD},
        )  # fmt: skip

    assert actions(db, user) == [
        "auth.sign_in_failed",
        "auth.sign_in",
        "auth.token_created",
        "auth.token_revoked",
        "auth.sign_in",
        "auth.token_created",
        "auth.mfa_enabled",
        "auth.password_changed",
        "auth.sign_in",
        "auth.password_reset_requested",
        "auth.password_reset",
    ]
    # Mail bodies (trainer.mail) are the hardening work's to redact; everything else:
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith("trainer.mail")
    )
    stored = json.dumps([e.detail for e in db.scalars(select(AuditEvent))])
    for secret_text in secrets:
        assert secret_text not in logged, f"{secret_text[:6]}… reached the log"
        assert secret_text not in stored, f"{secret_text[:6]}… reached the audit trail"
    assert "auth.sign_in_failed" in logged and "auth.password_reset" in logged


def test_admins_see_events_filtered_by_account(client, make, auth):
    make.user()
    make.user("other@example.org")
    other = AuthActions(client.application.test_client())
    other.login("other@example.org", "a wrong password")
    make.user("admin@example.org", role="admin")
    auth.login("admin@example.org")
    everything = client.get("/admin/security-events").get_data(as_text=True)
    assert "other@example.org" in everything and "Failed sign-in" in everything
    mine = client.get("/admin/security-events?account=admin@example.org").get_data(as_text=True)
    assert "other@example.org" not in mine and "Signed in" in mine
    unknown = client.get("/admin/security-events?account=nobody@example.org")
    assert "No account uses that address." in unknown.get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in_and_its_tokens_and_sessions_end(client, app, make, db):
    learner = make.user()
    headers = make.api_headers(learner)
    browser = AuthActions(app.test_client())
    browser.login()
    assert browser.client.get("/dashboard").status_code == 200
    make.user("admin@example.org", role="admin")
    admin = AuthActions(client)
    admin.login("admin@example.org")
    token = csrf_token(client, f"/admin/users/{learner.id}")
    client.post(f"/admin/users/{learner.id}", data={"csrf_token": token, "action": "disable"})

    assert browser.client.get("/dashboard").status_code == 302  # the session ended
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert AuthActions(app.test_client()).login().status_code == 400
    events = client.get("/admin/security-events").get_data(as_text=True)
    assert "Account disabled" in events

    client.post(f"/admin/users/{learner.id}", data={"csrf_token": token, "action": "enable"})
    assert AuthActions(app.test_client()).login().status_code == 302
    assert actions(db, learner)[-4:] == [
        "auth.account_disabled",
        "auth.sign_in_failed",  # the disabled account tried
        "auth.account_enabled",
        "auth.sign_in",
    ]


def test_a_role_change_is_recorded_and_ends_the_tokens(client, make, db):
    learner = make.user(role="verifier")
    headers = make.api_headers(learner)
    make.user("admin@example.org", role="admin")
    AuthActions(client).login("admin@example.org")
    token = csrf_token(client, f"/admin/users/{learner.id}")
    client.post(
        f"/admin/users/{learner.id}",
        data={"csrf_token": token, "action": "role", "role": "org_admin"},
    )
    db.refresh(learner)
    assert learner.role == "org_admin"
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "auth.role_changed")).one()
    assert (event.detail["before"], event.detail["after"]) == ("verifier", "org_admin")


def test_a_reset_link_dies_when_the_password_changes(client, make, auth, db):
    user = make.user()
    link = issue_password_reset(db, user, 3600)
    db.commit()
    auth.login()
    client.post(
        "/account/password",
        data={"csrf_token": csrf_token(client, "/account"), "current_password": PASSWORD,
              "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )  # fmt: skip
    assert client.get(f"/account/reset/{link}").status_code == 400


def test_one_reset_link_used_four_times_at_once_works_once(app, committed_learner):
    """A conditional UPDATE spends the link: one request wins on SQLite and PostgreSQL."""
    with app.app_context():
        session = trainer_db.session()
        user = session.get(User, committed_learner.id)
        link = issue_password_reset(session, user, 3600)
        session.commit()
    path = f"/account/reset/{link}"
    clients = [app.test_client() for _ in range(4)]
    tokens = [csrf_token(c, path) for c in clients]
    barrier = threading.Barrier(4)
    outcomes: list[int] = []

    def use(index: int) -> None:
        barrier.wait()
        password = f"{NEW_PASSWORD} {index}"
        response = clients[index].post(
            path, data={"csrf_token": tokens[index], "password": password, "confirm": password}
        )
        outcomes.append(response.status_code)

    threads = [threading.Thread(target=use, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        session = trainer_db.session()
        changes = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "auth.password_reset",
                AuditEvent.target_id == str(committed_learner.id),
            )
        ).all()
        session.execute(delete(AuditEvent).where(AuditEvent.target_id == str(committed_learner.id)))
        session.execute(
            delete(PasswordResetToken).where(PasswordResetToken.user_id == committed_learner.id)
        )
        session.commit()
    assert sorted(outcomes) == [302, 400, 400, 400]
    assert len(changes) == 1


def test_totp_secret_is_not_in_the_page_once_enrolled(client, make, auth):
    make.user()
    auth.login()
    secret, _codes = enrol(client)
    assert secret not in client.get("/account").get_data(as_text=True)
    assert pyotp.TOTP(secret).now().isdigit()
