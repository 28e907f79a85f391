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
