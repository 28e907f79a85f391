"""Reading TOML with line numbers, and collecting problems as ``path:line: message``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """The content has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Source:
    """A TOML document and where it sits in its file, for line numbers."""

    path: Path
    text: str
    first_line: int = 1  # the file line of the document's first line

    def line_of(self, key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
        match = pattern.search(self.text)
        if match is None:
            return self.first_line
        return self.first_line + self.text.count("\n", 0, match.start())

    def line_at(self, path: tuple[str | int, ...]) -> int:
        """The file line of the value at ``path`` (keys and list positions), or nearest above.

        Follows ``[table]`` and ``[[array]]`` headers, so ``("items", 2, "options", 1,
        "id")`` is the ``id =`` line of the second option of the third item.
        """
        return self.first_line + _locate(self.text.splitlines(), path)


class Reader:
    """Collects every problem instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        # Courses with a broken module: checks that need every module (hours,
        # links into them) are skipped there, so one mistake gives one line.
        self.incomplete_courses: set[str] = set()

    def problem(self, path: Path, line: int, message: str) -> None:
        try:
            shown = path.relative_to(self.root.parent)
        except ValueError:
            shown = path
        self.problems.append(Problem(str(shown), line, message))

    def parse(self, source: Source) -> dict[str, Any] | None:
        try:
            return tomllib.loads(source.text)
        except tomllib.TOMLDecodeError as error:
            match = re.search(r"\(at line (\d+), column \d+\)", str(error))
            line = int(match.group(1)) if match else 1
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
            self.problem(source.path, source.first_line + line - 1, f"TOML syntax: {message}")
            return None

    def read_toml(self, path: Path) -> tuple[dict[str, Any] | None, Source]:
        source = Source(path, path.read_text(encoding="utf-8"))
        return self.parse(source), source

    def require(
        self, data: dict[str, Any], source: Source, key: str, kind: type | tuple, what: str
    ) -> Any:
        value = data.get(key)
        if value is None:
            self.problem(source.path, source.first_line, f"missing `{key}` ({what})")
        elif not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problem(source.path, source.line_of(key), f"`{key}` must be {what}")
            return None
        return value

    def strings(self, data: dict[str, Any], source: Source, key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(source.path, source.line_of(key), f"`{key}` must be a list of strings")
            return ()
        return tuple(value)

    def known(
        self,
        values: tuple[str, ...],
        vocabulary: dict[str, Any],
        source: Source,
        key: str,
        what: str,
    ) -> None:
        for value in values:
            if value not in vocabulary:
                self.problem(
                    source.path,
                    source.line_of(key),
                    f"unknown {what} {value!r}; known: {', '.join(sorted(vocabulary))}",
                )

    def unknown_keys(self, data: dict[str, Any], allowed: set[str], source: Source) -> None:
        for key in sorted(set(data) - allowed):
            self.problem(
                source.path,
                source.line_of(key),
                f"unknown key `{key}`; expected one of: {', '.join(sorted(allowed))}",
            )


#: A ``[table]`` or ``[[array]]`` header line: (brackets, name).
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _locate(lines: list[str], path: tuple[str | int, ...]) -> int:
    """The 0-based line of ``path`` in a TOML document (see :meth:`Source.line_at`).

    The search narrows to one header's lines at a time: the ``index``-th ``[[name]]``
    for a list position, else a ``[name]`` table, else a ``key =`` line of the
    current table. A value written inline gives the line of its key.
    """
    headers = []
    for number, text in enumerate(lines):
        if match := _HEADER.match(text):
            headers.append((number, match.group(2), match.group(1) == "[["))
    name, start, end = "", 0, len(lines)
    header: int | None = None  # the line of the current table's own header, if written
    steps = list(path)
    while steps:
        key = str(steps.pop(0))
        full = f"{name}.{key}" if name else key
        inside = [h for h in headers if start <= h[0] < end and h[0] != header]
        is_array = bool(steps) and isinstance(steps[0], int)
        index = int(steps.pop(0)) if is_array else 0
        found = [h[0] for h in inside if h[1] == full and h[2] == is_array]
        if index < len(found):
            name, start = full, found[index]
            header = start
            later = (h[0] for h in headers if h[0] > start and not h[1].startswith(full + "."))
            end = next(later, end)
            continue
        own_end = inside[0][0] if inside else end
        pattern = re.compile(rf"^\s*([\"']?){re.escape(key)}\1\s*=")
        line = next((n for n in range(start, own_end) if pattern.match(lines[n])), None)
        if line is not None:
            return line
        if not any(h[1].startswith(full + ".") for h in inside):
            return start
        name, header = full, None  # only sub-tables are written: [areas.x] without [areas]
    return start
