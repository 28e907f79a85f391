"""Licence numbers a spreadsheet has mangled, found before they are trusted. Pure.

Excel and LibreOffice read a column of digits as numbers unless it is formatted
as text, and saving to CSV then writes what they display:

- long numbers in scientific notation (``123456789012345678`` → ``1.23457E+17``):
  the digits are gone and cannot be recovered from the file;
- numbers with a trailing ``.0`` (``4711`` → ``4711.0``) after a round trip
  through another tool;
- leading zeros dropped (``000471`` → ``471``) — visible when other rows of the
  same column still have them.

Each finding is a warning, not an error: a number can legitimately be short.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
TRAILING_ZERO = re.compile(r"^\d+[.,]0+$")
DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Damage:
    line: int
    value: str
    reason: str


def _zero_padded_length(values: list[str]) -> int | None:
    """The length most zero-padded values share, when some values are zero-padded."""
    padded = Counter(len(v) for v in values if DIGITS.match(v) and v.startswith("0"))
    return padded.most_common(1)[0][0] if padded else None


def mangled_numbers(values: Iterable[tuple[int, str | None]]) -> list[Damage]:
    """Warnings for ``(line, value)`` pairs of one column that a spreadsheet seems to have
    changed, in line order."""
    rows = [(line, (value or "").strip()) for line, value in values]
    padded = _zero_padded_length([v for _line, v in rows])
    found = []
    for line, value in rows:
        if SCIENTIFIC.match(value):
            reason = _(
                "looks like a long number a spreadsheet wrote in scientific notation: its last "
                "digits are lost. Format the column as Text, type the numbers again and save."
            )
        elif TRAILING_ZERO.match(value):
            reason = _(
                "ends in “.0”, as a spreadsheet writes a number: check that the licence number "
                "is right, or format the column as Text."
            )
        elif padded and DIGITS.match(value) and len(value) < padded:
            reason = _(
                "is shorter than the other numbers, which start with zeros (%(length)d digits): "
                "a spreadsheet may have dropped its leading zeros. Format the column as Text.",
                length=padded,
            )
        else:
            continue
        found.append(Damage(line, value, reason))
    return found
