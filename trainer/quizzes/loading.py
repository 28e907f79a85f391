"""Reading a course's item bank (``items/*.toml``) and its ``[assessment]`` settings."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.content.reading import Reader, Source
from trainer.quizzes import sequences, types  # noqa: F401  (registers the item types)
from trainer.quizzes.items import ITEM_TYPES, Item, SpecContext, render_text

ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COMMON_KEYS = frozenset({"id", "type", "difficulty", "stem", "explanation", "content_areas",
                         "indicators", "professions"})  # fmt: skip
ASSESSMENT_KEYS = frozenset({"items", "max_attempts", "cooldown_minutes", "time_limit_minutes",
                             "retry_after_days", "pools"})  # fmt: skip


@dataclass(frozen=True)
class Pool:
    """Draw ``count`` items carrying any of ``tags`` (content areas or indicators)."""

    count: int
    tags: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()

    def accepts(self, item: Item) -> bool:
        return (not self.tags or bool(self.tags & item.tags)) and (
            not self.types or item.type in self.types
        )


@dataclass(frozen=True)
class Assessment:
    items: int
    max_attempts: int = 3  # 0: no limit
    cooldown_minutes: int = 30
    time_limit_minutes: int = 0  # 0: no limit
    #: A self-registered learner who used a whole set waits this long for a new set.
    retry_after_days: int = 7
    pools: tuple[Pool, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    content_areas: frozenset[str]
    indicators: frozenset[str]
    professions: frozenset[str]


def read_items(reader: Reader, folder: Path, vocabulary: Vocabulary) -> tuple[Item, ...]:
    """Every item in ``folder/items/*.toml``, reporting problems with their lines."""
    items: list[Item] = []
    seen: dict[str, str] = {}
    for path in sorted((folder / "items").glob("*.toml")):
        data, source = reader.read_toml(path)
        if data is None:
            continue
        starts = [
            source.first_line + source.text.count("\n", 0, m.start())
            for m in re.finditer(r"^\s*\[\[items\]\]\s*$", source.text, re.MULTILINE)
        ]
        for index, raw in enumerate(data.get("items", [])):
            start = starts[index] if index < len(starts) else 1
            end = starts[index + 1] if index + 1 < len(starts) else None
            item = _read_item(reader, source, raw, start, end, vocabulary)
            if item is None:
                continue
            if item.id in seen:
                reader.problem(
                    path, start, f"duplicate item id {item.id!r} (also in {seen[item.id]})"
                )
                continue
            seen[item.id] = path.name
            items.append(item)
    return tuple(items)


def _line_in(source: Source, key: str, start: int, end: int | None) -> int:
    lines = source.text.splitlines()
    first = start - source.first_line
    last = (end - source.first_line) if end else len(lines)
    for offset, line in enumerate(lines[first:last]):
        stripped = line.strip()
        if stripped.startswith(key) and (
            key.startswith("[") or stripped[len(key) :].lstrip().startswith("=")
        ):
            return start + offset
    return start


def _read_item(
    reader: Reader,
    source: Source,
    raw: dict[str, Any],
    start: int,
    end: int | None,
    vocabulary: Vocabulary,
) -> Item | None:
    item_id = raw.get("id")
    label = f"item {item_id!r}" if isinstance(item_id, str) else "item"
    problems_before = len(reader.problems)

    def report(key: str, message: str) -> None:
        reader.problem(source.path, _line_in(source, key, start, end), f"{label}: {message}")

    if not isinstance(item_id, str) or not ITEM_ID.match(item_id):
        report("id", "`id` must be lower-case letters, digits and hyphens")
        return None
    item_type = ITEM_TYPES.get(raw.get("type"))
    if item_type is None:
        report("type", f"`type` must be one of: {', '.join(ITEM_TYPES)}")
        return None
    for key in sorted(set(raw) - COMMON_KEYS - item_type.keys):
        report(key, f"unknown key `{key}` for a {item_type.name} item")
    difficulty = raw.get("difficulty")
    if difficulty not in (1, 2, 3):
        report("difficulty", "`difficulty` must be 1 (recall), 2 (apply) or 3 (judgement)")
    for key in ("stem", "explanation"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            report(key, f"`{key}` must be non-empty text")
    tags = {}
    for key, known in (
        ("content_areas", vocabulary.content_areas),
        ("indicators", vocabulary.indicators),
        ("professions", vocabulary.professions),
    ):
        values = raw.get(key, [])
        if not isinstance(values, list):
            report(key, f"`{key}` must be a list")
            values = []
        for value in values:
            if value not in known:
                report(key, f"unknown {key.rstrip('s').replace('_', ' ')} {value!r}")
        tags[key] = tuple(values)
    if not tags["content_areas"]:
        report("content_areas", "tag at least one content area")
    spec = item_type.parse(SpecContext(item_id, raw, report))
    if spec is None or len(reader.problems) > problems_before:
        return None
    return Item(
        id=item_id,
        type=item_type.name,
        difficulty=difficulty,
        stem=render_text(raw["stem"]),
        explanation=render_text(raw["explanation"]),
        spec=spec,
        version=hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:12],
        **tags,
    )


def read_assessment(
    reader: Reader, data: dict[str, Any], source: Source, items: tuple[Item, ...]
) -> Assessment | None:
    """The course's ``[assessment]`` table; a course with items and none gets the defaults."""
    raw = data.get("assessment")
    if raw is None:
        return Assessment(items=min(20, len(items))) if items else None
    line = source.line_of("[assessment]") if "[assessment]" in source.text else source.first_line
    for key in sorted(set(raw) - ASSESSMENT_KEYS):
        reader.problem(source.path, line, f"unknown key `{key}` in [assessment]")
    numbers = {}
    for key, default, minimum in (
        ("items", min(20, len(items)), 1),
        ("max_attempts", 3, 0),
        ("cooldown_minutes", 30, 0),
        ("time_limit_minutes", 0, 0),
        ("retry_after_days", 7, 1),
    ):
        value = raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            reader.problem(
                source.path,
                source.line_of(key),
                f"[assessment] `{key}` must be a whole number ≥ {minimum}",
            )
            value = default
        numbers[key] = value
    if numbers["items"] > len(items):
        reader.problem(
            source.path,
            source.line_of("items"),
            f"[assessment] asks for {numbers['items']} items but the bank has {len(items)}",
        )
    pools = tuple(_read_pool(reader, source, entry, items) for entry in raw.get("pools", []))
    if sum(p.count for p in pools) > numbers["items"]:
        reader.problem(source.path, line, "[assessment] pools draw more items than `items`")
    return Assessment(pools=pools, **numbers)


def _read_pool(
    reader: Reader, source: Source, entry: dict[str, Any], items: tuple[Item, ...]
) -> Pool:
    pool = Pool(
        count=entry.get("count", 0),
        tags=frozenset(entry.get("tags", [])),
        types=frozenset(entry.get("types", [])),
    )
    available = sum(1 for item in items if pool.accepts(item))
    if not isinstance(pool.count, int) or pool.count < 1 or pool.count > available:
        reader.problem(
            source.path,
            source.line_of("[[assessment.pools]]"),
            f"a pool asks for {pool.count} items tagged {sorted(pool.tags) or 'anything'}"
            f"{' of types ' + str(sorted(pool.types)) if pool.types else ''}; {available} match",
        )
    return pool
