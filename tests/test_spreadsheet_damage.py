"""Licence numbers a spreadsheet changed are flagged, and only those."""

from __future__ import annotations

from trainer.spreadsheet_damage import mangled_numbers


def test_scientific_notation_trailing_zero_and_lost_leading_zeros(app):
    values = [
        (2, "1.23E+17"),
        (3, "1,23457E+017"),  # as LibreOffice writes it in French
        (4, "4711.0"),
        (5, "000471"),
        (6, "000913"),
        (7, "471"),
        (8, "RN-4410021"),
        (9, ""),
    ]
    with app.test_request_context():
        found = mangled_numbers(values)
    assert [(d.line, d.value) for d in found] == [
        (2, "1.23E+17"),
        (3, "1,23457E+017"),
        (4, "4711.0"),
        (7, "471"),
    ]
    assert "scientific notation" in found[0].reason
    assert "6 digits" in found[3].reason


def test_short_numbers_alone_are_not_flagged(app):
    with app.test_request_context():
        assert mangled_numbers([(2, "471"), (3, "12345"), (4, "A-001")]) == []
