"""Courses and their modules: manifests, front matter, links and images."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from trainer.certificates.credits import supported_hours
from trainer.content.model import ContentArea, Course, Module, Reference
from trainer.content.professions import Profession
from trainer.content.reading import Reader, Source
from trainer.content.render import LOCAL_IMAGE, render_module, word_count
from trainer.quizzes.loading import Vocabulary, read_assessment, read_items

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRONT_MATTER_FENCE = "+++"
COURSE_KEYS = {"slug", "title", "language", "summary", "professions", "credit_hours",
               "pass_mark", "objectives", "references", "assessment"}  # fmt: skip
MODULE_KEYS = {"slug", "title", "minutes", "objectives", "content_areas", "content_note"}


def content_hash(folder: Path) -> str:
    """A short hash of every file under ``folder``: the content's version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def read_course(
    reader: Reader,
    folder: Path,
    professions: dict[str, Profession],
    areas: dict[str, ContentArea],
    vocabulary: Vocabulary,
) -> Course | None:
    path = folder / "course.toml"
    if not path.is_file():
        reader.problem(path, 1, "missing course.toml: every course folder needs one")
        return None
    data, source = reader.read_toml(path)
    if data is None:
        return None
    reader.unknown_keys(data, COURSE_KEYS, source)
    slug = reader.require(data, source, "slug", str, "the course's short name")
    title = reader.require(data, source, "title", str, "the course title")
    declared = reader.require(data, source, "credit_hours", (int, float), "a number of hours")
    pass_mark = data.get("pass_mark", 80)
    if slug is not None and slug != folder.name:
        reader.problem(
            path,
            source.line_of("slug"),
            f"slug {slug!r} must match the folder name {folder.name!r}",
        )
    if not isinstance(pass_mark, int) or not 0 < pass_mark <= 100:
        reader.problem(
            path,
            source.line_of("pass_mark"),
            "`pass_mark` must be a whole percentage from 1 to 100",
        )
    course_professions = reader.strings(data, source, "professions")
    if not course_professions:
        reader.problem(
            path, source.line_of("professions"), "`professions` must name at least one profession"
        )
    reader.known(course_professions, professions, source, "professions", "profession")
    references = read_references(reader, data, source)

    problems_before = len(reader.problems)
    modules = _read_modules(reader, folder, areas)
    if len(reader.problems) > problems_before:
        reader.incomplete_courses.add(folder.name)
    if not modules:
        reader.problem(folder / "modules", 1, "the course has no modules (modules/NN-slug.md)")
    minutes = sum(m.minutes for m in modules)
    complete = folder.name not in reader.incomplete_courses
    if complete and isinstance(declared, int | float) and declared > supported_hours(minutes):
        reader.problem(
            path,
            source.line_of("credit_hours"),
            f"credit_hours = {declared} is more than the modules' {minutes} minutes "
            f"support ({supported_hours(minutes)} h, counted in quarter hours)",
        )
    items = read_items(reader, folder, vocabulary)
    assessment = read_assessment(reader, data, source, items)
    if slug is None or title is None or declared is None:
        return None
    return Course(
        slug=slug,
        title=title,
        language=str(data.get("language", "en")),
        summary=str(data.get("summary", "")),
        version=content_hash(folder),
        professions=course_professions,
        declared_hours=float(declared),
        pass_mark=pass_mark if isinstance(pass_mark, int) else 80,
        objectives=reader.strings(data, source, "objectives"),
        modules=tuple(modules),
        references=references,
        items=items,
        assessment=assessment,
    )


def read_references(reader: Reader, data: dict[str, Any], source: Source) -> tuple[Reference, ...]:
    references = []
    for entry in data.get("references", []):
        if not isinstance(entry, dict) or not entry.get("title"):
            reader.problem(
                source.path, source.line_of("[[references]]"), "every reference needs a `title`"
            )
            continue
        year = entry.get("year")
        references.append(
            Reference(
                str(entry["title"]),
                str(entry.get("publisher", "")),
                year if isinstance(year, int) else None,
                str(entry.get("url", "")),
            )
        )
    return tuple(references)


