"""Uploaded CSV files: their text, or one sentence that says what to fix. Pure.

Staff lists and batch-verification files come out of spreadsheets, and the usual
mistakes are the wrong file (a PDF, a photo, the .xlsx workbook itself) or the
wrong encoding (Windows-1252, Latin-1, UTF-16). Each is named in the answer, with
how to save the file instead, before anything in it is read as rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

SAVE_AS = "In your spreadsheet, save it as 'CSV UTF-8' and upload it again."
#: No row of a staff list or a batch comes near this; a longer line is the wrong file.
MAX_LINE = 65_536

_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"),
    (b"GIF89a", "an image (GIF)"),
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zipped file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"),
)


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
            raise UnreadableFile(f"This is {kind}, not a CSV file. {SAVE_AS}")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        b"\x00" in content[:4096] and _looks_like_utf16(content)
    ):
        raise UnreadableFile(f"This file is UTF-16 text ('Unicode text'), not UTF-8. {SAVE_AS}")
    nul = content.find(b"\x00")
    if nul >= 0:
        line = _line_of(content, nul)
        raise UnreadableFile(
            f"The file contains NUL bytes (the first on line {line}), so it is not plain "
            f"text. {SAVE_AS}",
            line,
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _line_of(content, error.start)
        raise UnreadableFile(
            f"This file is not UTF-8 text (byte {content[error.start]:#04x} on line {line} "
            "cannot be read; Windows-1252 and Latin-1 files look like this). " + SAVE_AS,
            line,
        ) from error
    for number, line_text in enumerate(text.splitlines(), 1):
        if len(line_text) > MAX_LINE:
            raise UnreadableFile(
                f"The file's line {number} is longer than {MAX_LINE:,} characters, which no "
                "row is: check that this is the right file, saved as 'CSV UTF-8'.",
                number,
            )
    return text


def csv_records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each record of a ``csv.reader``; malformed CSV is explained."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnreadableFile(
                f"The file cannot be read as CSV from line {start} on ({error}): check for an "
                "unclosed quotation mark there.",
                start,
            ) from error
        yield reader.line_num, record
