"""Course content as frozen dataclasses, built once per process by the loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from trainer.content.languages import SOURCE_LANGUAGE
from trainer.content.licence_types import LicenceType
from trainer.content.professions import Profession

if TYPE_CHECKING:
    from trainer.quizzes.items import Item
    from trainer.quizzes.loading import Assessment

#: Rendered module HTML is split at each ``[[contacts]]`` line; the page puts the
#: learner's own reporting contacts between the parts.
CONTACTS_PLACEHOLDER = "[[contacts]]"


@dataclass(frozen=True)
class ContentArea:
    slug: str
    title: str
    summary: str = ""


@dataclass(frozen=True)
class Indicator:
    slug: str
    title: str
    source: str = ""


@dataclass(frozen=True)
class Contact:
    name: str
    kind: str
    detail: str = ""
    phone: str = ""
    text: str = ""
    url: str = ""


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    contacts: tuple[Contact, ...]
    note: str = ""


@dataclass(frozen=True)
class Reference:
    title: str
    publisher: str = ""
    year: int | None = None
    url: str = ""


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    content_areas: tuple[str, ...]
    html_parts: tuple[str, ...]
    words: int
    content_note: str = ""
    path: str = ""

    @property
    def shows_contacts(self) -> bool:
        return len(self.html_parts) > 1


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    language: str
    summary: str
    version: str
    professions: tuple[str, ...]
    declared_hours: float
    pass_mark: int
    objectives: tuple[str, ...]
    modules: tuple[Module, ...]
    references: tuple[Reference, ...] = ()
    items: tuple[Item, ...] = ()
    #: None when the course has no items: reading every module completes it.
    assessment: Assessment | None = None
    #: Every language the course can be read in, its source language first.
    languages: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return sum(module.minutes for module in self.modules)

    @property
    def content_areas(self) -> tuple[str, ...]:
        """Every area its modules teach, in first-taught order."""
        seen: dict[str, None] = {}
        for module in self.modules:
            seen.update(dict.fromkeys(module.content_areas))
        return tuple(seen)

    @property
    def words(self) -> int:
        return sum(module.words for module in self.modules)

    def module(self, slug: str) -> Module | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def item(self, item_id: str) -> Item | None:
        return self._items_by_id.get(item_id)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        # Grading looks up every item of an attempt, several times: not a scan each time.
        return {item.id: item for item in self.items}


@dataclass(frozen=True)
class Curriculum:
    slug: str
    title: str
    profession: str
    courses: tuple[str, ...]
    default: bool = False


@dataclass(frozen=True)
class RequirementSet:
    """A licensing or ministry rule as data. The authority's own text governs."""

    slug: str
    title: str
    authority: str
    jurisdiction: str
    citation: str
    professions: tuple[str, ...]
    min_hours: float
    content_areas: tuple[str, ...]
    renewal_years: int | None = None
    note: str = ""
    #: The licence types the rule covers; a person whose type is not listed never gets it.
    licence_types: tuple[str, ...] = ()
    #: False only for a rule on a profession without licences (a ministry's police rule).
    licence_required: bool = True
    #: True when only training from an approved or registered provider counts: the
    #: deployment must hold an approval for this rule (deployment data, not content).
    approval_required: bool = True
    #: When set, the approval's provider category must be one of these (Michigan's list).
    provider_categories: tuple[str, ...] = ()
    #: The jurisdiction in words ("Michigan"), for sentences addressed to a learner.
    jurisdiction_name: str = ""


@dataclass(frozen=True)
class Catalogue:
    """Everything in ``courses/``: what the app serves until the process restarts."""

    professions: dict[str, Profession]
    content_areas: dict[str, ContentArea]
    jurisdictions: dict[str, Jurisdiction]
    courses: dict[str, Course]
    indicators: dict[str, Indicator] = field(default_factory=dict)
    curricula: dict[str, Curriculum] = field(default_factory=dict)
    requirement_sets: dict[str, RequirementSet] = field(default_factory=dict)
    #: The licence-type vocabulary (``licence-types.toml``), titles in ``language``.
    licence_types: dict[str, LicenceType] = field(default_factory=dict)
    version: str = ""
    #: The language of the titles and courses above.
    language: str = SOURCE_LANGUAGE
    #: Display names of the classification labels items set themselves, in ``language``.
    #: The source shows a label's slug as words; the interface names the standard ones.
    labels: dict[str, str] = field(default_factory=dict)
    #: The same catalogue in each language it has translations for (this one included),
    #: built once at load time so that every lookup in a page stays a dict lookup.
    localised: dict[str, Catalogue] = field(default_factory=dict)

    def in_language(self, language: str | None) -> Catalogue:
        """Vocabularies and course variants in ``language`` where they exist, else the source's.

        Slugs, versions, curricula and requirement sets are the same in every language.
        """
        return self.localised.get(language or "") or self.localised.get(SOURCE_LANGUAGE, self)

    @property
    def languages(self) -> frozenset[str]:
        """Every language a course or a vocabulary can be read in."""
        return frozenset(self.localised) | {self.language}

    def courses_for(self, profession: str | None) -> list[Course]:
        if not profession:
            return list(self.courses.values())
        return [c for c in self.courses.values() if profession in c.professions]

    def jurisdiction_for(self, country: str | None) -> Jurisdiction:
        """The contacts of ``country``, or the international default."""
        return (
            self.jurisdictions.get((country or "").upper()) or self.jurisdictions["international"]
        )

    def default_curriculum(self, profession: str) -> Curriculum | None:
        return next(
            (c for c in self.curricula.values() if c.profession == profession and c.default),
            None,
        )
