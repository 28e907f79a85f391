"""Batch verification from a spreadsheet: a CSV of ids or licences in, a CSV of results out.

Pure apart from the lookups it is given: no Flask, no request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from trainer.certificates.verification import BATCH_LIMIT, LicenceQuery
from trainer.csvsafe import csv_text as results_text
from trainer.i18n.formatting import local_number
from trainer.uploads import UnreadableFile, csv_records, csv_text

MAX_ROWS = 10_000
#: Ten thousand licence numbers with their boards' names fit in well under this.
MAX_BYTES = 5 * 1024 * 1024
ID_COLUMNS = ("id", "certificate_id", "certificate")
NUMBER_COLUMNS = ("licence_number", "license_number", "number")
BOARD_COLUMNS = ("board", "licensing_board", "licence_board", "license_board")

RESULT_HEADER = (
    "line",
    "query",
    "status",
    "certificate_id",
    "name",
    "course",
    "hours",
    "completed_on",
    "valid_until",
    "requirements_satisfied",
    "revoked_on",
    "revocation_reason",
)


def too_large_message() -> str:
    return _(
        "The file is too large: at most %(megabytes)d MB and %(rows)s lines per upload. Split "
        "it into several files and upload each.",
        megabytes=MAX_BYTES // 2**20,
        rows=f"{MAX_ROWS:,}",
    )


class UploadError(ValueError):
    """The file cannot be read as a batch; the message says what to fix."""


@dataclass(frozen=True)
class BatchRequest:
    """The rows of an upload: either ids or licences, each with its line number."""

    lines: tuple[int, ...]
    ids: tuple[str, ...] = ()
    licences: tuple[LicenceQuery, ...] = ()


def read_upload(data: bytes) -> BatchRequest:
    """Parse an uploaded CSV (UTF-8, with or without BOM, ``,`` or ``;``)."""
    try:
        text = csv_text(data)
        if not text.strip():
            raise UploadError(_("The file is empty."))
        return _read_rows(text)
    except UnreadableFile as error:
        raise UploadError(str(error)) from error


def _read_rows(text: str) -> BatchRequest:
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = csv_records(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [h.strip().casefold() for h in next(records, (0, []))[1]]
    id_col = _column(header, ID_COLUMNS)
    number_col, board_col = _column(header, NUMBER_COLUMNS), _column(header, BOARD_COLUMNS)
    if id_col is None and (number_col is None or board_col is None):
        shown = ", ".join(header)
        raise UploadError(
            _(
                "The first line must name the columns: either “id”, or “licence_number” and "
                "“board”. It reads: %(header)s.",
                header=(shown[:200] + "…" if len(shown) > 200 else shown) or _("(nothing)"),
            )
        )
    lines, ids, licences = [], [], []
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        if len(lines) == MAX_ROWS:
            raise UploadError(
                _(
                    "The file has more than %(count)s rows: split it into parts.",
                    count=local_number(MAX_ROWS),
                )
            )
        lines.append(line)
        if id_col is not None:
            ids.append(_cell(row, id_col))
        else:
            assert number_col is not None and board_col is not None
            licences.append(LicenceQuery(_cell(row, number_col), _cell(row, board_col)))
    if not lines:
        raise UploadError(_("The file has a header line but no rows to check."))
    return BatchRequest(tuple(lines), tuple(ids), tuple(licences))


def _column(header: list[str], names: Sequence[str]) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def results_csv(
    request: BatchRequest,
    check_ids: Callable[[Sequence[str]], list[dict[str, Any]]],
    check_licences: Callable[[Sequence[LicenceQuery]], list[dict[str, Any]]],
) -> str:
    """Run the lookups in chunks the API allows and write one line per certificate found."""
    rows: list[list[Any]] = []
    if request.ids:
        results = _chunked(request.ids, check_ids)
        for line, result in zip(request.lines, results, strict=True):
            rows.append(_row(line, result["query"], result["status"], result.get("certificate")))
    else:
        results = _chunked(request.licences, check_licences)
        for line, result in zip(request.lines, results, strict=True):
            query = f"{result['query']['number']} / {result['query']['board']}"
            for view in result["certificates"] or [None]:
                status = view["status"] if view else "not_found"
                rows.append(_row(line, query, status, view))
    return results_text(RESULT_HEADER, rows)


def _chunked(items: Sequence[Any], check: Callable[[Sequence[Any]], list]) -> list:
    results: list = []
    for start in range(0, len(items), BATCH_LIMIT):
        results.extend(check(items[start : start + BATCH_LIMIT]))
    return results


def _row(line: int, query: str, status: str, view: dict[str, Any] | None) -> list[Any]:
    if view is None:
        return [line, query, status] + [""] * (len(RESULT_HEADER) - 3)
    revoked = view.get("revoked") or {}
    return [
        line,
        query,
        status,
        view["id"],
        view["name"],
        view["course"]["title"],
        view["hours"],
        view["completed_on"],
        view["valid_until"] or "",
        "; ".join(r["title"] for r in view["requirements"]),
        revoked.get("on", ""),
        revoked.get("reason", ""),
    ]
