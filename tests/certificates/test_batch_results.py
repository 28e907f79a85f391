"""Batch verification as a board's clerk meets it: a spreadsheet's own file in, a summary on
the page, an Excel-ready file out with the clerk's columns and a reason per row."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest

from tests.certificates.helpers import finish_course
from tests.conftest import csrf_token
from trainer.certificates import services
from trainer.certificates.ids import format_certificate_id, new_certificate_id

BOARD = "Michigan Board of Nursing"


@pytest.fixture
def certificates(app, make, db):
    """Three nurses: one valid, one revoked, one whose licence number is 18 digits long."""
    found = {}
    for name, number in (("valid", "RN-4410021"), ("revoked", "RN-4410022")):
        nurse = make.user(
            f"{name}@example.org",
            full_name=f"Nurse {name}",
            licence_type="nurse",
            licence_number=number,
            licensing_board=BOARD,
        )
        found[name] = finish_course(app, db, nurse)
    services.revoke_certificate(db, found["revoked"], "Issued in error", None)
    db.commit()
    return found


def upload(client, content: bytes):
    return client.post(
        "/verify/batch",
        data={
            "csrf_token": csrf_token(client, "/verify/batch"),
            "file": (io.BytesIO(content), "board.csv"),
        },
        content_type="multipart/form-data",
    )


def download(client, page: str, sep: str | None = None):
    start = page.index("/verify/batch/")
    link = page[start : page.index(".csv", start) + 4]
    return client.get(link, query_string={"sep": sep} if sep else None)


@pytest.fixture
def clerk(make, auth):
    make.user("clerk@board.example", role="verifier", profession=None)
    auth.login("clerk@board.example")


def test_a_summary_then_the_clerks_columns_with_a_reason_per_row(client, clerk, certificates):
    valid, revoked = (format_certificate_id(certificates[k].id) for k in ("valid", "revoked"))
    text = (
        "\ufeffref;id;Ñote\n"
        f"A1;{valid};первый\nA2;{revoked};\nA3;{new_certificate_id()};\nA4;not-an-id;\n"
    )
    page = upload(client, text.encode()).get_data(as_text=True)
    for group, count in (
        ("Valid", 1),
        ("Revoked", 1),
        ("Expired", 0),
        ("Replaced by a newer certificate", 0),
        ("Not found", 1),
        ("Not a certificate id", 1),
    ):
        assert f'<th scope="row">{group}</th><td>{count}</td>' in page
    response = download(client, page, ";")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [(r["ref"], r["Ñote"], r["status"]) for r in rows] == [
        ("A1", "первый", "valid"),
        ("A2", "", "revoked"),
        ("A3", "", "not_found"),
        ("A4", "", "invalid_id"),
    ]
    assert rows[0]["reason"] == ""
    assert "," in rows[0]["hours"] and "." not in rows[0]["hours"]  # 1,5 for Excel in French
    assert rows[1]["reason"].startswith("Revoked on ") and "Issued in error" in rows[1]["reason"]
    assert rows[3]["reason"]  # says what is wrong with the id
    tab = download(client, page, "tab").data.decode("utf-8-sig")
    assert tab.splitlines()[0].startswith("ref\tid\tÑote\tline\tstatus\treason")


def test_results_are_only_for_the_verifier_who_asked(client, make, auth, clerk, certificates):
    page = upload(client, f"id\n{certificates['valid'].id}\n".encode()).get_data(as_text=True)
    auth.logout()
    make.user("other@board.example", role="verifier", profession=None)
    auth.login("other@board.example")
    assert download(client, page).status_code == 404
    assert client.get("/verify/batch/nothing-here.csv").status_code == 404
    auth.logout()
    make.user("learner@example.org")
    auth.login("learner@example.org")
    assert download(client, page).status_code == 403  # not a verifier


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_a_file_saved_by_libreoffice_is_read_and_its_mangled_numbers_flagged(
    tmp_path, client, clerk, certificates
):
    """The clerk's sheet, typed with long licence numbers, saved by LibreOffice Calc as CSV
    with semicolons: the 18-digit number comes back as 1.23456789012346E+017."""
    source = tmp_path / "sheet.csv"
    source.write_text(
        f"\ufefflicence_number,board\nRN-4410021,{BOARD}\n123456789012345678,{BOARD}\n",
        encoding="utf-8",
    )
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            shutil.which("libreoffice") or "libreoffice",
            "--headless",
            "--infilter=CSV:44,34,76",  # opened as comma-separated UTF-8
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    saved = (tmp_path / "out" / "sheet.csv").read_bytes()
    assert b";" in saved and b"E+" in saved  # what LibreOffice really wrote
    page = upload(client, saved).get_data(as_text=True)
    assert "1 licence number may have been changed by a spreadsheet" in page
    assert "scientific notation" in page
    rows = list(
        csv.DictReader(
            io.StringIO(download(client, page, ";").data.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [r["status"] for r in rows] == ["valid", "not_found"]
    assert rows[0]["licence_number"] == "RN-4410021" and rows[0]["name"] == "Nurse valid"
