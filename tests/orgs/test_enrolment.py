"""Enrolling staff from a CSV file, through the API and through the upload page."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.conftest import csrf_token
from trainer.models import AuditEvent, Invitation, User

HEADER = "email,full_name,profession,unit,licence_number\n"
STAFF = (
    HEADER
    + "ana@moi.example,Ana Lima,police,North/District 4,\n"
    + "bo@moi.example,Бо Чен,police,Station A,\n"
    + "officer@moi.example,Olu Officer,police,North/District 4/Station A,\n"
)


def post_csv(client, headers, slug, body, dry_run=False):
    path = f"/api/v1/orgs/{slug}/enrolments" + ("?dry_run=1" if dry_run else "")
    return client.post(
        path, data=body.encode(), headers={**headers, "Content-Type": "text/csv; charset=utf-8"}
    )


def count_users(db):
    return db.scalar(select(func.count(User.id)))


def test_dry_run_previews_and_changes_nothing(client, make, db, ministry):
    headers = make.api_headers(ministry.admin)
    before = count_users(db)
    response = post_csv(client, headers, ministry.slug, STAFF, dry_run=True)
    assert response.status_code == 200
    assert response.json["summary"] == {
        "rows": 3,
        "created": 2,
        "linked": 0,
        "moved": 0,
        "unchanged": 1,
    }
    assert response.json["imported"] is False
    assert count_users(db) == before


def test_import_creates_links_and_invites_and_a_second_upload_changes_nothing(
    client, make, db, ministry, inbox
):
    headers = make.api_headers(ministry.admin)
    response = post_csv(client, headers, ministry.slug, STAFF)
    assert response.status_code == 200, response.json
    assert response.json["imported"] is True
    bo = db.scalar(select(User).where(User.email == "bo@moi.example"))
    assert bo.full_name == "Бо Чен" and bo.unit_id == ministry.station_a.id
    assert bo.organisation_id == ministry.org.id and bo.password_hash is None
    assert len(inbox.to("bo@moi.example")) == 1
    assert len(inbox.to("officer@moi.example")) == 0  # already had an account

    users, events, mails = (
        count_users(db),
        db.scalar(select(func.count(AuditEvent.id))),
        len(inbox.messages),
    )
    again = post_csv(client, headers, ministry.slug, STAFF)
    assert again.json["summary"]["unchanged"] == 3
    assert count_users(db) == users
    assert db.scalar(select(func.count(AuditEvent.id))) == events
    assert len(inbox.messages) == mails


def test_the_invitation_link_sets_a_password_once(client, make, db, ministry, inbox, auth):
    post_csv(client, make.api_headers(ministry.admin), ministry.slug, STAFF)
    (message,) = inbox.to("ana@moi.example")
    assert "Ministry of Interior has enrolled you" in message
    path = re.search(r"http://trainer\.test(/account/reset/\S+)", message).group(1)
    password = "a fresh long passphrase"
    data = {"csrf_token": csrf_token(client, path), "password": password, "confirm": password}
    assert client.post(path, data=data).status_code == 302
    assert auth.login("ana@moi.example", password).status_code == 302
    assert client.get(path).status_code == 400  # single use
    assert db.get(Invitation, db.scalar(select(User.id).where(User.email == "ana@moi.example")))


def test_one_bad_row_imports_nothing_and_says_where(client, make, db, ministry):
    before = count_users(db)
    body = STAFF + "nurse@moh.example,Nia Nurse,health,North,\nzed@moi.example,Zed,police,Mars,\n"
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert response.status_code == 422
    assert response.json["errors"] == [
        {
            "line": 5,
            "column": "email",
            "reason": "nurse@moh.example already belongs to another organisation. It was not "
            "moved: ask that organisation to release the account, or remove the row.",
        },
        {
            "line": 6,
            "column": "unit",
            "reason": "No unit 'Mars' in this organisation. Give its path, like "
            "'North/District 4'.",
        },
    ]
    assert count_users(db) == before
    assert db.get(User, ministry.outsider.id).organisation_id == ministry.other.id


def test_an_ambiguous_unit_name_asks_for_the_path(client, make, db, ministry):
    from trainer.orgs.scope import Scope
    from trainer.orgs.units import create_unit

    create_unit(db, Scope(ministry.org), name="Station A", kind="station", parent=ministry.south)
    db.commit()
    body = HEADER + "ana@moi.example,Ana Lima,police,Station A,\n"
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert "Several units are called 'Station A'" in response.json["errors"][0]["reason"]


def test_a_unit_scoped_admin_enrols_only_into_their_units(client, make, ministry):
    body = HEADER + "ana@moi.example,Ana Lima,police,South/District 9,\n"
    response = post_csv(client, make.api_headers(ministry.north_admin), ministry.slug, body)
    assert response.status_code == 422
    assert "outside the units you manage" in response.json["errors"][0]["reason"]


def test_a_self_registered_learner_is_linked_not_duplicated(client, make, db, ministry):
    make.user("free@example.org", full_name="Free Learner", profession="police")
    body = HEADER + "FREE@example.org,Free Learner,police,North,\n"
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert response.json["summary"]["linked"] == 1
    assert db.scalar(select(func.count(User.id)).where(User.email == "free@example.org")) == 1


def test_a_large_body_is_refused_with_the_limit(client, make, ministry):
    from trainer.orgs.staff_csv import MAX_BYTES

    body = STAFF + "x" * (MAX_BYTES - len(STAFF) + 1)
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert response.status_code == 413
    assert "Split it into several files" in response.json["error"]["message"]


def test_upload_preview_and_confirm_in_the_browser(client, auth, db, ministry, inbox):
    auth.login("admin@moi.example")
    page = client.get(f"/orgs/{ministry.slug}/enrolments")
    assert "At most 50,000 staff and 16 MB per file" in page.get_data(as_text=True)
    content = ("\ufeff" + STAFF.replace(",", ";")).encode()
    preview = client.post(
        f"/orgs/{ministry.slug}/enrolments",
        data={
            "csrf_token": csrf_token(client, f"/orgs/{ministry.slug}/enrolments"),
            "file": (io.BytesIO(content), "staff.csv"),
        },
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert "3 rows: 2 new accounts" in html
    assert count_users(db) == 6  # nothing yet
    upload = re.search(r'name="upload" type="hidden" value="([0-9a-f]+)"', html).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    done = client.post(
        f"/orgs/{ministry.slug}/enrolments/confirm",
        data={"csrf_token": token, "upload": upload},
        follow_redirects=True,
    )
    assert "Imported 3 rows: 2 new, 0 linked, 0 moved, 1 unchanged" in done.get_data(as_text=True)
    assert count_users(db) == 8
    again = client.post(
        f"/orgs/{ministry.slug}/enrolments/confirm", data={"csrf_token": token, "upload": upload}
    )
    assert again.status_code == 404  # an upload is imported once


def test_bad_rows_are_listed_on_the_preview_page(client, auth, ministry):
    auth.login("admin@moi.example")
    content = b"email,full_name,profession,unit\nnot-an-email,Ana,pilot,North\n"
    preview = client.post(
        f"/orgs/{ministry.slug}/enrolments",
        data={
            "csrf_token": csrf_token(client, f"/orgs/{ministry.slug}/enrolments"),
            "file": (io.BytesIO(content), "staff.csv"),
        },
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 400
    assert "2 problems: nothing was imported" in html
    assert "&#39;not-an-email&#39; is not an email address." in html
    assert "Confirm and import" not in html


def test_a_large_file_takes_a_handful_of_queries_not_one_per_row(
    app, client, make, db, ministry, held_queue
):
    from sqlalchemy import event

    from trainer import db as trainer_db

    rows = "".join(f"p{i}@moi.example,Person {i},police,North/District 4,\n" for i in range(2_000))
    headers = make.api_headers(ministry.admin)
    statements = []
    engine = trainer_db.database(app).engine

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = post_csv(client, headers, ministry.slug, HEADER + rows)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.json["summary"]["created"] == 2_000
    # 4 lookups of 500 emails, 4 inserts of users (with RETURNING) and 4 of invitations,
    # the units, the token, the audit event; the invitations are one queued job.
    assert len(statements) < 60, len(statements)
    assert held_queue.pending_count() == 1
    assert count_users(db) == 2_006
