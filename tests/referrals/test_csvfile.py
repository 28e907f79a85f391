"""Reading a directory file: every problem named by line and column, nothing half-read."""

from __future__ import annotations

import pytest

from trainer.referrals.csvfile import read_directory
from trainer.referrals.phones import normalise_phone, shown_phone

PROFESSIONS = ["health", "police"]
LANGUAGES = ["en", "es", "fr", "ar"]
HEADER = "type;unit;language;profession;role;name;phone;text;email;hours;languages;address;step\n"


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def test_semicolons_a_byte_order_mark_and_both_kinds_of_row_are_read():
    content = (
        "\ufeff"
        + HEADER
        + "contact;North;en;health police;shelter;Safe House;+266 2231 2345;;;24h;;;\n"
        + "step;North;;health;;;;;;;;;Call the **shelter**.\n"
    ).encode()
    parsed = read_directory(content, PROFESSIONS, LANGUAGES)
    assert parsed.errors == []
    contact, step = parsed.rows
    assert contact.values["phone"] == "+26622312345"
    assert contact.professions == ("health", "police")
    assert (step.type, step.language, step.values["step"]) == ("step", "", "Call the **shelter**.")


def test_each_bad_cell_is_named_by_line_and_column():
    content = (
        HEADER
        + "contact;North;en;;sheriff;Safe House;22312345;;;;;;\n"
        + "contact;North;xx;nurses;shelter;;;;;;;;\n"
        + "step;North;en;health police;;;;;;;;;\n"
        + "lunch;North;en;;;;;;;;;;\n"
    ).encode()
    errors = {(e.line, e.column) for e in read_directory(content, PROFESSIONS, LANGUAGES).errors}
    assert {(2, "role"), (2, "phone")} <= errors
    assert {(3, "language"), (3, "profession"), (3, "name")} <= errors
    assert {(4, "step"), (4, "profession"), (5, "type")} <= errors


def test_invisible_characters_and_unknown_columns_are_refused():
    content = (HEADER + "contact;North;en;;shelter;Safe\u202eHouse;+266 2231 2345;;;;;;\n").encode()
    assert [e.column for e in read_directory(content, PROFESSIONS, LANGUAGES).errors] == ["name"]
    parsed = read_directory(b"type,colour\ncontact,red\n", PROFESSIONS, LANGUAGES)
    assert [(e.line, e.column) for e in parsed.errors] == [(1, "colour")]


def test_a_spreadsheet_saved_wrongly_is_named():
    parsed = read_directory("type;name\ncontact;Café\n".encode("cp1252"), PROFESSIONS, LANGUAGES)
    assert "not UTF-8" in parsed.errors[0].reason


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("+266 2231 2345", "+26622312345", "+266 2231 2345"),
        ("00 34 912 345 678", "+34912345678", "+34 912 34 56 78"),
        ("112", "112", "112"),
        ("", "", ""),
    ],
)
def test_phone_numbers_are_stored_e164_and_shown_international(typed, stored, shown):
    assert normalise_phone(typed) == (stored, None)
    assert shown_phone(stored) == shown


@pytest.mark.parametrize("typed", ["2231 2345", "+266 12", "call us"])
def test_a_phone_number_that_cannot_be_dialled_is_refused_with_a_reason(typed):
    stored, problem = normalise_phone(typed)
    assert stored == "" and problem and typed in problem
