"""Formula injection: cells that a spreadsheet would run are made text."""

import pytest

from trainer.csvsafe import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ana Lima", "Ana Lima"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_semicolon_files_write_decimals_with_a_comma():
    from trainer.csvsafe import csv_text

    assert csv_text(["hours", "n"], [[1.25, 3]], ";") == "hours;n\r\n1,25;3\r\n"
    assert csv_text(["hours", "n"], [[1.25, 3]]) == "hours,n\r\n1.25,3\r\n"
    assert safe_cell(-1.5, decimal_comma=True) == "-1,5"
