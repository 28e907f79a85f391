"""The staff list's optional country and region columns, and its licence types."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.conftest import csrf_token
from tests.orgs.test_enrolment import count_users, post_csv
from trainer.models import User
from trainer.orgs.staff_csv import read_staff

HEADER = "email,full_name,profession,unit,country,region,licence_type\n"


def test_country_and_region_are_stored_for_new_accounts(client, make, db, ministry):
    body = (
        HEADER
        + "rn@moi.example,Amina Haddad,licensed,North,US,US-MI,nurse\n"
        + "on@moi.example,Claire Roy,health,North,,CA-ON,none\n"
        + "tx@moi.example,Rosa Díaz,licensed,North,US,tx,cosmetologist\n"
    )
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert response.status_code == 200, response.json
    found = {
        u.email: (u.country, u.region, u.licence_type)
        for u in db.scalars(select(User).where(User.email.like("%@moi.example"))).all()
        if u.email in ("rn@moi.example", "on@moi.example", "tx@moi.example")
    }
    assert found == {
        "rn@moi.example": ("US", "US-MI", "nurse"),
        "on@moi.example": ("CA", "CA-ON", None),
        "tx@moi.example": ("US", "US-TX", "cosmetologist"),
    }


def test_a_bad_region_row_imports_nothing_and_says_where(client, make, db, ministry):
    body = (
        HEADER
        + "rn@moi.example,Amina Haddad,licensed,North,US,US-MI,nurse\n"
        + "qc@moi.example,Luc Roy,licensed,North,CA,US-MI,nurse\n"
        + "zz@moi.example,Zed Zee,licensed,North,US,US-ZZ,nurse\n"
        + "po@moi.example,Pat Officer,police,North,US,US-MI,cosmetologist\n"
    )
    before = count_users(db)
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert response.status_code == 422
    errors = [(e["line"], e["column"], e["reason"]) for e in response.json["errors"]]
    assert errors == [
        (3, "region", "US-MI is not in Canada; choose a state or province of that country."),
        (4, "region", "Unknown state or province code; use one such as US-MI."),
        (
            5,
            "licence_type",
            "A Cosmetologist licence does not go with the profession Police and law "
            "enforcement. Choose one of: Licensed professional.",
        ),
    ]
    assert count_users(db) == before


def test_a_region_outside_an_existing_learners_country_is_refused(client, make, ministry):
    make.user("free@example.org", full_name="Free Learner", profession="police", country="CA")
    body = HEADER + "free@example.org,Free Learner,police,North,,US-MI,\n"
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert response.status_code == 422
    assert response.json["errors"] == [
        {
            "line": 2,
            "column": "region",
            "reason": "US-MI is not in Canada, the country free@example.org gave; "
            "correct the region or leave it empty.",
        }
    ]


def test_the_preview_page_names_the_bad_region_row(client, auth, ministry):
    auth.login("admin@moi.example")
    content = (HEADER + "qc@moi.example,Luc Roy,licensed,North,CA,US-MI,nurse\n").encode()
    preview = client.post(
        f"/orgs/{ministry.slug}/enrolments",
        data={
            "csrf_token": csrf_token(client, f"/orgs/{ministry.slug}/enrolments"),
            "file": (io.BytesIO(content), "staff.csv"),
        },
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 400
    assert "US-MI is not in Canada" in html
    assert "Confirm and import" not in html


def test_without_a_vocabulary_the_reader_keeps_the_columns_unchecked():
    staff = read_staff((HEADER + "a@x.example,Ana,police,North,us,us-mi,\n").encode(), ["police"])
    assert staff.errors == []
    assert (staff.rows[0].country, staff.rows[0].region) == ("US", "US-MI")
