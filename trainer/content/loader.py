"""Read ``courses/`` into a :class:`Catalogue`, reporting every problem as ``path:line: message``.

The loader never stops at the first mistake: an author gets one precise line per
problem. The app refuses to start while any problem remains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from trainer.content import cache as disk_cache
from trainer.content import vocabularies
from trainer.content.courses import check_symlinks, content_hash, read_course
from trainer.content.languages import SOURCE_LANGUAGE
from trainer.content.licence_types import check_profession_types, read_licence_types
from trainer.content.links import check_links
from trainer.content.localised import Vocabularies, read_localised
from trainer.content.model import Catalogue, Course
from trainer.content.reading import ContentError, Problem, Reader
from trainer.content.translations import read_variants
from trainer.quizzes.items import DEFAULT_LABELS
from trainer.quizzes.loading import Vocabulary

__all__ = ["ContentError", "Problem", "load_catalogue", "read_catalogue"]

RESERVED_FOLDERS = {"jurisdictions", "requirements", "curricula", "translations"}


def read_catalogue(root: Path) -> tuple[Catalogue | None, list[Problem]]:
    """Read and check everything under ``root``; the catalogue is None when there are problems."""
    reader = Reader(root)
    if not root.is_dir():
        return None, [Problem(str(root), 1, "the courses folder does not exist")]
    professions = vocabularies.read_professions(reader, root / "professions.toml")
    licence_types = read_licence_types(reader, root / "licence-types.toml", professions)
    check_profession_types(reader, root / "professions.toml", professions, licence_types)
    source = Vocabularies(
        language=SOURCE_LANGUAGE,
        professions=professions,
        content_areas=vocabularies.read_areas(reader, root / "content-areas.toml"),
        jurisdictions=vocabularies.read_jurisdictions(reader, root / "jurisdictions"),
        indicators=vocabularies.read_indicators(reader, root / "indicators.toml"),
        labels={},
        curricula={},  # read once the courses they list are known
        licence_types=licence_types,
    )
    courses, variants = _read_courses(reader, root, source)
    check_links(reader, courses, variants)
    curricula = vocabularies.read_curricula(reader, root / "curricula", source.professions, courses)
    source = replace(source, curricula=curricula)
    localised = read_localised(reader, root, source, _item_labels(courses.values()))
    requirements = vocabularies.read_requirements(
        reader,
        root / "requirements",
        source.professions,
        source.content_areas,
        source.jurisdictions,
        source.licence_types,
    )
    if reader.problems:
        return None, sorted(reader.problems)
    catalogue = Catalogue(
        professions=source.professions,
        content_areas=source.content_areas,
        jurisdictions=source.jurisdictions,
        indicators=source.indicators,
        courses=courses,
        curricula=curricula,
        requirement_sets=requirements,
        licence_types=source.licence_types,
        version=content_hash(root),
    )
    _localise(catalogue, variants, localised)
    return catalogue, []


def _read_courses(
    reader: Reader, root: Path, source: Vocabularies
) -> tuple[dict[str, Course], dict[str, dict[str, Course]]]:
    """Every course in its own language, and every course by language, variants included."""
    vocabulary = Vocabulary(
        frozenset(source.content_areas), frozenset(source.indicators), frozenset(source.professions)
    )
    courses: dict[str, Course] = {}
    variants: dict[str, dict[str, Course]] = {}
    for folder in sorted(
        p for p in root.iterdir() if p.is_dir() and p.name not in RESERVED_FOLDERS
    ):
        check_symlinks(reader, folder)
        course = read_course(reader, folder, source.professions, source.content_areas, vocabulary)
        if course is None:
            reader.incomplete_courses.add(folder.name)
            continue
        found = read_variants(reader, folder, course, vocabulary)
        languages = (course.language, *sorted(found))
        variants[course.slug] = {
            language: replace(variant, languages=languages)
            for language, variant in {course.language: course, **found}.items()
        }
        courses[course.slug] = variants[course.slug][course.language]
    return courses, variants


def _item_labels(courses: Iterable[Course]) -> set[str]:
    """The classification labels items set themselves, beyond the interface's standard five."""
    return {
        label
        for course in courses
        for item in course.items
        if item.type == "classification"
        for label in item.spec.labels
    } - set(DEFAULT_LABELS)


def _localise(
    catalogue: Catalogue,
    variants: dict[str, dict[str, Course]],
    localised: dict[str, Vocabularies],
) -> None:
    """One copy of the catalogue per language, sharing everything but what is translated."""
    languages = {catalogue.language, *localised}
    languages.update(language for found in variants.values() for language in found)
    for language in sorted(languages):
        words = localised.get(language)
        translated = (
            {}
            if words is None
            else {
                "professions": words.professions,
                "content_areas": words.content_areas,
                "indicators": words.indicators,
                "jurisdictions": words.jurisdictions,
                "labels": words.labels,
                "curricula": words.curricula,
                "licence_types": words.licence_types,
            }
        )
        catalogue.localised[language] = (
            catalogue
            if language == catalogue.language
            else replace(
                catalogue,
                language=language,
                courses={
                    slug: found.get(language, catalogue.courses[slug])
                    for slug, found in variants.items()
                },
                **translated,
            )
        )


_CACHE: dict[tuple[Path, str], Catalogue] = {}


def load_catalogue(root: Path, cache_folder: Path | None = None) -> Catalogue:
    """The catalogue of ``root``, read once per process and content version.

    With ``cache_folder`` (the app's instance folder), a catalogue validated by an
    earlier start with the same content and code is read back from there instead
    of parsed again (``trainer/content/cache.py``). Raises :class:`ContentError`
    listing every problem.
    """
    key = (root.resolve(), disk_cache.cache_key(root))
    if key in _CACHE:
        return _CACHE[key]
    catalogue = disk_cache.read_cached(cache_folder, key[1]) if cache_folder else None
    if catalogue is None:
        catalogue, problems = read_catalogue(root)
        if catalogue is None:
            raise ContentError(problems)
        if cache_folder is not None:
            disk_cache.write_cached(cache_folder, key[1], catalogue)
    _CACHE[key] = catalogue
    return catalogue
