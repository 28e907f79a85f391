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
