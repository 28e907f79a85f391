"""Translated vocabularies, read from ``courses/translations/<lang>/``.

The interface shows professions, licence types, content areas, indicators,
reporting contacts, curriculum titles and the names of classification labels.
Each language folder holds copies of ``professions.toml``, ``content-areas.toml``,
``indicators.toml``, ``licence-types.toml``, ``jurisdictions/*.toml`` and
``curricula/*.toml`` with only their text translated (checked like a course
translation), and a ``labels.toml`` naming every label items set themselves. A
language folder must be complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from trainer.content.languages import SOURCE_LANGUAGE
from trainer.content.licence_types import LicenceType
from trainer.content.model import ContentArea, Curriculum, Indicator, Jurisdiction
from trainer.content.professions import Profession
from trainer.content.reading import Reader
from trainer.content.structure import TextKeys
from trainer.content.translations import check_files, compared_toml, language_folders

#: Each vocabulary file and the keys of it that are text.
VOCABULARY_TEXT = {
    "professions.toml": TextKeys(frozenset({"title", "summary", "hint"})),
    "content-areas.toml": TextKeys(frozenset({"title", "summary"})),
    "indicators.toml": TextKeys(frozenset({"title"})),
    "licence-types.toml": TextKeys(frozenset({"title"})),
}
JURISDICTION_TEXT = TextKeys(frozenset({"name", "note", "detail"}))
CURRICULUM_TEXT = TextKeys(frozenset({"title"}))
LABELS_FILE = "labels.toml"


@dataclass(frozen=True)
class Vocabularies:
    """What the interface names, in one language."""

    language: str
    professions: dict[str, Profession]
    content_areas: dict[str, ContentArea]
    indicators: dict[str, Indicator]
    jurisdictions: dict[str, Jurisdiction]
    labels: dict[str, str]
    curricula: dict[str, Curriculum]
    licence_types: dict[str, LicenceType] = field(default_factory=dict)


def read_localised(
    reader: Reader, root: Path, source: Vocabularies, labels: set[str]
) -> dict[str, Vocabularies]:
    """Every translated language under ``root/translations``; ``labels`` must all be named."""
    return {
        entry.name: _read_language(reader, root, entry, source, labels)
        for entry in language_folders(reader, root / "translations", SOURCE_LANGUAGE)
    }


def _read_language(
    reader: Reader, root: Path, folder: Path, source: Vocabularies, labels: set[str]
) -> Vocabularies:
    expected = {*VOCABULARY_TEXT, LABELS_FILE}
    for kind in ("jurisdictions", "curricula"):
        expected |= {f"{kind}/{p.name}" for p in (root / kind).glob("*.toml")}
    present = check_files(reader, folder, expected, f"expected: {', '.join(sorted(expected))}")

    def read(name: str, keys: TextKeys) -> dict[str, Any]:
        compared = compared_toml(reader, root / name, folder / name, keys)
        return compared[0] if compared else {}

    professions = read("professions.toml", VOCABULARY_TEXT["professions.toml"])
    areas = read("content-areas.toml", VOCABULARY_TEXT["content-areas.toml"])
    indicators = read("indicators.toml", VOCABULARY_TEXT["indicators.toml"])
    licence_types = read("licence-types.toml", VOCABULARY_TEXT["licence-types.toml"])
    jurisdictions = {
        code: read(f"jurisdictions/{code}.toml", JURISDICTION_TEXT) for code in source.jurisdictions
    }
    curricula = [
        read(name, CURRICULUM_TEXT) for name in sorted(expected) if name.startswith("curricula/")
    ]
    titles = {c.get("slug"): c.get("title") for c in curricula if isinstance(c.get("title"), str)}
    return Vocabularies(
        language=folder.name,
        professions=_retitled(source.professions, professions.get("professions", {})),
        content_areas=_retitled(source.content_areas, areas.get("areas", {})),
        indicators=_retitled(source.indicators, indicators.get("indicators", {})),
        licence_types=_retitled(source.licence_types, licence_types.get("licence_types", {})),
        jurisdictions={
            code: _jurisdiction(j, jurisdictions[code]) for code, j in source.jurisdictions.items()
        },
        labels=_read_labels(reader, folder / LABELS_FILE, labels) if LABELS_FILE in present else {},
        curricula={
            slug: replace(c, title=titles.get(slug, c.title))
            for slug, c in source.curricula.items()
        },
    )


def _retitled(entries: dict[str, Any], translated: dict[str, Any]) -> dict[str, Any]:
    """The entries with their translated title and summary (the source's where left out)."""
    result = {}
    for slug, entry in entries.items():
        text = translated.get(slug) if isinstance(translated.get(slug), dict) else {}
        # Keys the entry does not have are reported by the comparison, and left out here.
        shown = {"title", "summary", "hint"} & set(entry.__dataclass_fields__)
        result[slug] = replace(entry, **{k: str(v) for k, v in text.items() if k in shown})
    return result


def _jurisdiction(jurisdiction: Jurisdiction, translated: dict[str, Any]) -> Jurisdiction:
    contacts = translated.get("contacts", [])
    if (
        not isinstance(contacts, list)
        or len(contacts) != len(jurisdiction.contacts)
        or not all(isinstance(c, dict) for c in contacts)
    ):
        contacts = [{} for _ in jurisdiction.contacts]  # reported by the comparison
    return replace(
        jurisdiction,
        name=str(translated.get("name", jurisdiction.name)),
        note=str(translated.get("note", jurisdiction.note)),
        contacts=tuple(
            replace(c, **{k: str(v) for k, v in t.items() if k in ("name", "detail")})
            for c, t in zip(jurisdiction.contacts, contacts, strict=True)
        ),
    )


def _read_labels(reader: Reader, path: Path, used: set[str]) -> dict[str, str]:
    """``[labels]``: a name for each label an item sets, and for no other."""
    data, source = reader.read_toml(path)
    if data is None:
        return {}
    names = data.get("labels")
    if not isinstance(names, dict) or set(data) != {"labels"}:
        reader.problem(path, 1, 'labels.toml holds one table, [labels], with label = "name" lines')
        return {}
    line = source.line_at(("labels",))
    missing = sorted(used - set(names))
    if missing:
        reader.problem(path, line, f"name these labels too: {', '.join(missing)}")
    for label in sorted(set(names) - used):
        reader.problem(path, source.line_at(("labels", label)), f"no item uses the label {label!r}")
    for label, name in names.items():
        if not isinstance(name, str) or not name.strip():
            reader.problem(path, source.line_at(("labels", label)), f"{label!r} needs a name")
    return {label: str(name) for label, name in names.items() if label in used}
