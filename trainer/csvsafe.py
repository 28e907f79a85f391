"""CSV cells that a spreadsheet will not run as formulas.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
can be taken as a formula by Excel, LibreOffice or Google Sheets (CSV
injection). Such cells get a leading apostrophe, which spreadsheets show as
text and do not print.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any, decimal_comma: bool = False) -> str:
    """``value`` as text, neutralised if a spreadsheet could read it as a formula.

    ``decimal_comma``: write ``1,25`` for 1.25, as Excel reads numbers in the
    languages whose files are separated by semicolons (French, Spanish, German…).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and decimal_comma:
        return str(value).replace(".", ",")
    if isinstance(value, int | float):
        return str(value)  # numbers, negative ones included, stay numbers
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]], delimiter: str = ",") -> str:
    """A whole CSV document, every cell passed through :func:`safe_cell`; with ``;``
    between columns, decimals are written with a comma, as the spreadsheets that
    expect ``;`` read them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(list(header))
    comma = delimiter == ";"
    for row in rows:
        writer.writerow([safe_cell(cell, comma) for cell in row])
    return buffer.getvalue()
