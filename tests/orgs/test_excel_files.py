"""Excel-ready files for a training officer: a template to fill in, a staff list saved by
LibreOffice (semicolons, BOM, Arabic and Cyrillic names) read as is, and licence numbers a
spreadsheet changed flagged in the preview."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest

from tests.conftest import csrf_token

ROWS = (
    "email,full_name,profession,unit,licence_type,licence_number,licensing_board\n"
    "amira@moi.example,أميرة حداد,health,North/District 4,nurse,000471,Board of Nursing\n"
    "darya@moi.example,Дарья Соколова,health,South,nurse,471,Board of Nursing\n"
    "long@moi.example,Long Number,health,South,nurse,123456789012345678,Board of Nursing\n"
)


def preview(client, ministry, content: bytes):
    path = f"/orgs/{ministry.slug}/enrolments"
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(content), "staff.csv")},
    )


def test_the_template_has_the_organisations_units_and_valid_codes(client, auth, ministry):
    auth.login("admin@moi.example")
    response = client.get(f"/orgs/{ministry.slug}/enrolments/template.csv?sep=;")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["email", "full_name", "profession", "unit"]
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["unit"] == "North"  # a real path of this organisation
    assert example["licence_type"] and example["profession"]
    page = client.get(f"/orgs/{ministry.slug}/enrolments").get_data(as_text=True)
    assert "<code>North/District 4/Station A</code>" in page
    assert "<code>police</code></th><td>Police and law enforcement</td>" in page
    assert "sep=%3B" in page or "sep=;" in page
    other = client.get("/orgs/moh/enrolments/template.csv")
    assert other.status_code == 404  # another organisation's units are not listed


def test_changed_licence_numbers_are_flagged_in_the_preview(client, auth, ministry, make):
    auth.login("admin@moi.example")
    html = preview(client, ministry, ROWS.encode()).get_data(as_text=True)
    assert "1 licence number may have been changed by a spreadsheet" in html
    assert "Line 3: <code>471</code>" in html and "leading zeros" in html
    headers = make.api_headers(ministry.admin)
    api = client.post(
        f"/api/v1/orgs/{ministry.slug}/enrolments?dry_run=1",
        data=ROWS.encode(),
        headers={**headers, "Content-Type": "text/csv; charset=utf-8"},
    ).json
    assert [w["line"] for w in api["licence_warnings"]] == [3]


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_a_staff_list_saved_by_libreoffice(tmp_path, client, auth, ministry):
    source = tmp_path / "staff.csv"
    source.write_text("\ufeff" + ROWS, encoding="utf-8")
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            shutil.which("libreoffice") or "libreoffice",
            "--headless",
            "--infilter=CSV:44,34,76",
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
    saved = (tmp_path / "out" / "staff.csv").read_bytes()
    assert b";" in saved and "Дарья".encode() in saved
    auth.login("admin@moi.example")
    response = preview(client, ministry, saved)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "أميرة حداد" in html and "Дарья Соколова" in html
    # LibreOffice read the numbers as numbers: every leading zero is gone (which no longer
    # shows, since no row keeps one) and the 18-digit number lost its last digits.
    assert b"E+017" in saved and b"000471" not in saved
    assert "1 licence number may have been changed by a spreadsheet" in html
    assert "scientific notation" in html
