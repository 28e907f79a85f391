"""Verification as a board meets it: the page, the API, batches, limits and the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from tests.certificates.helpers import finish_course
from tests.conftest import csrf_token
from tests.progress import approve, place
from trainer.certificates import services
from trainer.certificates.ids import format_certificate_id, new_certificate_id
from trainer.models import AuditEvent, SigningKey, utcnow


@pytest.fixture
def nurse_certificate(app, make, db):
    approve(app, db, "us-mi-licensee-training", "health-organisation")
    nurse = make.user(
        "amira@example.org",
        full_name="أميرة حداد",
        licence_type="nurse",
        licence_number="RN-4410021",
        licensing_board="Michigan Board of Nursing",
    )
    place(db, nurse, "US-MI", "nurse")
    return finish_course(app, db, nurse)


def test_the_verify_page_says_valid_with_the_minimum_to_trust_it(client, nurse_certificate):
    response = client.get(f"/verify/{nurse_certificate.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Valid" in page and "أميرة حداد" in page
    assert "Michigan" in page and "Florida" not in page
    assert "******0021" in page and "RN-4410021" not in page
    assert "amira@example.org" not in page and ".pdf" not in page
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_the_form_takes_the_printed_id_and_goes_to_its_page(client, nurse_certificate):
    printed = format_certificate_id(nurse_certificate.id).lower()
    response = client.get("/verify", query_string={"id": printed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{nurse_certificate.id}")
    assert client.get("/verify").status_code == 200


def test_malformed_and_unknown_ids_reveal_nothing(client, db):
    bad = client.get("/verify/not-an-id")
    assert bad.status_code == 400 and "27 characters" in bad.get_data(as_text=True)
    assert client.get("/verify", query_string={"id": "12345"}).status_code == 400
    unknown = client.get(f"/verify/{new_certificate_id()}")
    assert unknown.status_code == 404 and "No certificate has this id" in unknown.get_data(
        as_text=True
    )
    api_bad = client.get("/api/v1/verify/xyz")
    assert api_bad.status_code == 400 and api_bad.json["error"]["code"] == "invalid_id"
    api_unknown = client.get(f"/api/v1/verify/{new_certificate_id()}")
    assert api_unknown.status_code == 404 and api_unknown.json["error"]["code"] == "not_found"


def test_the_api_answers_the_same_and_never_an_email(client, nurse_certificate):
    body = client.get(f"/api/v1/verify/{nurse_certificate.id}").json["certificate"]
    assert body["status"] == "valid" and body["name"] == "أميرة حداد"
    assert body["hours"] == 1.25 and body["provider"]["name"] == "Trainer"
    assert body["license"]["number"] == "******0021"
    assert "@" not in str(body)


def test_every_lookup_is_audited(client, db, nurse_certificate):
    client.get(f"/verify/{nurse_certificate.id}")
    client.get(f"/api/v1/verify/{new_certificate_id()}")
    client.get("/verify/garbage")
    outcomes = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "certificate.verify").order_by(AuditEvent.id)
    ).all()
    assert [(e.detail["outcome"], e.detail["via"]) for e in outcomes] == [
        ("valid", "page"),
        ("not_found", "api"),
        ("invalid_id", "page"),
    ]


def test_verification_is_rate_limited_per_client(app, client, db):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.get(f"/api/v1/verify/{new_certificate_id()}").status_code for _ in range(4)]
        other = client.get(
            f"/verify/{new_certificate_id()}", environ_base={"REMOTE_ADDR": "10.9.9.9"}
        )
    finally:
        app.config["VERIFY_RATE_LIMIT"] = "30 per minute;300 per hour"
    assert codes == [404, 404, 404, 429]
    assert other.status_code == 404  # another client is not held back


def test_revoked_superseded_and_expired_say_so(app, client, db, nurse_certificate):
    with app.app_context():
        services.revoke_certificate(db, nurse_certificate, "Completed by someone else", None)
        db.commit()
    page = client.get(f"/verify/{nurse_certificate.id}").get_data(as_text=True)
    assert "Revoked" in page and "Completed by someone else" in page
    body = client.get(f"/api/v1/verify/{nurse_certificate.id}").json["certificate"]
    assert body["status"] == "revoked"
    assert body["revoked"]["reason"] == "Completed by someone else"


def test_a_replaced_certificate_points_to_its_successor(app, client, make, db):
    learner = make.user(full_name="Jon Smiht")
    old = finish_course(app, db, learner)
    learner.full_name = "Jon Smith"
    with app.app_context():
        new = services.reissue_certificate(db, old, services.issuer_of(app), None, "typo")
        db.commit()
    body = client.get(f"/api/v1/verify/{old.id}").json["certificate"]
    assert body["status"] == "superseded"
    assert body["superseded_by"] == format_certificate_id(new.id)
    assert client.get(f"/api/v1/verify/{new.id}").json["certificate"]["name"] == "Jon Smith"


# -- batch ------------------------------------------------------------------------------


@pytest.fixture
def verifier_headers(make):
    board = make.user("board@example.org", role="verifier", profession=None)
    return make.api_headers(board)


def test_a_batch_of_ids_gets_one_result_each_in_order(client, nurse_certificate, verifier_headers):
    ids = [nurse_certificate.id, new_certificate_id(), "oops"]
    response = client.post("/api/v1/verifications", headers=verifier_headers, json={"ids": ids})
    results = response.json["results"]
    assert [r["status"] for r in results] == ["valid", "not_found", "invalid_id"]
    assert results[0]["certificate"]["name"] == "أميرة حداد"
    assert [r["query"] for r in results] == ids


def test_a_batch_by_licence_number_and_board(client, nurse_certificate, verifier_headers):
    licences = [
        {"number": "rn 4410021", "board": "michigan board of nursing"},
        {"number": "RN-4410021", "board": "Florida Board of Nursing"},
    ]
    results = client.post(
        "/api/v1/verifications", headers=verifier_headers, json={"licenses": licences}
    ).json["results"]
    assert results[0]["status"] == "found"
    assert results[0]["certificates"][0]["id"] == format_certificate_id(nurse_certificate.id)
    assert results[1] == {"query": licences[1], "status": "not_found", "certificates": []}


def test_batches_over_1000_or_malformed_are_refused_clearly(client, verifier_headers):
    too_many = client.post(
        "/api/v1/verifications",
        headers=verifier_headers,
        json={"ids": [new_certificate_id() for _ in range(1001)]},
    )
    assert too_many.status_code == 400
    assert "at most 1000" in too_many.json["error"]["message"]
    for body in ({}, {"ids": []}, {"ids": [1]}, {"ids": ["a"], "licenses": []}):
        response = client.post("/api/v1/verifications", headers=verifier_headers, json=body)
        assert response.status_code == 400, body
    exactly = client.post(
        "/api/v1/verifications",
        headers=verifier_headers,
        json={"ids": [new_certificate_id() for _ in range(1000)]},
    )
    assert exactly.status_code == 200 and len(exactly.json["results"]) == 1000


def test_only_verifiers_may_batch(client, make):
    learner_headers = make.api_headers(make.user())
    response = client.post("/api/v1/verifications", headers=learner_headers, json={"ids": ["x"]})
    assert response.status_code == 403
    assert client.post("/api/v1/verifications", json={"ids": ["x"]}).status_code == 401


def test_the_verifier_page_turns_a_csv_into_a_results_csv(
    client, make, auth, nurse_certificate, db
):
    make.user("board@example.org", role="verifier", profession=None)
    auth.login("board@example.org")
    upload = f"id\n{format_certificate_id(nurse_certificate.id)}\n{new_certificate_id()}\n"
    response = client.post(
        "/verify/batch",
        data={
            "csrf_token": csrf_token(client, "/verify/batch"),
            "file": (io.BytesIO(("\ufeff" + upload).encode()), "ids.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # The summary first, then the download, offered with the uploader's separator first.
    assert '<th scope="row">Valid</th><td>1</td>' in page
    assert '<th scope="row">Not found</th><td>1</td>' in page
    assert "CSV with commas, as uploaded" in page
    download = client.get(_download_link(page))
    assert download.mimetype == "text/csv" and download.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert [r["status"] for r in rows] == ["valid", "not_found"]
    assert rows[0]["name"] == "أميرة حداد" and rows[0]["id"] == upload.split()[1]
    assert rows[1]["reason"].startswith("No certificate has this id")
    assert "Michigan" in rows[0]["requirements_satisfied"]


def _download_link(page):
    start = page.index("/verify/batch/")
    return page[start : page.index('"', start)].replace("&amp;", "&")


def test_result_cells_cannot_run_as_spreadsheet_formulas(app, client, make, auth, db):
    sly = make.user("sly@example.org", full_name='=HYPERLINK("http://evil")')
    certificate = finish_course(app, db, sly)
    make.user("board@example.org", role="verifier", profession=None)
    auth.login("board@example.org")
    response = client.post(
        "/verify/batch",
        data={
            "csrf_token": csrf_token(client, "/verify/batch"),
            "file": (io.BytesIO(f"id;other\n{certificate.id};x\n".encode()), "ids.csv"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "as uploaded (Excel in French, Spanish" in page  # the uploader used semicolons
    download = client.get(_download_link(page))
    text = download.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["other"] == "x"  # the uploader's own column is kept
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00b", "not UTF-8"),
        (b"email\nsomeone@example.org\n", "name the columns"),
        (b"id\n", "no rows"),
    ],
)
def test_a_bad_upload_says_what_to_fix(client, make, auth, content, says):
    make.user("board@example.org", role="verifier", profession=None)
    auth.login("board@example.org")
    response = client.post(
        "/verify/batch",
        data={
            "csrf_token": csrf_token(client, "/verify/batch"),
            "file": (io.BytesIO(content), "ids.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and says in response.get_data(as_text=True)


def test_the_batch_page_is_for_verifiers(client, make, auth):
    make.user()
    auth.login()
    assert client.get("/verify/batch").status_code == 403


# -- the learner's own files, and the keys ------------------------------------------------


def test_pdf_and_credential_are_for_the_owner_and_admins(app, client, make, auth, db):
    owner = make.user("owner@example.org")
    certificate = finish_course(app, db, owner)
    make.user("other@example.org")
    make.user("admin@example.org", role="admin")
    pdf, credential = f"/certificates/{certificate.id}.pdf", f"/certificates/{certificate.id}.json"
    assert client.get(pdf).status_code == 302  # to the login page
    assert client.get(credential).status_code == 401
    auth.login("other@example.org")
    assert client.get(pdf).status_code == 404 and client.get(credential).status_code == 404
    auth.logout()
    auth.login("owner@example.org")
    response = client.get(pdf)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    body = client.get(credential).json["credential"]
    assert body["jwt"] == certificate.credential and body["payload"]["credentialSubject"]
    auth.logout()
    auth.login("admin@example.org")
    assert client.get(pdf).status_code == 200
    token_headers = make.api_headers(owner)
    auth.logout()
    assert client.get(credential, headers=token_headers).status_code == 200


def test_jwks_publishes_the_current_and_retired_keys(app, client, db):
    from trainer.certificates.keys import new_site_key

    current = services.issuer_of(app).site_key
    retired = new_site_key()[1]
    with app.app_context():
        services.register_signing_key(db, current)
        db.add(SigningKey(kid=retired.kid, public_jwk=retired.public_jwk, retired_at=utcnow()))
        db.commit()
    response = client.get("/.well-known/jwks.json")
    keys = response.json["keys"]
    assert keys[0]["kid"] == f"http://trainer.test/keys/{current.kid}"
    assert keys[0]["alg"] == "ES256" and "retired_at" not in keys[0]
    old = next(k for k in keys if k["kid"].endswith(retired.kid))
    assert old["retired_at"].endswith("Z")
    assert all("d" not in k for k in keys)  # never a private part
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_admins_find_and_reissue_from_their_pages(app, client, make, auth, db):
    learner = make.user("jon@example.org", full_name="Jon Smiht")
    old = finish_course(app, db, learner)
    learner.full_name = "Jon Smith"
    db.commit()
    make.user("admin@example.org", role="admin", profession=None)
    auth.login("admin@example.org")
    found = client.get("/admin/certificates", query_string={"q": "jon@example.org"})
    assert format_certificate_id(old.id) in found.get_data(as_text=True)
    page = f"/admin/certificates/{old.id}"
    assert "Jon Smiht" in client.get(page).get_data(as_text=True)
    empty = client.post(
        page + "/reissue", data={"csrf_token": csrf_token(client, page), "reissue-reason": ""}
    )
    assert empty.status_code == 400
    done = client.post(
        page + "/reissue",
        data={"csrf_token": csrf_token(client, page), "reissue-reason": "Name corrected"},
    )
    assert done.status_code == 302
    replacement = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Jon Smith" in replacement and "Earned on the platform" in replacement
    assert client.get(f"/api/v1/verify/{old.id}").json["certificate"]["status"] == "superseded"


def test_certificate_administration_is_for_admins_only(client, make, auth):
    make.user("board@example.org", role="verifier", profession=None)
    auth.login("board@example.org")
    assert client.get("/admin/certificates").status_code == 403
    assert client.get(f"/admin/certificates/{new_certificate_id()}").status_code == 403
