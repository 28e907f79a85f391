"""Batch verification from a spreadsheet: a CSV of ids or licences in, a CSV of results out.

Pure apart from the lookups it is given: no Flask, no request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from trainer.certificates.verification import BATCH_LIMIT, LicenceQuery
from trainer.csvsafe import csv_text as results_text
from trainer.i18n.formatting import local_number
from trainer.spreadsheet_damage import Damage, mangled_numbers
from trainer.uploads import UnreadableFile, csv_records, csv_text

MAX_ROWS = 10_000
#: Ten thousand licence numbers with their boards' names fit in well under this.
MAX_BYTES = 5 * 1024 * 1024
ID_COLUMNS = ("id", "certificate_id", "certificate")
NUMBER_COLUMNS = ("licence_number", "license_number", "number")
BOARD_COLUMNS = ("board", "licensing_board", "licence_board", "license_board")

#: The columns added after the uploader's own, in this order.
RESULT_COLUMNS = (
    "line",
    "status",
    "reason",
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
#: The summary's groups, in the order the page shows them.
SUMMARY = ("valid", "revoked", "expired", "superseded", "not_found", "invalid")


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
    #: The uploader's header and cells, kept so the results carry their own columns.
    header: tuple[str, ...] = ()
    cells: tuple[tuple[str, ...], ...] = ()
    delimiter: str = ","


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
    original = [h.strip() for h in next(records, (0, []))[1]]
    header = [h.casefold() for h in original]
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
    lines, ids, licences, cells = [], [], [], []
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
        cells.append(tuple(row[: len(original)]) + ("",) * (len(original) - len(row)))
        if id_col is not None:
            ids.append(_cell(row, id_col))
        else:
            assert number_col is not None and board_col is not None
            licences.append(LicenceQuery(_cell(row, number_col), _cell(row, board_col)))
    if not lines:
        raise UploadError(_("The file has a header line but no rows to check."))
    return BatchRequest(
        tuple(lines), tuple(ids), tuple(licences), tuple(original), tuple(cells), delimiter
    )


def _column(header: list[str], names: Sequence[str]) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


@dataclass
class BatchResult:
    """The results: the upload's columns then :data:`RESULT_COLUMNS`, and a count per group."""

    header: list[str]
    rows: list[list[Any]]
    summary: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMARY, 0))
    damage: list[Damage] = field(default_factory=list)
    delimiter: str = ","

    def csv(self, delimiter: str | None = None) -> str:
        return results_text(self.header, self.rows, delimiter or self.delimiter)


def check_batch(
    request: BatchRequest,
    check_ids: Callable[[Sequence[str]], list[dict[str, Any]]],
    check_licences: Callable[[Sequence[LicenceQuery]], list[dict[str, Any]]],
) -> BatchResult:
    """Run the lookups in chunks the API allows: one line per input row (per certificate
    found, for a licence), the row's own cells first, then its line in the file."""
    added = [
        c if c.casefold() not in _folded(request.header) else f"{c}_result" for c in RESULT_COLUMNS
    ]
    result = BatchResult([*request.header, *added], [], delimiter=request.delimiter)
    if request.ids:
        found = _chunked(request.ids, check_ids)
        for line, cells, answer in zip(request.lines, request.cells, found, strict=True):
            status, view = answer["status"], answer.get("certificate")
            _add(result, (*cells, line), status, view, answer.get("message"))
    else:
        found = _chunked(request.licences, check_licences)
        for line, cells, answer in zip(request.lines, request.cells, found, strict=True):
            for view in answer["certificates"] or [None]:
                status = view["status"] if view else "not_found"
                _add(result, (*cells, line), status, view, None, True)
        numbers = zip(request.lines, (q.number for q in request.licences), strict=True)
        result.damage = mangled_numbers(numbers)
    return result


def _folded(header: Sequence[str]) -> set[str]:
    return {h.casefold() for h in header}


def _chunked(items: Sequence[Any], check: Callable[[Sequence[Any]], list]) -> list:
    results: list = []
    for start in range(0, len(items), BATCH_LIMIT):
        results.extend(check(items[start : start + BATCH_LIMIT]))
    return results


def _add(
    result: BatchResult,
    cells: Sequence[Any],
    status: str,
    view: dict[str, Any] | None,
    message: str | None,
    licence: bool = False,
) -> None:
    group = "invalid" if status == "invalid_id" else status
    result.summary[group] = result.summary.get(group, 0) + 1
    reason = message or _reason(status, view, licence)
    if view is None:
        result.rows.append([*cells, status, reason] + [""] * (len(RESULT_COLUMNS) - 3))
        return
    revoked = view.get("revoked") or {}
    result.rows.append(
        [
            *cells,
            status,
            reason,
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
    )


def _reason(status: str, view: dict[str, Any] | None, licence: bool) -> str:
    """Why a row is not valid, in a sentence; empty for a valid certificate."""
    if status == "not_found" and licence:
        return _("No certificate is recorded under this licence number and board.")
    if status == "not_found":
        return _("No certificate has this id: check it against the printed certificate.")
    if view is None or status == "valid":
        return ""
    if status == "revoked":
        revoked = view.get("revoked") or {}
        return _(
            "Revoked on %(date)s: %(reason)s",
            date=revoked.get("on", ""),
            reason=revoked.get("reason", ""),
        )
    if status == "expired":
        return _("Expired on %(date)s.", date=view.get("valid_until") or "")
    if status == "superseded" and view.get("superseded_by"):
        return _("Replaced by certificate %(id)s.", id=view["superseded_by"])
    return ""
