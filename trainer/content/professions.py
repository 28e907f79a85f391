"""The professions learners choose from (``courses/professions.toml``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profession:
    slug: str
    title: str
    summary: str = ""
    licence_types: tuple[str, ...] = ()
    #: When to choose it, shown beside the question at registration.
    hint: str = ""
