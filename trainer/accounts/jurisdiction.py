"""Where a learner works: country (ISO 3166-1) and state or province (ISO 3166-2).

Licensing rules key on the subdivision ("US-MI"), so a wrong or missing region
silently changes what a certificate may claim. The subdivisions come from
``pycountry``, which packages Debian's ``iso-codes`` (the ISO 3166-2 list kept up
to date, with names translated in every interface language). Countries come
from CLDR through Babel, as the registration form names them.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import cache

import pycountry
from babel import Locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

#: Countries whose region is always asked: their licensing rules are set per
#: state or province. Requirement sets add the countries of their own jurisdictions.
REGION_COUNTRIES = frozenset({"US", "CA"})

# Codes in CLDR's territory list that are not countries a person lives in.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@cache
def countries() -> frozenset[str]:
    """Every two-letter country code a person can give (CLDR's territories)."""
    territories = Locale.parse("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def country_name(code: str | None, language: str = "en") -> str:
    """``Mexique`` for ``MX`` in French; the code itself when CLDR has no name."""
    if not code:
        return ""
    return str(Locale.parse(language).territories.get(code, code))


def region_countries(jurisdictions: Iterable[str] = ()) -> frozenset[str]:
    """:data:`REGION_COUNTRIES` and the country of every rule set for a subdivision."""
    keyed = {j.split("-", 1)[0] for j in jurisdictions if "-" in j}
    return REGION_COUNTRIES | keyed


@cache
def _top_level(country: str) -> tuple[str, ...]:
    """The subdivision codes of ``country`` that are not part of another one."""
    found = pycountry.subdivisions.get(country_code=country) or []
    return tuple(sorted(s.code for s in found if not s.parent_code))


def subdivision_codes(country: str) -> tuple[str, ...]:
    """Every top-level subdivision of ``country`` (states, provinces, territories)."""
    return _top_level(country.upper())


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def region_name(code: str | None, language: str = "en") -> str:
    """``Michigan`` (``Míchigan`` in Spanish) for ``US-MI``; empty for no region."""
    if not code:
        return ""
    subdivision = pycountry.subdivisions.get(code=code)
    if subdivision is None:
        return code
    return _translation(language).gettext(subdivision.name)


@cache
def regions(country: str, language: str = "en") -> tuple[tuple[str, str], ...]:
    """``(code, name)`` for each top-level subdivision, ordered by name in ``language``."""
    named = [(code, region_name(code, language)) for code in subdivision_codes(country)]
    return tuple(sorted(named, key=lambda item: item[1].casefold()))


def normalise_region(region: str | None, country: str | None) -> str | None:
    """``US-MI`` from ``us-mi``, or from ``MI`` when the country is known; None for blank."""
    value = "".join((region or "").split()).upper()
    if not value:
        return None
    if "-" not in value and country:
        value = f"{country.upper()}-{value}"
    return value


def region_problem(region: str, country: str | None) -> str | None:
    """Why ``region`` cannot be the region of ``country`` (in English), or None.

    Callers translate: the form and the CSV check show their own words.
    """
    subdivision = pycountry.subdivisions.get(code=region)
    if subdivision is None:
        return "unknown"
    if country and subdivision.country_code != country.upper():
        return "other_country"
    return None


def country_from_language(header: str) -> str | None:
    """The country of the browser's first language with a region: ``es-MX`` gives ``MX``.

    Only the most preferred language counts (``fr, fr-CA`` gives ``CA``); ``fr``
    alone, or ``fr, en-US``, says nothing about where the person works: None.
    """
    accepted = [language for language, _q in parse_accept_header(header[:500], LanguageAccept)]
    first = accepted[0].replace("_", "-").split("-")[0].lower() if accepted else ""
    for language in accepted:
        parts = language.replace("_", "-").split("-")
        if parts[0].lower() != first:
            break  # "fr, en-US": a French speaker, not necessarily in the United States
        if len(parts) > 1 and parts[-1].upper() in countries():
            return parts[-1].upper()
    return None
