"""CSV downloads a spreadsheet opens correctly: a UTF-8 byte-order mark and a chosen separator.

Excel reads a CSV file without a byte-order mark as the Windows code page, so
"Ñúñez" or Arabic names turn into mojibake; with the mark it reads UTF-8. Excel
in French, Spanish, German… splits columns on ``;`` (their decimal mark is the
comma), so every download takes ``?sep=;`` — and ``sep=,`` (the default) or
``sep=tab``.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, abort
from flask_babel import get_locale
from flask_babel import gettext as _

BOM = "\ufeff"
SEPARATORS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
#: Languages whose spreadsheets use the decimal comma, and so ``;`` between columns.
SEMICOLON_LOCALES = frozenset({"fr", "es", "de", "it", "pt", "nl", "ru", "uk", "tr", "pl"})


def separator(args: Mapping[str, str]) -> str:
    """The separator asked for with ``sep`` (``,`` by default); 400 with the choices otherwise."""
    value = args.get("sep") or ","
    if value not in SEPARATORS:
        abort(
            400,
            _(
                "Unknown separator '%(value)s'; use sep=, (comma), sep=; (semicolon) or sep=tab.",
                value=value,
            ),
        )
    return SEPARATORS[value]


def locale_separator() -> str:
    """The separator a spreadsheet in the reader's language expects: ``;`` or ``,``."""
    locale = get_locale()
    return ";" if locale is not None and locale.language in SEMICOLON_LOCALES else ","


def csv_response(text: str, filename: str) -> Response:
    """A CSV attachment whose text starts with the byte-order mark Excel needs for UTF-8."""
    body = text if text.startswith(BOM) else BOM + text
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
