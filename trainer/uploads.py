"""Uploaded CSV files: their text, or one sentence that says what to fix. Pure (no app needed).

Staff lists and batch-verification files come out of spreadsheets, and the usual
mistakes are the wrong file (a PDF, a photo, the .xlsx workbook itself) or the
wrong encoding (Windows-1252, Latin-1, UTF-16). Each is named in the answer, with
how to save the file instead, before anything in it is read as rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

#: No row of a staff list or a batch comes near this; a longer line is the wrong file.
MAX_LINE = 65_536

_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
)


def _not_csv(kind: str) -> str:
    what = {
        "pdf": _("This is a PDF document, not a CSV file."),
        "png": _("This is an image (PNG), not a CSV file."),
        "jpeg": _("This is an image (JPEG), not a CSV file."),
        "gif": _("This is an image (GIF), not a CSV file."),
        "zip": _("This is an Excel workbook (.xlsx) or another zipped file, not a CSV file."),
        "xls": _("This is an Excel 97-2003 workbook (.xls), not a CSV file."),
    }[kind]
    return f"{what} {_save_as()}"


def _save_as() -> str:
    return _("In your spreadsheet, save it as 'CSV UTF-8' and upload it again.")


class UnreadableFile(ValueError):
    """The upload is not a CSV file this site can read; ``line`` is 0 for the whole file."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def _looks_like_utf16(content: bytes) -> bool:
    sample = content[:4096]
    return len(sample) >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) * 4 >= len(sample)


def csv_text(content: bytes) -> str:
    """The text of a CSV upload (UTF-8, with or without a byte-order mark).

    Raises :class:`UnreadableFile` for another kind of file, another encoding,
    NUL bytes, or a line too long to be a row.
    """
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            raise UnreadableFile(_not_csv(kind))
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        b"\x00" in content[:4096] and _looks_like_utf16(content)
    ):
        utf16 = _("This file is UTF-16 text ('Unicode text'), not UTF-8.")
        raise UnreadableFile(f"{utf16} {_save_as()}")
    nul = content.find(b"\x00")
    if nul >= 0:
        line = _line_of(content, nul)
        found = _(
            "The file contains NUL bytes (the first on line %(line)d), so it is not plain text.",
            line=line,
        )
        raise UnreadableFile(f"{found} {_save_as()}", line)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _line_of(content, error.start)
        found = _(
            "This file is not UTF-8 text (byte %(byte)s on line %(line)d cannot be read; "
            "Windows-1252 and Latin-1 files look like this).",
            byte=f"{content[error.start]:#04x}",
            line=line,
        )
        raise UnreadableFile(f"{found} {_save_as()}", line) from error
    _check_line_lengths(text)
    return text


def _check_line_lengths(text: str) -> None:
    for number, line_text in enumerate(text.splitlines(), 1):
        if len(line_text) > MAX_LINE:
            message = _(
                "The file's line %(line)d is longer than %(limit)s characters, which no row "
                "is: check that this is the right file, saved as 'CSV UTF-8'.",
                line=number,
                limit=f"{MAX_LINE:,}",
            )
            raise UnreadableFile(message, number)


def csv_records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each record of a ``csv.reader``; malformed CSV is explained."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            message = _(
                "The file cannot be read as CSV from line %(line)d on (%(error)s): check for "
                "an unclosed quotation mark there.",
                line=start,
                error=str(error),
            )
            raise UnreadableFile(message, start) from error
        yield reader.line_num, record
