"""Spreadsheet-safe CSV cells.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
can run as a formula when a spreadsheet opens the file (CSV injection, OWASP).
Such cells get a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
