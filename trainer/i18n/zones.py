"""Time zones: the one a person reads times in, and the default their region suggests.

``users.timezone`` holds an IANA name the person chose. Until they choose, the
zone follows where they work: the state's or province's zone for the United
States and Canada (where most of its people live: Michigan's four western
counties keep Central time, the state's default is America/Detroit), the
country's zone when it has only one (CLDR's list, through Babel), else UTC.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location

UTC_NAME = "UTC"

_EASTERN, _CENTRAL, _MOUNTAIN, _PACIFIC = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
)


def _states(zone: str, codes: str) -> dict[str, str]:
    return {f"US-{code}": zone for code in codes.split(" ")}


#: A state's or province's zone: the one most of its people live in.
REGION_ZONES: dict[str, str] = {
    **_states(_EASTERN, "CT DC DE FL GA KY MA MD ME NC NH NJ NY OH PA RI SC VA VT WV"),
    **_states(_CENTRAL, "AL AR IA IL KS LA MN MO MS ND NE OK SD TN TX WI"),
    **_states(_MOUNTAIN, "CO MT NM UT WY"),
    **_states(_PACIFIC, "CA NV OR WA"),
    "US-AK": "America/Anchorage",
    "US-AZ": "America/Phoenix",
    "US-HI": "Pacific/Honolulu",
    "US-ID": "America/Boise",
    "US-IN": "America/Indiana/Indianapolis",
    "US-MI": "America/Detroit",
    "US-AS": "Pacific/Pago_Pago",
    "US-GU": "Pacific/Guam",
    "US-MP": "Pacific/Saipan",
    "US-PR": "America/Puerto_Rico",
    "US-VI": "America/St_Thomas",
    "CA-AB": "America/Edmonton",
    "CA-BC": "America/Vancouver",
    "CA-MB": "America/Winnipeg",
    "CA-NB": "America/Moncton",
    "CA-NL": "America/St_Johns",
    "CA-NS": "America/Halifax",
    "CA-NT": "America/Edmonton",
    "CA-NU": "America/Iqaluit",
    "CA-ON": "America/Toronto",
    "CA-PE": "America/Halifax",
    "CA-QC": "America/Toronto",
    "CA-SK": "America/Regina",
    "CA-YT": "America/Whitehorse",
}


@cache
def known_zones() -> frozenset[str]:
    """Every IANA zone this machine's time-zone database holds."""
    return frozenset(available_timezones()) | {UTC_NAME}


def is_zone(name: str | None) -> bool:
    return bool(name) and name in known_zones()


def default_zone(country: str | None, region: str | None) -> str | None:
    """The zone a person in ``region`` (or ``country``) most likely reads times in, or None."""
    if region and region.upper() in REGION_ZONES:
        return REGION_ZONES[region.upper()]
    zones = get_global("territory_zones").get((country or "").upper(), [])
    return zones[0] if len(zones) == 1 and is_zone(zones[0]) else None


def zone_of(chosen: str | None, country: str | None, region: str | None) -> ZoneInfo:
    """The zone to show someone's times in: theirs, the default, or UTC."""
    for name in (chosen, default_zone(country, region)):
        if name and is_zone(name):
            try:
                return _zone(name)
            except ZoneInfoNotFoundError:
                continue
    return _zone(UTC_NAME)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@cache
def zone_choices(language: str, country: str | None) -> dict[str, list[tuple[str, str]]]:
    """Zones named in ``language`` ("hora de Estados Unidos (Detroit)"), the country's first.

    Returned as ``{group label: [(zone, name)]}``; the caller names the groups.
    """
    locale = Locale.parse(language)
    territories = get_global("zone_territories")
    names = {
        zone: str(get_timezone_location(zone, locale=locale))
        for zone in sorted(territories)
        if zone in known_zones()
    }
    own = set(get_global("territory_zones").get((country or "").upper(), []))
    ordered = sorted(names.items(), key=lambda item: item[1].casefold())
    return {
        "country": [item for item in ordered if item[0] in own],
        "all": [(UTC_NAME, UTC_NAME), *(item for item in ordered if item[0] not in own)],
    }
