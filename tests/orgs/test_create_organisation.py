"""Site admins create an organisation and invite its first admin from the web."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import csrf_token
from trainer.models import AuditEvent, Organisation, User

PAGE = "/admin/organisations"


def form(client, **fields):
    data = {
        "csrf_token": csrf_token(client, PAGE),
        "name": "Ministry of Labour",
        "slug": "mol",
        "kind": "ministry",
        "admin_name": "Lena Labour",
        "admin_email": "lena@mol.example",
        **fields,
    }
    return client.post(PAGE, data=data, follow_redirects=True)


def test_the_first_admin_is_invited_and_sets_a_password(client, make, db, auth, inbox):
    make.user("root@example.org", role="admin", profession=None)
    auth.login("root@example.org")
    done = form(client)
    assert "lena@mol.example has been sent an invitation link" in done.get_data(as_text=True)
    organisation = db.scalar(select(Organisation).where(Organisation.slug == "mol"))
    admin = db.scalar(select(User).where(User.email == "lena@mol.example"))
    assert (admin.role, admin.organisation_id, admin.password_hash) == (
        "org_admin",
        organisation.id,
        None,
    )
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.create"))
    assert event.detail == {"via": "web", "first_admin": "lena@mol.example"}
    (message,) = inbox.to("lena@mol.example")
    path = re.search(r"http://trainer\.test(/account/reset/\S+)", message).group(1)
    auth.logout()
    password = "a fresh long passphrase"
    data = {"csrf_token": csrf_token(client, path), "password": password, "confirm": password}
    client.post(path, data=data)
    assert auth.login("lena@mol.example", password).status_code == 302
    assert client.get("/orgs/mol/").status_code == 200


def test_a_taken_slug_or_an_existing_account_is_refused_and_nothing_is_made(
    client, make, db, auth, inbox
):
    make.user("root@example.org", role="admin", profession=None)
    make.organisation("mol", "Existing")
    make.user("self@example.org")
    auth.login("root@example.org")
    taken = form(client)
    assert taken.status_code == 400
    assert "already exists" in taken.get_data(as_text=True)
    existing = form(client, slug="mol2", admin_email="self@example.org")
    assert existing.status_code == 400
    assert "already has an account" in existing.get_data(as_text=True)
    assert db.scalar(select(Organisation).where(Organisation.slug == "mol2")) is None
    assert (
        db.get(
            User, db.scalar(select(User.id).where(User.email == "self@example.org"))
        ).organisation_id
        is None
    )
    assert inbox.messages == []


def test_an_org_admin_cannot_create_organisations(client, make, auth):
    org = make.organisation("moi", "Ministry of Interior")
    make.user("admin@moi.example", role="org_admin", organisation=org)
    auth.login("admin@moi.example")
    assert client.get(PAGE).status_code == 403
