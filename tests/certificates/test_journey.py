"""The issue's whole story: an Arabic-named nurse to a revoked certificate, through real calls."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from tests.certificates.helpers import pass_course_via_api
from tests.conftest import csrf_token
from tests.progress import approve, place
from trainer.cli import main

NAME = "فاطمة الزهراء بنت أحمد"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed")
def test_nurse_to_board_to_revocation(app, client, make, auth, db, tmp_path):
    approve(app, db, "us-mi-licensee-training", "health-organisation")
    nurse = make.user(
        "fatima@example.org",
        full_name=NAME,
        profession="health",
        licence_type="nurse",
        licence_number="RN-7730415",
        licensing_board="Michigan Board of Nursing",
    )
    place(db, nurse, "US-MI", "nurse")
    pass_course_via_api(client, app, make.api_headers(nurse))

    # The nurse downloads her PDF from the dashboard.
    auth.login("fatima@example.org")
    listed = client.get("/certificates").get_data(as_text=True)
    assert "Download the PDF" in listed
    (certificate,) = [c for c in nurse_certificates(client, make, nurse)]
    pdf = client.get(f"/certificates/{certificate['id'].replace('-', '')}.pdf").data
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    text = subprocess.run(  # noqa: S603 (a fixed program on our own file)
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert certificate["id"] in text and "1.25" in text
    assert all(word in text or word[::-1] in text for word in NAME.split())

    # A board reads the verify page: valid, Michigan satisfied (Florida's rule is not hers).
    auth.logout()
    page = client.get(f"/verify/{certificate['id']}").get_data(as_text=True)
    assert "Valid" in page and NAME in page
    assert "Michigan" in page and "Florida" not in page

    # The file verifies offline; a copy with an edited name does not.
    runner = CliRunner()
    genuine = runner.invoke(main, ["certificates", "verify", str(path)], obj=app)
    assert genuine.exit_code == 0, genuine.output
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(edit_name(pdf))
    result = runner.invoke(main, ["certificates", "verify", str(edited)], obj=app)
    assert result.exit_code == 1 and "printed name" in result.output

    # The admin revokes it; the page and the batch API say so.
    make.user("admin@example.org", role="admin", profession=None)
    auth.login("admin@example.org")
    admin_page = f"/admin/certificates/{certificate['id'].replace('-', '')}"
    asked = client.post(
        admin_page + "/revoke",
        data={"csrf_token": csrf_token(client, admin_page), "revoke-reason": "Licence fraud"},
    )
    assert "This cannot be undone" in asked.get_data(as_text=True)  # a confirm step first
    assert "Revoked" not in client.get(f"/verify/{certificate['id']}").get_data(as_text=True)
    response = client.post(
        admin_page + "/revoke",
        data={
            "csrf_token": csrf_token(client, admin_page),
            "revoke-reason": "Licence fraud",
            "revoke-confirm": "yes",
        },
    )
    assert response.status_code == 302
    auth.logout()
    page = client.get(f"/verify/{certificate['id']}").get_data(as_text=True)
    assert "Revoked" in page and "Licence fraud" in page
    board = make.user("board@example.org", role="verifier", profession=None)
    results = client.post(
        "/api/v1/verifications",
        headers=make.api_headers(board),
        json={"ids": [certificate["id"]]},
    ).json["results"]
    assert results[0]["status"] == "revoked"


def nurse_certificates(client, make, nurse):
    return client.get("/api/v1/me/certificates", headers=make.api_headers(nurse)).json[
        "certificates"
    ]


def edit_name(pdf: bytes) -> bytes:
    """What a forger with a PDF editor does: change the printed name, keep the rest."""
    import io

    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    content = page.get_contents()
    data = content.get_data()
    # The name is drawn in its own tagged run; drop its glyphs by emptying the strings.
    start = data.index(b"/TrainerField /name")
    end = data.index(b"EMC", start)
    run = data[start:end]
    emptied = bytes(run)
    for opener, closer in ((b"<", b">"), (b"(", b")")):
        parts, i = [], 0
        while (j := emptied.find(opener, i)) != -1 and (k := emptied.find(closer, j)) != -1:
            parts.append(emptied[i : j + 1])
            i = k
        parts.append(emptied[i:])
        emptied = b"".join(parts)
    content.set_data(data[:start] + emptied + data[end:])
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
