"""Checking what a person says about their work before it is stored.

A certificate's rules follow the profession, the country and region, and the
licence type. A value that is unknown, or that does not fit with the others
(a Michigan region for a Canadian, a cosmetology licence for a police officer),
would make a certificate claim the wrong thing without anyone noticing; so every
way in (registration, the account page, ``trainer users create``, the CSV
enrolment) goes through :func:`profile_problems` and says what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from trainer.accounts.jurisdiction import (
    countries,
    country_name,
    normalise_region,
    region_countries,
    region_problem,
    subdivision_codes,
)
from trainer.content.licence_types import LicenceType
from trainer.content.model import Catalogue
from trainer.content.professions import Profession

#: The licence answer of someone who holds none: stored as no licence type.
NO_LICENCE = "none"


@dataclass(frozen=True)
class ProfileVocabulary:
    """What a profile may name, from the catalogue."""

    professions: dict[str, Profession]
    licence_types: dict[str, LicenceType]
    region_countries: frozenset[str]
    #: The language messages name countries in (the catalogue's, the page's).
    language: str = "en"

    @classmethod
    def of(cls, catalogue: Catalogue) -> ProfileVocabulary:
        jurisdictions = (r.jurisdiction for r in catalogue.requirement_sets.values())
        return cls(
            catalogue.professions,
            catalogue.licence_types,
            region_countries(jurisdictions),
            catalogue.language,
        )

    def asks_licence(self, profession: str | None) -> bool:
        """Whether people of ``profession`` may hold a licence from the vocabulary."""
        found = self.professions.get(profession or "")
        return bool(found and found.licence_types)


@dataclass(frozen=True)
class ProfileAnswers:
    """The fields a profile check looks at, as given (blank means not given)."""

    profession: str | None = None
    country: str | None = None
    region: str | None = None
    licence_type: str | None = None
    licence_number: str | None = None
    licensing_board: str | None = None


def profile_problems(
    answers: ProfileAnswers, vocabulary: ProfileVocabulary, *, complete: bool
) -> list[tuple[str, str]]:
    """``(field, message)`` for each thing to fix; empty when the profile may be stored.

    ``complete``: the person answers for themselves (registration, account page),
    so a profession, a country, the region where rules need it and a licence
    answer are required. Commands and staff lists only check what they give.
    """
    found: list[tuple[str, str]] = []
    profession = answers.profession or ""
    if profession and profession not in vocabulary.professions:
        found.append(("profession", _("Unknown profession; choose one from the list.")))
    elif complete and not profession:
        found.append(("profession", _("Choose your profession: it decides your courses.")))
    found += _place_problems(answers, vocabulary, complete=complete)
    found += _licence_problems(answers, vocabulary, complete=complete)
    return found


def _place_problems(
    answers: ProfileAnswers, vocabulary: ProfileVocabulary, *, complete: bool
) -> list[tuple[str, str]]:
    country = (answers.country or "").upper()
    region = normalise_region(answers.region, country)
    if country and country not in countries():
        return [("country", _("Unknown country code; use two letters such as US or CA."))]
    if not country:
        if region:
            return []  # the country is taken from the region's code
        return [("country", _("Choose the country where you work."))] if complete else []
    if region:
        problem = region_problem(region, country)
        if problem == "unknown":
            return [("region", _("Unknown state or province code; use one such as US-MI."))]
        if problem == "other_country":
            message = _(
                "%(region)s is not in %(country)s; choose a state or province of that country.",
                region=region,
                country=country_name(country, vocabulary.language),
            )
            return [("region", message)]
        return []
    if complete and country in vocabulary.region_countries and subdivision_codes(country):
        message = _("Choose your state or province: the licensing rules that apply follow it.")
        return [("region", message)]
    return []


def _licence_problems(
    answers: ProfileAnswers, vocabulary: ProfileVocabulary, *, complete: bool
) -> list[tuple[str, str]]:
    licence_type = answers.licence_type or ""
    profession = answers.profession or ""
    holds_none = licence_type == NO_LICENCE
    if holds_none and (answers.licence_number or answers.licensing_board):
        message = _(
            "You chose “I hold no licence”: choose your licence type, "
            "or leave the licence number and board empty."
        )
        return [("licence_type", message)]
    if not licence_type:
        if complete and vocabulary.asks_licence(profession):
            message = _("Choose your licence type, or “I hold no licence”.")
            return [("licence_type", message)]
        return []
    if holds_none:
        return []
    known = vocabulary.licence_types.get(licence_type)
    if known is None:
        return [("licence_type", _("Unknown licence type; choose one from the list."))]
    if profession and profession in vocabulary.professions and profession not in known.professions:
        message = _(
            "A %(licence)s licence does not go with the profession %(profession)s. "
            "Choose one of: %(professions)s.",
            licence=known.title,
            profession=vocabulary.professions[profession].title,
            professions=", ".join(
                vocabulary.professions[p].title
                for p in known.professions
                if p in vocabulary.professions
            ),
        )
        return [("licence_type", message)]
    return []


#: The ``trainer users create`` option for each profile field.
OPTIONS = {
    "profession": "--profession",
    "country": "--country",
    "region": "--region",
    "licence_type": "--licence-type",
}


def command_profile_problem(profile: Any, role: str, catalogue: Catalogue) -> str | None:
    """What is wrong with a profile given on the command line, naming the option; or None.

    Only what is given is checked, except that a learner in a country whose rules
    follow the state or province needs ``--region``: without it their certificates
    would silently list no state rule.
    """
    vocabulary = ProfileVocabulary.of(catalogue)
    answers = ProfileAnswers(
        profession=profile.profession,
        country=profile.country,
        region=profile.region,
        licence_type=profile.licence_type,
        licence_number=profile.licence_number,
        licensing_board=profile.licensing_board,
    )
    problems = profile_problems(answers, vocabulary, complete=False)
    if problems:
        field, message = problems[0]
        known = ""
        if field == "licence_type":
            known = f" Known: {NO_LICENCE}, {', '.join(vocabulary.licence_types)}."
        return f"{OPTIONS[field]}: {message}{known}"
    country = (profile.country or "").upper()
    if role == "learner" and country in vocabulary.region_countries and not profile.region:
        example = {"US": "US-MI", "CA": "CA-ON"}.get(country) or next(
            iter(subdivision_codes(country)), f"{country}-…"
        )
        return (
            f"--region: a learner in {country} needs a state or province, e.g. --region "
            f"{example}: the licensing rules that apply follow it."
        )
    return None
