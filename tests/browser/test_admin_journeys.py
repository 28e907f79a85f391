"""A ministry admin and a licensing board, in a real browser.

The admin enrols staff from a CSV file (one bad row shown, fixed, uploaded
again), assigns the health curriculum to a region, and reads and downloads the
completion report. The board checks a CSV of certificate ids in one upload.
Elements are found by id, name, href and role, never by their words.
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Download, Page, expect

from tests.browser.browsing import LAPTOP, LOCALES, NewPage, Screenshots, sign_in
from tests.browser.data import Seeder, suffix
from trainer.certificates.ids import format_certificate_id, new_certificate_id

HEADER = "email;full_name;profession;unit;licence_type;licence_number;licensing_board"


def staff_csv(tag: str, *, bad_profession: bool) -> bytes:
    """Three nurses; with ``bad_profession`` the second (line 3) names no known profession."""
    second = "nurse" if bad_profession else "health"
    rows = [
        HEADER,
        f"ama-{tag}@moh.example;Ama Mensah;health;Capital Region/General Hospital;"
        "nurse;GH-RN-1042;Ghana Nursing and Midwifery Council",
        f"darya-{tag}@moh.example;Дарья Иванова;{second};Capital Region;;;",
        f"rana-{tag}@moh.example;رنا حداد;health;North Region;nurse;JO-88231;Jordan Council",
    ]
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


def upload(page: Page, field: str, name: str, content: bytes) -> None:
    page.set_input_files(field, files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    page.click("main form button[type=submit]")


def downloaded_csv(download: Download) -> list[dict[str, str]]:
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def enrol_with_a_bad_row_fixed(page: Page, org: str, tag: str, shot: Screenshots) -> None:
    """A file with a bad row: the preview names its line, column and reason; fixed, the
    file shows three rows to import, and confirming enrols them."""
    page.click(f"nav.org-nav a[href='{org}/enrolments']")
    shot(page, "enrol")
    upload(page, "#file", "staff.csv", staff_csv(tag, bad_profession=True))
    problems = page.locator("main table tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.locator("td").nth(0)).to_have_text("3")
    expect(problems.locator("td").nth(1)).to_have_text("profession")
    # The reason names the bad value, in whatever language the page is in.
    expect(problems.locator("td").nth(2)).to_contain_text("nurse")
    expect(page.locator("form[action$='/enrolments/confirm']")).to_have_count(0)
    shot(page, "row-error")

    page.click(f"main a.button[href='{org}/enrolments']")
    upload(page, "#file", "staff.csv", staff_csv(tag, bad_profession=False))
    expect(page.locator("main table tbody tr")).to_have_count(3)
    shot(page, "preview")
    page.click("form[action$='/enrolments/confirm'] button[type=submit]")
    expect(page).to_have_url(re.compile(f"{org}/members$"))
    for person in ("ama", "darya", "rana"):
        expect(page.locator("main table")).to_contain_text(f"{person}-{tag}@moh.example")
    shot(page, "members")


def assign_curriculum(page: Page, org: str, unit_id: int, shot: Screenshots) -> None:
    """The health curriculum, for a unit, due in four weeks."""
    due = (date.today() + timedelta(days=28)).isoformat()
    page.click(f"nav.org-nav a[href='{org}/assignments']")
    page.select_option("#curriculum", "health-default")
    page.select_option("#unit", str(unit_id))
    page.fill("#due", due)
    shot(page, "assign")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(f"{org}/assignments/\\d+$"))
    # Shown in the reader's format; the machine-readable date stays ISO.
    expect(page.locator(f"main dl time[datetime='{due}']")).to_be_visible()
    shot(page, "assigned")


@pytest.mark.parametrize("locale", LOCALES)
def test_ministry_admin_enrols_staff_assigns_and_reports(
    new_page: NewPage, seed: Seeder, screenshot: Screenshots, locale: str
) -> None:
    ministry = seed.organisation()
    org = f"/orgs/{ministry.slug}"
    tag = f"{locale}-{suffix()}"
    page = new_page(viewport=LAPTOP)
    sign_in(page, ministry.admin.email)
    page.click(f"header nav a[href='{org}/']")
    screenshot(page, "organisation")
    enrol_with_a_bad_row_fixed(page, org, tag, screenshot)
    assign_curriculum(page, org, ministry.units["Capital Region"], screenshot)

    # The report by person has a row for the region, and its CSV says the same.
    page.click(f"nav.org-nav a[href='{org}/reports']")
    region = page.locator("main table th[scope=row]", has_text="Capital Region")
    expect(region).to_have_count(1)
    expect(page.locator("svg.chart title")).to_have_count(1)
    screenshot(page, "report")
    with page.expect_download() as download:
        page.click(f"main a[href='{org}/reports/people.csv']")
    people = downloaded_csv(download.value)
    assert [(r["unit"], r["people_assigned"], r["people_not_started"]) for r in people] == [
        ("Capital Region", "2", "2")
    ], people
    # The course view counts each learner's courses, and its CSV says the same.
    page.click(f"main nav.tabs a[href^='{org}/reports/courses']")
    screenshot(page, "report-courses")
    with page.expect_download() as download:
        page.click(f"main a[href='{org}/reports/completion.csv']")
    rows = downloaded_csv(download.value)
    capital = {r["course"]: r for r in rows if r["unit"] == "Capital Region"}
    assert set(capital) == {"core", "health"}, rows
    assert all(r["assigned"] == "2" and r["completed"] == "0" for r in capital.values()), rows


@pytest.mark.parametrize("locale", LOCALES)
def test_board_checks_a_csv_of_certificate_ids(
    new_page: NewPage, seed: Seeder, screenshot: Screenshots, locale: str
) -> None:
    valid = [seed.certificate(seed.user(name)) for name in ("Grace Owusu", "Lena Fischer")]
    revoked = seed.certificate(seed.user("Tomás Ortega"))
    seed.revoke(revoked, "Licence fraud")
    unknown = format_certificate_id(new_certificate_id())
    board = seed.user("Board Reviewer", role="verifier", profession=None)

    page = new_page(viewport=LAPTOP)
    sign_in(page, board.email)
    page.click("header nav a[href='/verify/batch']")
    screenshot(page, "batch-form")
    ids = [valid[0], revoked, unknown, valid[1]]
    csv_file = {
        "name": "to-check.csv",
        "mimeType": "text/csv",
        "buffer": "\n".join(["id", *ids]).encode(),
    }
    page.set_input_files("#file", files=[csv_file])
    screenshot(page, "batch-chosen")
    page.click("main form button[type=submit]")
    # The summary comes first, then the download with the uploader's separator.
    # valid, revoked, expired, replaced, not found, not an id
    counts = page.locator("main table tbody td").all_inner_texts()
    assert counts == ["2", "1", "0", "0", "1", "0"], counts
    screenshot(page, "batch-summary")
    with page.expect_download() as download:
        page.click("main a.button")
    assert download.value.suggested_filename.endswith(".csv")
    download.value.save_as(screenshot.folder / "verification-results.csv")  # kept with the images
    rows = downloaded_csv(download.value)
    assert [(r["line"], r["status"]) for r in rows] == [
        ("2", "valid"),
        ("3", "revoked"),
        ("4", "not_found"),
        ("5", "valid"),
    ], rows
    assert [rows[0]["name"], rows[3]["name"]] == ["Grace Owusu", "Lena Fischer"]
    assert rows[0]["certificate_id"] == valid[0]
    assert rows[1]["revocation_reason"] == "Licence fraud"
    screenshot(page, "batch-done")
