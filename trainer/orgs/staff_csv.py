"""Reading a staff list (CSV) for enrolment. Pure: no app, no database.

The file is UTF-8 (a byte-order mark is fine), separated by commas or
semicolons (whichever the header line uses), with a header row naming the
columns. Problems come back as :class:`RowError` (line, column, reason) so the
admin can fix the file; nothing is imported while any remain.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _

from trainer.accounts.jurisdiction import normalise_region
from trainer.accounts.profile import NO_LICENCE, ProfileAnswers, ProfileVocabulary, profile_problems
from trainer.email_safety import canonical_email, email_problem
from trainer.i18n.formatting import local_number
from trainer.text_safety import invisible_problem
from trainer.uploads import UnreadableFile, csv_records, csv_text

#: At most this many staff per file, and at most this many bytes (the request limit).
MAX_ROWS = 50_000
MAX_BYTES = 16 * 1024 * 1024

REQUIRED = ("email", "full_name", "profession", "unit")
OPTIONAL = ("licence_type", "licence_number", "licensing_board", "country", "region")
ALIASES = {
    "e-mail": "email",
    "email_address": "email",
    "name": "full_name",
    "full name": "full_name",
    "fullname": "full_name",
    "license_type": "licence_type",
    "license_number": "licence_number",
    "licensing board": "licensing_board",
    "licence type": "licence_type",
    "licence number": "licence_number",
    "license type": "licence_type",
    "license number": "licence_number",
    "state": "region",
    "province": "region",
    "state_or_province": "region",
    "state or province": "region",
}
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
FIELD_LIMITS = {
    "email": 254,
    "full_name": 200,
    "licence_type": 64,
    "licence_number": 64,
    "licensing_board": 200,
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}, {self.column or 'file'}: {self.reason}"


@dataclass(frozen=True)
class StaffRow:
    line: int
    email: str
    full_name: str
    profession: str
    unit: str
    licence_type: str | None = None
    licence_number: str | None = None
    licensing_board: str | None = None
    #: ISO 3166-1 and 3166-2 codes ("US", "US-MI"), checked against each other.
    country: str | None = None
    region: str | None = None


@dataclass
class StaffFile:
    rows: list[StaffRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def decode(content: bytes) -> tuple[str | None, RowError | None]:
    """The file's text, or an error that says what is wrong with the file and where."""
    if len(content) > MAX_BYTES:
        return None, RowError(0, "", too_large_message())
    try:
        return csv_text(content), None
    except UnreadableFile as error:
        return None, RowError(error.line, "", str(error))


def too_large_message() -> str:
    return _(
        "The file is too large: at most %(rows)s staff and %(mb)d MB per upload. "
        "Split it into several files and upload each.",
        rows=local_number(MAX_ROWS),
        mb=MAX_BYTES // (1024 * 1024),
    )


