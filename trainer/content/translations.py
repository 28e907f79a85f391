"""Course language variants, read from ``courses/<slug>/translations/<lang>/``.

A variant is a copy of the course's files (``course.toml``, ``modules/``,
``items/``) with only the human text translated. It keeps the course's slug,
module slugs, item ids, minutes, answers and scores, so progress, grading,
requirement sets and reports are the same in every language. Every difference
in structure is a problem with its file and line, and a variant must be complete.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from trainer.content.courses import check_images, read_references, split_front_matter
from trainer.content.languages import LANGUAGE_CODE
from trainer.content.model import CONTACTS_PLACEHOLDER, Course, Module
from trainer.content.reading import Reader, Source
from trainer.content.render import render_module, word_count
from trainer.content.structure import TextKeys, compare
from trainer.quizzes.items import Item
from trainer.quizzes.loading import Vocabulary, read_items

COURSE_TEXT = TextKeys(
    text=frozenset({"title", "summary", "objectives", "language", "references"}),
    optional=frozenset({"references"}),
    free=frozenset({"references"}),
)
MODULE_TEXT = TextKeys(text=frozenset({"title", "objectives", "content_note"}))
ITEM_TEXT = TextKeys(text=frozenset({"stem", "explanation", "text", "feedback"}))


def language_folders(reader: Reader, root: Path, own: str) -> Iterator[Path]:
    """The translation folders under ``root``, one per language; anything else is a problem."""
    if not root.is_dir():
        return
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or not LANGUAGE_CODE.match(entry.name):
            reader.problem(
                entry, 1, "a translation is a folder named by its language code, e.g. es or pt-BR"
            )
        elif entry.name == own:
            reader.problem(entry, 1, f"{own} is the source's own language: translate into another")
        else:
            yield entry


def read_variants(
    reader: Reader, folder: Path, course: Course, vocabulary: Vocabulary
) -> dict[str, Course]:
    """The course's translations by language; each problem is reported with its line."""
    variants = {}
    for entry in language_folders(reader, folder / "translations", course.language):
        variant = _read_variant(reader, folder, entry, course, vocabulary)
        if variant is not None:
            variants[entry.name] = variant
    return variants


def _read_variant(
    reader: Reader, folder: Path, root: Path, course: Course, vocabulary: Vocabulary
) -> Course | None:
    _check_course_files(reader, folder, root)
    # `language` is text here: it names the variant, so it is there even when the source
    # leaves its own language to the default.
    manifest = compared_toml(
        reader, folder / "course.toml", root / "course.toml", COURSE_TEXT, language=course.language
    )
    modules = [_read_module(reader, folder, root, course.slug, m) for m in course.modules]
    items = _read_items(reader, folder, root, course, vocabulary)
    if manifest is None:
        return None
    data, source = manifest
    if data.get("language", root.name) != root.name:
        reader.problem(
            source.path,
            source.line_of("language"),
            f"language = {data['language']!r} must be this folder's language, {root.name!r}",
        )
    if None in modules:
        return None
    # Returned even with problems (the catalogue is refused then), so that the
    # links in its modules are checked too and every mistake shows at once.
    return replace(
        course,
        title=str(data.get("title", course.title)),
        summary=str(data.get("summary", "")),
        language=root.name,
        objectives=tuple(data.get("objectives", ())),
        references=read_references(reader, data, source)
        if "references" in data
        else course.references,
        modules=tuple(m for m in modules if m is not None),
        items=items,
    )


def _check_course_files(reader: Reader, folder: Path, root: Path) -> None:
    """The same files as the source: course.toml, and each module and item file."""
    expected = {"course.toml"}
    for kind, pattern in (("modules", "*.md"), ("items", "*.toml")):
        expected |= {f"{kind}/{p.name}" for p in (folder / kind).glob(pattern)}
    check_files(
        reader,
        root,
        expected,
        f"a translation has the files of {folder.name}/ (course.toml, modules/, items/) "
        "and no others",
    )


def check_files(reader: Reader, root: Path, expected: set[str], which: str) -> set[str]:
    """Report the ``expected`` files missing under ``root`` and the others; the files there.

    ``which`` tells the author which files belong there.
    """
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    for name in sorted(expected - present):
        reader.problem(root / name, 1, f"missing: translate {name}; a translation must be complete")
    for name in sorted(present - expected):
        reader.problem(root / name, 1, f"not in the source: {which}")
    return present


