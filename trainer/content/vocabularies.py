"""Professions, content areas, indicators, jurisdictions, curricula and requirement sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainer.content.licence_types import LicenceType
from trainer.content.model import (
    Contact,
    ContentArea,
    Course,
    Curriculum,
    Indicator,
    Jurisdiction,
    RequirementSet,
)
from trainer.content.professions import Profession
from trainer.content.reading import Reader


def read_professions(reader: Reader, path: Path) -> dict[str, Profession]:
    if not path.is_file():
        reader.problem(path, 1, "missing file: professions.toml lists the professions")
        return {}
    data, source = reader.read_toml(path)
    professions = {}
    for slug, entry in (data or {}).get("professions", {}).items():
        if reader.require(entry, source, "title", str, "the profession's name") is None:
            continue
        professions[slug] = Profession(
            slug,
            entry["title"],
            entry.get("summary", ""),
            tuple(entry.get("licence_types", ())),
            entry.get("hint", ""),
        )
    return professions


def read_areas(reader: Reader, path: Path) -> dict[str, ContentArea]:
    return _read_vocabulary(reader, path, "areas", "the content areas", ContentArea, "summary")


def read_indicators(reader: Reader, path: Path) -> dict[str, Indicator]:
    return _read_vocabulary(
        reader, path, "indicators", "the indicators items are tagged with", Indicator, "source"
    )


def _read_vocabulary(
    reader: Reader, path: Path, table: str, what: str, kind: Any, extra: str
) -> dict[str, Any]:
    """A ``[table.slug]`` vocabulary file: each entry has a title and one more field."""
    if not path.is_file():
        reader.problem(path, 1, f"missing file: {path.name} lists {what}")
        return {}
    data, _source = reader.read_toml(path)
    return {
        slug: kind(slug, entry.get("title", slug), entry.get(extra, ""))
        for slug, entry in (data or {}).get(table, {}).items()
    }


def read_jurisdictions(reader: Reader, folder: Path) -> dict[str, Jurisdiction]:
    jurisdictions = {}
    for path in sorted(folder.glob("*.toml")):
        data, source = reader.read_toml(path)
        if data is None:
            continue
        code = reader.require(data, source, "code", str, "the country code, e.g. US")
        name = reader.require(data, source, "name", str, "the country's name")
        if code is None or name is None:
            continue
        if code != path.stem:
            reader.problem(
                path,
                source.line_of("code"),
                f"code {code!r} must match the file name {path.stem!r}",
            )
        contacts = []
        for entry in data.get("contacts", []):
            if not entry.get("name") or not entry.get("kind"):
                reader.problem(
                    path, source.line_of("[[contacts]]"), "every contact needs `name` and `kind`"
                )
                continue
            contacts.append(
                Contact(
                    **{k: str(v) for k, v in entry.items() if k in Contact.__dataclass_fields__}
                )
            )
        jurisdictions[code] = Jurisdiction(code, name, tuple(contacts), data.get("note", ""))
    if "international" not in jurisdictions:
        reader.problem(
            folder / "international.toml",
            1,
            "missing file: the international default contacts are required",
        )
    return jurisdictions


def read_curricula(
    reader: Reader, folder: Path, professions: dict[str, Profession], courses: dict[str, Course]
) -> dict[str, Curriculum]:
    curricula: dict[str, Curriculum] = {}
    for path in sorted(folder.glob("*.toml")):
        data, source = reader.read_toml(path)
        if data is None:
            continue
        slug = reader.require(data, source, "slug", str, "the curriculum's short name")
        profession = reader.require(data, source, "profession", str, "a profession")
        course_slugs = reader.strings(data, source, "courses")
        if profession is not None:
            reader.known((profession,), professions, source, "profession", "profession")
        # A course that failed to load has its own problem lines already.
        listed = tuple(c for c in course_slugs if c not in reader.incomplete_courses)
        reader.known(listed, courses, source, "courses", "course")
        if slug is None or profession is None:
            continue
        if slug in curricula:
            reader.problem(path, source.line_of("slug"), f"duplicate curriculum slug {slug!r}")
        default = bool(data.get("default", False))
        if default and any(c.default and c.profession == profession for c in curricula.values()):
            reader.problem(
                path, source.line_of("default"), f"a second default curriculum for {profession!r}"
            )
        curricula[slug] = Curriculum(
            slug, str(data.get("title", slug)), profession, course_slugs, default
        )
    return curricula


def read_requirements(
    reader: Reader,
    folder: Path,
    professions: dict[str, Profession],
    areas: dict[str, ContentArea],
    jurisdictions: dict[str, Jurisdiction],
    licence_types: dict[str, LicenceType],
) -> dict[str, RequirementSet]:
    requirements = {}
    for path in sorted(folder.glob("*.toml")):
        data, source = reader.read_toml(path)
        if data is None:
            continue
        fields = {
            key: reader.require(data, source, key, str, what)
            for key, what in (
                ("slug", "the set's short name"),
                ("title", "its name"),
                ("authority", "who sets the rule"),
                ("jurisdiction", "a jurisdiction such as US-MI"),
                ("citation", "the rule's citation"),
            )
        }
        min_hours = reader.require(data, source, "min_hours", (int, float), "a number of hours")
        renewal = data.get("renewal_years")
        if renewal is not None and (not isinstance(renewal, int) or renewal <= 0):
            reader.problem(
                path,
                source.line_of("renewal_years"),
                "`renewal_years` must be a whole number of years",
            )
        set_professions = reader.strings(data, source, "professions")
        set_areas = reader.strings(data, source, "content_areas")
        set_types = reader.strings(data, source, "licence_types")
        reader.known(set_types, licence_types, source, "licence_types", "licence type")
        reader.known(set_professions, professions, source, "professions", "profession")
        reader.known(set_areas, areas, source, "content_areas", "content area")
        jurisdiction = fields["jurisdiction"]
        if jurisdiction is not None and jurisdiction.split("-")[0] not in jurisdictions:
            reader.problem(
                path,
                source.line_of("jurisdiction"),
                f"unknown jurisdiction {jurisdiction!r}; "
                f"add jurisdictions/{jurisdiction.split('-')[0]}.toml",
            )
        approval_required = _flag(reader, path, data, source, "approval_required", None)
        licence_required = _flag(reader, path, data, source, "licence_required", True)
        if licence_required and not set_types:
            reader.problem(
                path,
                source.line_of("slug"),
                "a licensing rule lists the `licence_types` it covers; for a rule on a "
                "profession without licences, set `licence_required = false`",
            )
        if not licence_required and set_types:
            reader.problem(
                path,
                source.line_of("licence_types"),
                "`licence_types` given but `licence_required = false`: choose one",
            )
        if None in fields.values() or min_hours is None or approval_required is None:
            continue
        requirements[fields["slug"]] = RequirementSet(
            **fields,
            professions=set_professions,
            min_hours=float(min_hours),
            content_areas=set_areas,
            renewal_years=renewal if isinstance(renewal, int) else None,
            note=str(data.get("note", "")),
            licence_types=set_types,
            licence_required=bool(licence_required),
            approval_required=approval_required,
            provider_categories=reader.strings(data, source, "provider_categories"),
            jurisdiction_name=str(data.get("jurisdiction_name", "")),
        )
    return requirements


def _flag(
    reader: Reader, path: Path, data: dict, source: Any, key: str, default: bool | None
) -> bool | None:
    """A true/false field; with no default, the author must say which (None and a problem)."""
    value = data.get(key, default)
    if isinstance(value, bool):
        return value
    if value is None:
        reader.problem(
            path,
            source.line_of("slug"),
            f"`{key}` is missing: say `{key} = true` or `{key} = false`",
        )
    else:
        reader.problem(path, source.line_of(key), f"`{key}` must be true or false")
    return None
