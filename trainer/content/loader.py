"""Read ``courses/`` into a :class:`Catalogue`, reporting every problem as ``path:line: message``.

The loader never stops at the first mistake: an author gets one precise line per
problem. The app refuses to start while any problem remains.
"""

from __future__ import annotations

from pathlib import Path

from trainer.content import vocabularies
from trainer.content.courses import check_links, content_hash, read_course
from trainer.content.model import Catalogue
from trainer.content.reading import ContentError, Problem, Reader
from trainer.quizzes.loading import Vocabulary

__all__ = ["ContentError", "Problem", "load_catalogue", "read_catalogue"]

RESERVED_FOLDERS = {"jurisdictions", "requirements", "curricula"}


def read_catalogue(root: Path) -> tuple[Catalogue | None, list[Problem]]:
    """Read and check everything under ``root``; the catalogue is None when there are problems."""
    reader = Reader(root)
    if not root.is_dir():
        return None, [Problem(str(root), 1, "the courses folder does not exist")]
    professions = vocabularies.read_professions(reader, root / "professions.toml")
    areas = vocabularies.read_areas(reader, root / "content-areas.toml")
    jurisdictions = vocabularies.read_jurisdictions(reader, root / "jurisdictions")
    indicators = vocabularies.read_indicators(reader, root / "indicators.toml")
    vocabulary = Vocabulary(frozenset(areas), frozenset(indicators), frozenset(professions))
    courses = {}
    for folder in sorted(
        p for p in root.iterdir() if p.is_dir() and p.name not in RESERVED_FOLDERS
    ):
        course = read_course(reader, folder, professions, areas, vocabulary)
        if course is None:
            reader.incomplete_courses.add(folder.name)
        else:
            courses[course.slug] = course
    check_links(reader, courses)
    curricula = vocabularies.read_curricula(reader, root / "curricula", professions, courses)
    requirements = vocabularies.read_requirements(
        reader, root / "requirements", professions, areas, jurisdictions
    )
    if reader.problems:
        return None, sorted(reader.problems)
    catalogue = Catalogue(
        professions=professions,
        content_areas=areas,
        jurisdictions=jurisdictions,
        indicators=indicators,
        courses=courses,
        curricula=curricula,
        requirement_sets=requirements,
        version=content_hash(root),
    )
    return catalogue, []


_CACHE: dict[tuple[Path, str], Catalogue] = {}


def load_catalogue(root: Path) -> Catalogue:
    """The catalogue of ``root``, read once per process and content version.

    Raises :class:`ContentError` listing every problem.
    """
    key = (root.resolve(), content_hash(root))
    if key not in _CACHE:
        catalogue, problems = read_catalogue(root)
        if catalogue is None:
            raise ContentError(problems)
        _CACHE[key] = catalogue
    return _CACHE[key]
