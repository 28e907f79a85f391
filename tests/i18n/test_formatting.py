"""Dates and numbers per locale; machine-readable places keep ISO and plain numbers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from trainer.i18n.formatting import local_date, local_datetime, local_number, local_percent
from trainer.i18n.labels import label

DAY = date(2026, 11, 22)
MOMENT = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "trainer.css"


@pytest.mark.parametrize(
    ("locale", "day", "moment", "hours", "percent", "thousands"),
    [
        ("en", "Nov 22, 2026", "Nov 22, 2026, 2:30\u202fPM UTC", "1.25", "85.5%", "10,000"),
        ("fr", "22 nov. 2026", "22 nov. 2026, 14:30 UTC", "1,25", "85,5\u00a0%", "10\u202f000"),
        ("es", "22 nov 2026", "22 nov 2026, 14:30 UTC", "1,25", "85,5\u00a0%", "10.000"),
    ],
)
def test_each_language_writes_dates_and_numbers_its_own_way(
    app, locale, day, moment, hours, percent, thousands
):
    with app.test_request_context(), force_locale(locale):
        assert local_date(DAY) == day
        assert local_date(DAY.isoformat()) == day  # the verify view carries ISO strings
        assert local_datetime(MOMENT) == moment
        assert local_number(1.25) == hours
        assert local_percent(85.5) == percent
        assert local_number(10000) == thousands


def test_outside_a_request_the_helpers_write_english():
    assert local_date(DAY) == "Nov 22, 2026"
    assert local_number(1.25) == "1.25"
    assert (local_date(None), local_number(None), local_percent(None)) == ("", "", "")


def test_codes_show_by_name_and_unknown_codes_as_themselves(app):
    with app.test_request_context(), force_locale("es"):
        assert label("org_admin") == "Administrador de la organización"
        assert label("in_progress") == "En curso"
        assert label("some_new_code") == "some new code"
        assert label(None) == ""


def test_the_api_keeps_iso_dates_and_plain_numbers(client, app, make, db):
    from tests.certificates.helpers import finish_course

    nurse = make.user("nurse@example.org")
    certificate = finish_course(app, db, nurse)
    answer = client.get(f"/api/v1/verify/{certificate.id}", headers={"Accept-Language": "fr"})
    view = answer.json["certificate"]
    assert view["hours"] == 1.25
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", view["completed_on"])


def test_the_stylesheet_uses_logical_directions_only():
    """Physical left/right would not mirror under dir="rtl"."""
    css = CSS.read_text(encoding="utf-8")
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)[\w-]*\s*:|(?<![\w-])(?:left|right)\s*:"
        r"|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)",
        css,
    )
    assert physical == []
    assert "inset-inline-start" in css and "border-inline-start" in css


def test_a_score_of_a_third_shows_as_it_was_rounded():
    """33.3 (5 of 15 points, rounded to one place) is not written as the float 33.2999…"""
    assert local_percent(33.3) == "33.3%"
    assert local_percent(round(100 * 5 / 15, 1)) == "33.3%"
