"""The professions learners choose from, read from ``courses/professions.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Profession:
    slug: str
    title: str
    summary: str = ""
    licence_types: tuple[str, ...] = ()


def load_professions(courses_dir: Path) -> dict[str, Profession]:
    """Professions in file order. Raises ``ValueError`` naming the file on bad TOML."""
    path = courses_dir / "professions.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: {error}") from error
    return {
        slug: Profession(
            slug=slug,
            title=entry["title"],
            summary=entry.get("summary", ""),
            licence_types=tuple(entry.get("licence_types", ())),
        )
        for slug, entry in data.get("professions", {}).items()
    }