def compared_toml(
    reader: Reader, source_path: Path, path: Path, keys: TextKeys, **defaults: Any
) -> tuple[dict[str, Any], Source] | None:
    """A translated TOML file, after reporting how it differs from its source.

    ``defaults`` fill keys the source may leave out. None when either file cannot be read.
    """
    if not path.is_file():
        return None
    data, source = reader.read_toml(path)
    original = _parsed(source_path)
    if data is None or original is None:
        return None
    compare(
        {**defaults, **original},
        data,
        keys,
        lambda at, text: reader.problem(path, source.line_at(at), text),
    )
    return data, source


def _parsed(path: Path) -> dict[str, Any] | None:
    """A source file's data; one that does not parse has its own problem line already."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None


def _read_module(
    reader: Reader, folder: Path, root: Path, course_slug: str, module: Module
) -> Module | None:
    path = root / "modules" / Path(module.path).name
    if not path.is_file():
        return None
    split = split_front_matter(reader, path, path.read_text(encoding="utf-8"))
    original = split_front_matter(reader, Path(module.path), Path(module.path).read_text("utf-8"))
    if split is None or original is None:
        return None
    front, body, body_line = split
    data = reader.parse(front)
    if data is None:
        return None
    compare(
        tomllib.loads(original[0].text),
        data,
        MODULE_TEXT,
        lambda at, message: reader.problem(path, front.line_at(at), message),
    )
    _check_contacts(reader, path, body, body_line, original[1])
    check_images(reader, path, body, body_line, folder)
    return replace(
        module,
        title=str(data.get("title", module.title)),
        objectives=tuple(data.get("objectives", ())),
        content_note=str(data.get("content_note", "")),
        html_parts=render_module(body, course_slug),
        words=word_count(body),
        path=str(path),
    )


def _check_contacts(reader: Reader, path: Path, body: str, body_line: int, source: str) -> None:
    """The learner's reporting contacts appear where the source puts them."""

    def count(text: str) -> int:
        return sum(1 for line in text.splitlines() if line.strip() == CONTACTS_PLACEHOLDER)

    if count(body) != count(source):
        reader.problem(
            path,
            body_line,
            f"the source has {count(source)} `{CONTACTS_PLACEHOLDER}` line(s), this translation "
            f"{count(body)}: keep the line, untranslated, where the source has it",
        )


def _read_items(
    reader: Reader, folder: Path, root: Path, course: Course, vocabulary: Vocabulary
) -> tuple[Item, ...]:
    """The translated items in the source's order, each keeping its source's version.

    They are parsed only once their structure matches, so a drifted copy gives
    one line per difference rather than a second line from the item's own checks.
    """
    problems_before = len(reader.problems)
    for path in sorted((root / "items").glob("*.toml")):
        if (folder / "items" / path.name).is_file():
            _compare_items(reader, folder / "items" / path.name, path)
    if len(reader.problems) > problems_before:
        return ()
    translated = {item.id: item for item in read_items(reader, root, vocabulary)}
    return tuple(
        replace(translated[item.id], version=item.version)
        for item in course.items
        if item.id in translated
    )


def _compare_items(reader: Reader, source_path: Path, path: Path) -> None:
    """Items are matched by id; within an item, options, steps and nodes by position."""
    data, source = reader.read_toml(path)
    original = _parsed(source_path)
    if data is None or original is None:
        return

    def report(at: tuple[str | int, ...], message: str) -> None:
        reader.problem(path, source.line_at(at), message)

    rest = {k: v for k, v in original.items() if k != "items"}
    compare(rest, {k: v for k, v in data.items() if k != "items"}, ITEM_TEXT, report)
    by_id = {i.get("id"): (n, i) for n, i in enumerate(original.get("items", []))}
    seen = set()
    for index, entry in enumerate(data.get("items", [])):
        item_id = entry.get("id") if isinstance(entry, dict) else None
        if item_id not in by_id:
            report(("items", index, "id"), f"item {item_id!r} is not in {source_path.name} "
                   "of the source; a translation has the source's items only")  # fmt: skip
            continue
        seen.add(item_id)
        where = (f"item {item_id!r}",)
        compare(by_id[item_id][1], entry, ITEM_TEXT, report, ("items", index), where)
    original_source = Source(source_path, source_path.read_text(encoding="utf-8"))
    for item_id, (number, _item) in by_id.items():
        if item_id not in seen:
            line = original_source.line_at(("items", number))
            reader.problem(
                path,
                1,
                f"item {item_id!r} is missing (the source's line {line}): translate it",
            )
