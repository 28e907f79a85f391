"""Role checks: anonymous users go to login, the wrong role gets 403, on HTML and API alike."""

from __future__ import annotations

import pytest
from flask import Blueprint

from tests.conftest import PASSWORD, app_settings, csrf_token
from trainer import create_app
from trainer import db as trainer_db
from trainer.accounts.roles import roles_required
from trainer.api.auth import api_roles_required
from trainer.migrate import upgrade

# Pages that need a signed-in user, whatever the role.
SIGNED_IN_PAGES = ["/dashboard", "/account"]


@pytest.mark.parametrize("path", [*SIGNED_IN_PAGES, "/admin/users"])
def test_anonymous_users_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={path.replace('/', '%2F')}"


@pytest.mark.parametrize("role", ["learner", "org_admin", "verifier"])
def test_admin_pages_refuse_other_roles(client, make, auth, role):
    organisation = make.organisation() if role == "org_admin" else None
    make.user(role=role, organisation=organisation)
    auth.login()
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)


def test_admin_sees_accounts(client, make, auth):
    make.user("admin@example.org", role="admin", full_name="Site Admin")
    make.user("nurse@example.org", full_name="Amina Haddad")
    auth.login("admin@example.org")
    page = client.get("/admin/users?q=amina").get_data(as_text=True)
    assert "nurse@example.org" in page
    assert "admin@example.org" not in page


@pytest.fixture
def role_app(tmp_path, monkeypatch):
    """An app with one page and one API endpoint per role, to test the decorators."""
    from trainer.accounts.scopes import ENDPOINT_SCOPES

    app = create_app(app_settings(tmp_path, f"sqlite:///{tmp_path / 'roles.db'}"))
    pages = Blueprint("role_pages", __name__)
    for role in ("org_admin", "verifier"):
        pages.add_url_rule(
            f"/only/{role}", f"page_{role}", roles_required(role)(lambda role=role: f"hello {role}")
        )
        pages.add_url_rule(
            f"/api/v1/only/{role}",
            f"api_{role}",
            api_roles_required(role)(lambda role=role: {"role": role}),
        )
        # Every API endpoint names the token scopes it accepts; unlisted ones accept none.
        monkeypatch.setitem(ENDPOINT_SCOPES, f"role_pages.api_{role}", frozenset({role}))
    app.register_blueprint(pages)
    upgrade(trainer_db.database(app).engine)
    yield app
    trainer_db.database(app).engine.dispose()


@pytest.mark.parametrize("role", ["org_admin", "verifier"])
def test_role_decorators_on_pages_and_api(role_app, role):
    from trainer.accounts.services import Profile, create_api_token, create_user
    from trainer.models import Organisation

    with role_app.app_context():
        session = trainer_db.session()
        organisation = Organisation(slug="org", name="Org")
        session.add(organisation)
        session.flush()
        tokens = {}
        for held in ("learner", "org_admin", "verifier", "admin"):
            user = create_user(
                session,
                email=f"{held}@example.org",
                password=PASSWORD,
                role=held,
                organisation_id=organisation.id,
                profile=Profile("Person"),
            )
            tokens[held] = create_api_token(session, user)[1]
        session.commit()

    for held in ("learner", "org_admin", "verifier", "admin"):
        client = role_app.test_client()
        client.post(
            "/login",
            data={
                "csrf_token": csrf_token(client, "/login"),
                "email": f"{held}@example.org",
                "password": PASSWORD,
            },
        )
        allowed = held in (role, "admin")
        assert client.get(f"/only/{role}").status_code == (200 if allowed else 403)
        api = role_app.test_client().get(
            f"/api/v1/only/{role}", headers={"Authorization": f"Bearer {tokens[held]}"}
        )
        assert api.status_code == (200 if allowed else 403)
        if not allowed:
            assert api.json["error"]["code"] == "forbidden"

    anonymous = role_app.test_client()
    assert anonymous.get(f"/only/{role}").status_code == 302
    response = anonymous.get(f"/api/v1/only/{role}")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"
