"""A translation is a copy of its source with only the human text changed.

`compare` walks a source document and its translation side by side and reports
every difference outside the text keys: an option id, a `correct` flag, a score,
a missing or extra key, a list of another length. Translators copy a file and
translate its text; the check tells them exactly where the copy drifted.
Pure: no app, no files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KeyPath = tuple[str | int, ...]
#: Called with the path in the translation and a message (already giving the context).
Report = Callable[[KeyPath, str], None]

ONLY_TEXT = "a translation may change only text"


@dataclass(frozen=True)
class TextKeys:
    """Which keys of one kind of file hold human text."""

    text: frozenset[str]
    #: Text keys a translation may leave out: the source's value is used.
    optional: frozenset[str] = frozenset()
    #: Text keys whose shape may differ too (a translation's own reference list).
    free: frozenset[str] = frozenset()


def compare(
    source: Any,
    translated: Any,
    keys: TextKeys,
    report: Report,
    path: KeyPath = (),
    context: tuple[str, ...] = (),
) -> None:
    """Report every difference between ``source`` and ``translated`` outside text keys.

    ``path`` is where ``translated`` sits in its file; ``context`` names it in
    messages (``("item 'x'",)`` gives "item 'x': …").
    """
    _Walk(keys, report).value(source, translated, path, context)


def shown(value: Any) -> str:
    """A value as an author wrote it in TOML: true, 3, 'text', ['a', 'b']."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def singular(key: str) -> str:
    """``options`` → ``option``: how one entry of a list is named in a message."""
    return key[:-1] if key.endswith("s") else key


@dataclass(frozen=True)
class _Walk:
    keys: TextKeys
    report: Report

    def value(self, source: Any, translated: Any, path: KeyPath, where: tuple[str, ...]) -> None:
        if isinstance(source, dict):
            self.table(source, translated, path, where)
        elif isinstance(source, list):
            self.array(source, translated, path, where)
        elif source != translated or type(source) is not type(translated):
            key = str(path[-1]) if path else "value"
            if key == "id" and len(path) >= 3 and isinstance(path[-2], int):
                # The entry is named by its source id already: "option id 'b' …".
                where, what = where[:-1], f"{singular(str(path[-3]))} id"
            elif len(path) >= 2 and isinstance(path[-1], int):
                what = f"`{path[-2]}` entry {path[-1] + 1}:"
            else:
                what = f"`{key}` ="
            self.report(
                path,
                f"{_prefix(where)}{what} {shown(translated)} differs from the source "
                f"({shown(source)}); {ONLY_TEXT}",
            )

    def table(self, source: dict, translated: Any, path: KeyPath, where: tuple[str, ...]) -> None:
        if not isinstance(translated, dict):
            self.report(path, f"{_prefix(where)}must be a table, as in the source; {ONLY_TEXT}")
            return
        for key, value in source.items():
            if key in translated:
                self.entry(key, value, translated[key], (*path, key), where)
            elif key not in self.keys.optional:
                self.report(
                    path, f"{_prefix(where)}missing `{key}` (the source has {_brief(value)})"
                )
        for key in translated.keys() - source.keys():
            self.report((*path, key), f"{_prefix(where)}`{key}` is not in the source; {ONLY_TEXT}")

    def entry(
        self, key: str, source: Any, translated: Any, path: KeyPath, where: tuple[str, ...]
    ) -> None:
        if key in self.keys.free:
            return
        if key in self.keys.text:
            self.text(source, translated, path, where)
        else:
            self.value(source, translated, path, where)

    def array(self, source: list, translated: Any, path: KeyPath, where: tuple[str, ...]) -> None:
        key = str(path[-1]) if path else "list"
        if not isinstance(translated, list) or len(translated) != len(source):
            count = len(translated) if isinstance(translated, list) else "no"
            self.report(
                path,
                f"{_prefix(where)}{count} {key}, the source has {len(source)}; {ONLY_TEXT}",
            )
            return
        for index, (a, b) in enumerate(zip(source, translated, strict=True)):
            named = (f"{singular(key)} {a['id']!r}",) if isinstance(a, dict) and "id" in a else ()
            self.value(a, b, (*path, index), (*where, *named))

    def text(self, source: Any, translated: Any, path: KeyPath, where: tuple[str, ...]) -> None:
        """Text may say anything, but keeps its shape: a string, a list, a table of strings."""
        key = f"`{path[-1]}`"
        if isinstance(source, str):
            if not isinstance(translated, str) or not translated.strip():
                self.report(path, f"{_prefix(where)}{key} must be translated text, not empty")
        elif isinstance(source, list):
            if not isinstance(translated, list) or not all(
                isinstance(t, str) and t.strip() for t in translated
            ):
                self.report(path, f"{_prefix(where)}{key} must be a list of translated texts")
            elif len(translated) != len(source):
                self.report(
                    path,
                    f"{_prefix(where)}{key} has {len(translated)} entries, the source has "
                    f"{len(source)}: translate each one",
                )
        elif isinstance(source, dict):
            every_key_is_text = TextKeys(frozenset(source))
            _Walk(every_key_is_text, self.report).table(source, translated, path, where)
        else:
            self.value(source, translated, path, where)


def _brief(value: Any) -> str:
    if isinstance(value, dict | list) or (isinstance(value, str) and len(value) > 40):
        return "it"
    return f"`= {shown(value)}`"


def _prefix(context: tuple[str, ...]) -> str:
    return f"{', '.join(context)}: " if context else ""
