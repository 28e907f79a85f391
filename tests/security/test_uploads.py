"""Uploads: too large, the wrong kind of file, or text in the wrong encoding.

Three routes take CSV files: the enrolment page, the enrolment API and the batch
verification page. Each answers every bad file with what to fix, and imports
nothing from it.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from flask.testing import FlaskClient
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, stream_encode_multipart

from tests.security.conftest import World, page_csrf_token
from trainer.models import EnrolmentUpload, User
from trainer.orgs.staff_csv import MAX_BYTES

HEADER = "email,full_name,profession,unit\n"
GOOD_ROW = "ana.lima@moi.example,Ana Lima,police,North\n"


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "email,full_name,profession,unit")
    canvas.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    return bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256))


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


#: (what, file content, words the answer must contain)
BAD_FILES = [
    ("pdf", pdf_bytes(), ["PDF", "CSV UTF-8"]),
    ("png", png_bytes(), ["image", "CSV UTF-8"]),
    ("xlsx", xlsx_bytes(), ["Excel", "CSV UTF-8"]),
    ("latin-1", (HEADER + "jose@moi.example,José Núñez,police,North\n").encode("latin-1"),
     ["line 2", "not UTF-8", "0xe9", "CSV UTF-8"]),
    ("windows-1252", (HEADER + "a@moi.example,Ana “Nana” Lima,police,North\n").encode("cp1252"),
     ["line 2", "not UTF-8", "0x93", "CSV UTF-8"]),
    ("utf-16 with BOM", (HEADER + GOOD_ROW).encode("utf-16"), ["UTF-16", "CSV UTF-8"]),
    ("utf-16 without BOM", (HEADER + GOOD_ROW).encode("utf-16-le"), ["UTF-16", "CSV UTF-8"]),
    ("NUL bytes", (HEADER + GOOD_ROW.replace("Lima", "Li\x00ma")).encode(),
     ["NUL", "line 2"]),
    ("a 10 MB line", (HEADER + "x" * 10_000_000 + "\n").encode(), ["line 2", "longer than"]),
    ("an unclosed quote",
     (HEADER + 'b@moi.example,"Bea Bo,police,North\n' + GOOD_ROW * 20_000).encode(),
     ["line 2", "quotation mark"]),
]  # fmt: skip


def staff_count(db) -> int:
    return db.scalar(select(func.count(User.id)))


def page_text(response: TestResponse) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')


def upload(client: FlaskClient, path: str, content: bytes, name: str = "staff.csv"):
    """Post a form with a file, encoded in memory.

    (The test client would spool a large body to a temporary file it never closes.)
    """
    upload = FileStorage(io.BytesIO(content), filename=name, content_type="text/csv")
    fields = {"csrf_token": page_csrf_token(client), "file": upload}
    body, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post(
        path,
        input_stream=body,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize(("what", "content", "words"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_the_enrolment_page_says_what_to_fix(world: World, db, what, content, words):
    admin = world.browser("admin")
    before = staff_count(db)
    response = upload(admin, f"/orgs/{world.org_slug}/enrolments", content)
    assert response.status_code == 400, what
    text = page_text(response)
    for word in words:
        assert word in text, f"{what}: the page does not say {word!r}"
    assert staff_count(db) == before
    assert db.scalar(select(func.count(EnrolmentUpload.id))) == 1, "only the world's own upload"


@pytest.mark.parametrize(("what", "content", "words"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_the_enrolment_api_says_what_to_fix(world: World, db, what, content, words):
    before = staff_count(db)
    response = world.app.test_client().post(
        f"/api/v1/orgs/{world.org_slug}/enrolments",
        data=content,
        content_type="text/csv",
        headers=world.api_headers("admin"),
    )
    assert response.status_code == 422, what
    reasons = " ".join(error["reason"] for error in response.json["errors"])
    reasons += " " + " ".join(f"line {e['line']}" for e in response.json["errors"])
    for word in words:
        assert word in reasons, f"{what}: the answer does not say {word!r}: {reasons[:300]}"
    assert response.json["imported"] is False
    assert staff_count(db) == before


BATCH_FILES = [
    (what, content.replace(b"email,full_name,profession,unit", b"id"), words)
    if what not in ("pdf", "png", "xlsx", "a 10 MB line")
    else (what, content, words)
    for what, content, words in BAD_FILES
    if what != "a 10 MB line"
] + [("a 1 MB line", b"id\n" + b"x" * 1_000_000 + b"\n", ["line 2", "longer than"])]
# (A 10 MB line is over the batch page's 5 MB limit: see the test of that limit.)


@pytest.mark.parametrize(("what", "content", "words"), BATCH_FILES, ids=[f[0] for f in BATCH_FILES])
def test_the_batch_verification_page_says_what_to_fix(world: World, what, content, words):
    verifier = world.browser("verifier")
    response = upload(verifier, "/verify/batch", content, "ids.csv")
    assert response.status_code == 400, what
    assert response.mimetype == "text/html"
    text = page_text(response)
    for word in words:
        assert word in text, f"{what}: the page does not say {word!r}"


@pytest.mark.parametrize("extra", [1, 2**20], ids=["one byte over", "a megabyte over"])
def test_a_staff_list_over_the_limit_is_refused(world: World, db, extra):
    admin = world.browser("admin")
    before = staff_count(db)
    content = (HEADER + GOOD_ROW).encode()
    content += b" " * (MAX_BYTES - len(content) + extra)
    response = upload(admin, f"/orgs/{world.org_slug}/enrolments", content)
    assert response.status_code == 413
    text = page_text(response)
    assert "at most 50,000 staff and 16 MB per upload" in text and "Split it" in text
    assert db.scalar(select(func.count(EnrolmentUpload.id))) == 1, "only the world's own upload"
    api = world.app.test_client().post(
        f"/api/v1/orgs/{world.org_slug}/enrolments",
        data=content,
        content_type="text/csv",
        headers=world.api_headers("admin"),
    )
    assert api.status_code == 413
    assert api.json["error"]["code"] == "too_large"
    assert "at most 50,000 staff and 16 MB" in api.json["error"]["message"]
    assert staff_count(db) == before


@pytest.mark.parametrize(
    "content",
    [
        b"id\n" + b"0K7M-3QZT-9D1V-6F8X-W2HR-NC5Y-A4B\n" * 200_000,  # 6.6 MB of ids
        b"id\n" + b"x" * 10_000_000 + b"\n",  # one 10 MB line
    ],
    ids=["many ids", "a 10 MB line"],
)
def test_a_batch_over_the_limit_is_refused_before_it_is_read(world: World, content):
    verifier = world.browser("verifier")
    response = upload(verifier, "/verify/batch", content, "ids.csv")
    assert response.status_code == 413
    assert "at most 5 MB and 10,000 lines" in page_text(response)


def test_any_other_request_over_the_site_limit_gets_a_clear_413(client):
    body = {"email": "x" * (17 * 1024 * 1024), "password": "y"}
    response = client.post("/login", data=body)
    assert response.status_code == 413
    assert "at most 16 MB" in page_text(response)
    api = client.post("/api/v1/tokens", data=b"{" + b" " * (17 * 1024 * 1024) + b"}",
                      content_type="application/json")  # fmt: skip
    assert api.status_code == 413
    # A JSON body meets its route's own, smaller limit first (trainer/json_limits.py).
    assert "at most 32 KB" in api.json["error"]["message"]


def test_a_good_file_saved_by_excel_still_goes_in(world: World, db):
    """The checks above must not refuse what a spreadsheet really writes: BOM, CRLF, ';'."""
    content = ("\ufeff" + "email;full_name;profession;unit\r\nana.lima@moi.example;Ana Lima;"
               "police;North\r\n").encode()  # fmt: skip
    response = world.app.test_client().post(
        f"/api/v1/orgs/{world.org_slug}/enrolments",
        data=content,
        content_type="text/csv",
        headers=world.api_headers("admin"),
    )
    assert response.status_code == 200, response.json
    assert response.json["summary"]["created"] == 1
