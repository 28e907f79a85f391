"""Reading a referral directory (CSV). Pure: no app, no database.

Read through the staff list's machinery (``trainer.orgs.staff_csv``): UTF-8 with
or without a byte-order mark, ``,`` or ``;``, problems as line/column/reason.
One file holds contacts and protocol steps; the ``type`` column says which.
Steps are numbered in the order the file lists them, per unit, language and
profession.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field

from flask_babel import gettext as _

from trainer.models.referral import REFERRAL_ROLES
from trainer.orgs.staff_csv import RowError, decode, sniff_separator
from trainer.referrals.phones import normalise_phone
from trainer.text_safety import invisible_problem
from trainer.uploads import UnreadableFile, csv_records

MAX_ROWS = 2_000
COLUMNS = (
    "type",
    "unit",
    "language",
    "profession",
    "role",
    "name",
    "phone",
    "text",
    "email",
    "hours",
    "languages",
    "address",
    "step",
)
TYPES = ("contact", "step")
LIMITS = {"name": 200, "email": 254, "hours": 200, "languages": 200, "address": 300, "step": 4000}


@dataclass(frozen=True)
class DirectoryRow:
    line: int
    type: str
    unit: str
    language: str
    values: dict[str, str]
    professions: tuple[str, ...] = ()


@dataclass
class DirectoryFile:
    rows: list[DirectoryRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _clean(value: str | None, *, keep_lines: bool = False) -> str:
    text = (value or "").strip() if keep_lines else " ".join((value or "").split())
    return unicodedata.normalize("NFC", text)


def columns_hint() -> str:
    return _("Columns: %(columns)s; separated by ',' or ';'.", columns=", ".join(COLUMNS))


def read_directory(
    content: bytes, professions: Collection[str], languages: Collection[str]
) -> DirectoryFile:
    """Every row checked; any error means nothing is imported."""
    text, error = decode(content)
    if error is not None or text is None:
        return DirectoryFile(errors=[error or RowError(0, "", _("The file is empty."))])
    separator = sniff_separator(text.split("\n", 1)[0])
    records = csv_records(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    result = DirectoryFile()
    try:
        header_line, header = next(records, (0, []))
        columns = [" ".join(c.strip().lower().split()).replace(" ", "_") for c in header]
        unknown = [c for c in columns if c and c not in COLUMNS]
        if "type" not in columns or unknown:
            for column in unknown or ["type"]:
                reason = _("Unknown column '%(column)s'.", column=column) if unknown else ""
                result.errors.append(RowError(1, column, f"{reason} {columns_hint()}".strip()))
            return result
        for line, record in records:
            if not any(cell.strip() for cell in record):
                continue
            if len(result.rows) + len(result.errors) >= MAX_ROWS:
                result.errors.append(
                    RowError(line, "", _("At most %(count)d rows.", count=MAX_ROWS))
                )
                break
            cells = dict(zip(columns, record, strict=False))
            row = read_row(line, cells, professions, languages, result.errors)
            if row is not None:
                result.rows.append(row)
    except UnreadableFile as problem:
        return DirectoryFile(errors=[RowError(problem.line, "", str(problem))])
    if not result.rows and not result.errors:
        result.errors.append(RowError(header_line + 1, "", _("The file has no rows.")))
    return result


def read_row(
    line: int,
    cells: dict[str, str],
    professions: Collection[str],
    languages: Collection[str],
    errors: list[RowError],
) -> DirectoryRow | None:
    values = {name: _clean(cells.get(name), keep_lines=name == "step") for name in COLUMNS}
    found: list[RowError] = []
    kind = values["type"].lower()
    if kind not in TYPES:
        found.append(
            RowError(
                line, "type", _("Use 'contact' or 'step', not '%(value)s'.", value=values["type"])
            )
        )
    for name, value in values.items():
        if name != "step" and (problem := invisible_problem(value, name)):
            found.append(RowError(line, name, problem))
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            found.append(RowError(line, name, _("At most %(count)d characters.", count=limit)))
    language = values["language"].lower()
    if language and language not in languages:
        found.append(_unknown(line, "language", values["language"], languages))
    named = tuple(values["profession"].lower().replace(",", " ").replace("|", " ").split())
    for profession in named:
        if profession not in professions:
            found.append(_unknown(line, "profession", profession, professions))
    if kind == "contact":
        found += _contact_problems(line, values)
    elif kind == "step":
        if not values["step"]:
            found.append(RowError(line, "step", _("The step's text is missing.")))
        if len(named) > 1:
            found.append(
                RowError(line, "profession", _("A step is for one profession, or for all (empty)."))
            )
    if found:
        errors.extend(found)
        return None
    return DirectoryRow(line, kind, values["unit"], language, values, named)


def _contact_problems(line: int, values: dict[str, str]) -> list[RowError]:
    found: list[RowError] = []
    if not values["name"]:
        found.append(RowError(line, "name", _("The contact's name is missing.")))
    role = values["role"].lower()
    if role not in REFERRAL_ROLES:
        found.append(_unknown(line, "role", values["role"], REFERRAL_ROLES))
    values["role"] = role
    for column in ("phone", "text"):
        stored, problem = normalise_phone(values[column])
        if problem:
            found.append(RowError(line, column, problem))
        values[column] = stored
    email = values["email"]
    if email and ("@" not in email or " " in email or "." not in email.rsplit("@", 1)[-1]):
        found.append(
            RowError(line, "email", _("'%(value)s' is not an email address.", value=email))
        )
    if not (values["phone"] or values["text"] or values["email"] or values["address"]):
        found.append(
            RowError(line, "phone", _("Give at least a phone, text number, e-mail or address."))
        )
    return found


def _unknown(line: int, column: str, value: str, known: Collection[str]) -> RowError:
    return RowError(
        line,
        column,
        _(
            "Unknown %(column)s '%(value)s'; use one of %(known)s.",
            column=column,
            value=value,
            known=", ".join(sorted(known)),
        ),
    )