def sniff_separator(header_line: str) -> str:
    """``;`` or ``,`` (or a tab): whichever the header line uses most."""
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _column_name(raw: str) -> str:
    name = " ".join(raw.strip().lower().split())
    return ALIASES.get(name, name.replace(" ", "_"))


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    separator = sniff_separator(text.split("\n", 1)[0])
    return csv_records(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def read_staff(
    content: bytes, professions: Collection[str], vocabulary: ProfileVocabulary | None = None
) -> StaffFile:
    """Parse and check every row; duplicate emails are reported on their second line.

    With ``vocabulary``, a row's licence type, country and region are checked as
    the registration form checks them (a region must lie in the row's country).
    """
    text, error = decode(content)
    if error is not None or text is None:
        return StaffFile(errors=[error or RowError(0, "", _("The file is empty."))])
    try:
        return _read_rows(_records(text), professions, vocabulary)
    except UnreadableFile as problem:  # malformed CSV: no row of it can be trusted
        return StaffFile(errors=[RowError(problem.line, "", str(problem))])


def _read_rows(
    records: Iterator[tuple[int, list[str]]],
    professions: Collection[str],
    vocabulary: ProfileVocabulary | None,
) -> StaffFile:
    result = StaffFile()
    header_line, header = next(records, (0, []))
    columns = [_column_name(c) for c in header]
    if _header_problems(columns, result):
        return result
    seen: dict[str, int] = {}
    count = 0
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue  # blank lines, common at the end of exported files
        count += 1
        if count > MAX_ROWS:
            return StaffFile(errors=[RowError(line, "", too_large_message())])
        cells = dict(zip(columns, record, strict=False))
        row = _read_row(line, cells, professions, vocabulary, result)
        if row is None:
            continue
        if row.email in seen:
            result.errors.append(
                RowError(
                    line,
                    "email",
                    _("%(email)s is also on line %(line)d.", email=row.email, line=seen[row.email]),
                )
            )
            continue
        seen[row.email] = line
        result.rows.append(row)
    if not count:
        result.errors.append(RowError(header_line + 1, "", _("The file has no staff rows.")))
    return result


def _header_problems(columns: list[str], result: StaffFile) -> bool:
    if not columns or not any(columns):
        result.errors.append(RowError(1, "", _("The file is empty: it needs a header row.")))
        return True
    missing = [c for c in REQUIRED if c not in columns]
    for column in missing:
        result.errors.append(
            RowError(
                1,
                column,
                _("The header row has no '%(column)s' column.", column=column)
                + " "
                + _columns_hint(),
            )
        )
    for column in columns:
        if column and column not in REQUIRED + OPTIONAL:
            result.errors.append(
                RowError(
                    1,
                    column,
                    _("Unknown column '%(column)s'.", column=column) + " " + _columns_hint(),
                )
            )
    return bool(result.errors)


def _columns_hint() -> str:
    return _(
        "Columns: %(required)s (required), %(optional)s (optional); separated by ',' or ';'.",
        required=", ".join(REQUIRED),
        optional=", ".join(OPTIONAL),
    )


def _clean(value: str | None) -> str:
    return unicodedata.normalize("NFC", " ".join((value or "").split()))


def _read_row(
    line: int,
    cells: dict[str, str],
    professions: Collection[str],
    vocabulary: ProfileVocabulary | None,
    result: StaffFile,
) -> StaffRow | None:
    values = {name: _clean(cells.get(name)) for name in REQUIRED + OPTIONAL}
    errors: list[RowError] = []
    email = values["email"].lower()
    if not email:
        errors.append(RowError(line, "email", _("The email address is missing.")))
    elif not EMAIL.match(email):
        errors.append(
            RowError(
                line, "email", _("'%(value)s' is not an email address.", value=values["email"])
            )
        )
    elif problem := email_problem(email):
        errors.append(RowError(line, "email", problem))
    email = canonical_email(email)
    if not values["full_name"]:
        errors.append(RowError(line, "full_name", _("The full name is missing.")))
    for name in ("full_name", "unit", *OPTIONAL):
        problem = invisible_problem(values[name], name)
        if problem:
            errors.append(RowError(line, name, problem))
    profession = values["profession"].lower()
    if profession not in professions:
        errors.append(
            RowError(
                line,
                "profession",
                _(
                    "Unknown profession '%(value)s'; use one of %(known)s.",
                    value=values["profession"],
                    known=", ".join(sorted(professions)),
                ),
            )
        )
    if not values["unit"]:
        errors.append(RowError(line, "unit", _("The unit is missing.")))
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit:
            errors.append(RowError(line, name, _("At most %(count)d characters.", count=limit)))
    country = values["country"].upper() or None
    region = normalise_region(values["region"], country)
    if vocabulary is not None and not any(e.column == "profession" for e in errors):
        answers = ProfileAnswers(
            profession=profession,
            country=country,
            region=region,
            licence_type=values["licence_type"] or None,
            licence_number=values["licence_number"] or None,
            licensing_board=values["licensing_board"] or None,
        )
        problems = profile_problems(answers, vocabulary, complete=False)
        errors += [RowError(line, column, message) for column, message in problems]
    if errors:
        result.errors.extend(errors)
        return None
    return StaffRow(
        line=line,
        email=email,
        full_name=values["full_name"],
        profession=profession,
        unit=values["unit"],
        # "none" answers the question "which licence?": it is not a licence type.
        licence_type=None
        if values["licence_type"] == NO_LICENCE
        else values["licence_type"] or None,
        licence_number=values["licence_number"] or None,
        licensing_board=values["licensing_board"] or None,
        country=country or (region.split("-")[0] if region else None),
        region=region,
    )