def _read_modules(reader: Reader, folder: Path, areas: dict[str, ContentArea]) -> list[Module]:
    modules: list[Module] = []
    seen: dict[str, Path] = {}
    for path in sorted((folder / "modules").glob("*.md")):
        module = _read_module(reader, path, folder.name, areas)
        if module is None:
            continue
        if module.slug in seen:
            reader.problem(
                path, 2, f"duplicate module slug {module.slug!r} (also in {seen[module.slug].name})"
            )
            continue
        seen[module.slug] = path
        modules.append(module)
    return modules


def split_front_matter(reader: Reader, path: Path, text: str) -> tuple[Source, str, int] | None:
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        reader.problem(path, 1, "a module must start with TOML front matter between `+++` lines")
        return None
    try:
        end = next(
            i for i, line in enumerate(lines[1:], start=1) if line.strip() == FRONT_MATTER_FENCE
        )
    except StopIteration:
        reader.problem(path, 1, "the front matter is not closed: add a `+++` line after it")
        return None
    front = Source(path, "\n".join(lines[1:end]), first_line=2)
    return front, "\n".join(lines[end + 1 :]), end + 2


def _read_module(
    reader: Reader, path: Path, course: str, areas: dict[str, ContentArea]
) -> Module | None:
    split = split_front_matter(reader, path, path.read_text(encoding="utf-8"))
    if split is None:
        return None
    front, body, body_line = split
    data = reader.parse(front)
    if data is None:
        return None
    reader.unknown_keys(data, MODULE_KEYS, front)
    slug = reader.require(data, front, "slug", str, "the module's short name")
    title = reader.require(data, front, "title", str, "the module title")
    minutes = reader.require(data, front, "minutes", int, "a whole number of minutes")
    if slug is not None and not SLUG.match(slug):
        reader.problem(
            path, front.line_of("slug"), f"slug {slug!r} may use only a-z, 0-9 and hyphens"
        )
    if isinstance(minutes, int) and minutes <= 0:
        reader.problem(path, front.line_of("minutes"), "`minutes` must be more than 0")
    content_areas = reader.strings(data, front, "content_areas")
    reader.known(content_areas, areas, front, "content_areas", "content area")
    if not body.strip():
        reader.problem(path, body_line, "the module has no text after its front matter")
    check_images(reader, path, body, body_line, path.parent.parent)
    if slug is None or title is None or minutes is None:
        return None
    return Module(
        slug=slug,
        title=title,
        minutes=minutes,
        objectives=reader.strings(data, front, "objectives"),
        content_areas=content_areas,
        html_parts=render_module(body, course),
        words=word_count(body),
        content_note=str(data.get("content_note", "")),
        path=str(path),
    )


def check_images(reader: Reader, path: Path, body: str, body_line: int, folder: Path) -> None:
    """Every image a module shows must be a file inside its course ``folder``."""
    for offset, line in enumerate(body.splitlines()):
        for match in LOCAL_IMAGE.finditer(line):
            image = (folder / match.group(2)).resolve()
            if not image.is_file() or folder.resolve() not in image.parents:
                reader.problem(path, body_line + offset, f"image not found: {match.group(2)}")


def check_symlinks(reader: Reader, folder: Path) -> None:
    """Report every symbolic link in a course ``folder``, the folder itself included.

    A link can point anywhere the server can read (keys, the database, other
    courses' answer keys); media are served only from real files, and a course
    is made of the files its folder holds, so a link is always a mistake.
    """
    found = [folder] if folder.is_symlink() else []
    if not found:
        for parent, directories, files in os.walk(folder):
            found += [Path(parent) / name for name in (*directories, *files)
                      if (Path(parent) / name).is_symlink()]  # fmt: skip
    for link in sorted(found):
        reader.problem(
            link,
            1,
            f"symbolic link to {os.readlink(link)}: a course folder must hold real files "
            "(copy the file in, then delete the link)",
        )
