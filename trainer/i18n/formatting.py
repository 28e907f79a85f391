"""Dates and numbers as a reader of the page's language writes them.

Templates use these filters for what people read; machine-readable places (the
JSON API, CSV exports, ``<time datetime>``) keep ISO 8601 and plain numbers.
A signed-in person reads times in their own zone (``users.timezone``, or the one
their region suggests; see :mod:`trainer.i18n.zones`), always with its offset
("9:30 AM UTC-5", with a true minus sign); where a moment matters to others too
(a deadline, a cool-down, the audit log) ``datetime_utc`` adds the same moment
in UTC. Everyone else, and everything outside a request (mail, commands), reads
UTC. A *date* (a completion date, a due date) is a calendar day and is shown as
it is, in no zone. Outside a request the language is English.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from flask import Flask, g, has_request_context
from flask_babel import get_locale
from flask_login import current_user

from trainer.i18n import DEFAULT_LOCALE
from trainer.i18n.zones import UTC_NAME, zone_of


def _locale() -> Locale:
    return get_locale() or Locale.parse(DEFAULT_LOCALE)


def _as_date(value: date | str) -> date:
    # The verify page shares its view with the JSON API, which carries ISO strings.
    return date.fromisoformat(value) if isinstance(value, str) else value


def reader_zone() -> ZoneInfo:
    """The zone the person reading this page reads times in; UTC outside a request."""
    if not has_request_context():
        return ZoneInfo(UTC_NAME)
    if "reader_zone" not in g:
        user = current_user
        signed_in = user is not None and user.is_authenticated
        g.reader_zone = (
            zone_of(user.timezone, user.country, user.region) if signed_in else ZoneInfo(UTC_NAME)
        )
    zone: ZoneInfo = g.reader_zone
    return zone


def offset_label(moment: datetime) -> str:
    """``UTC-5`` (a true minus sign), ``UTC+5:30``, ``UTC``: an aware time's offset."""
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local_date(value: date | datetime | str | None, zone: ZoneInfo | None = None) -> str:
    """``22 nov. 2026`` in French, ``Nov 22, 2026`` in English.

    A ``datetime`` is first moved to the reader's zone (or ``zone``): 23:30 UTC on
    the 22nd is the 22nd in Detroit and the 23rd in Nairobi. A ``date`` stays the
    calendar day it is.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _aware(value).astimezone(zone or reader_zone()).date()
    return format_date(_as_date(value), "medium", locale=_locale())


def local_datetime(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    """A date and a time to the minute in the reader's zone: ``22 nov. 2026, 09:30 UTC-5``."""
    if value is None:
        return ""
    moment = _aware(value).astimezone(zone or reader_zone())
    locale = _locale()
    time = f"{format_time(moment, 'short', locale=locale)} {offset_label(moment)}"
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{0}", time).replace("{1}", local_date(moment, moment.tzinfo))


def local_datetime_utc(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    """The reader's time with UTC beside it: ``Nov 22, 2026, 9:30 AM UTC-5 (2:30 PM UTC)``.

    For moments others read too (deadlines, cool-downs, the audit log). The UTC
    part names its date when the day differs. A reader in UTC gets one time.
    """
    if value is None:
        return ""
    moment = _aware(value).astimezone(zone or reader_zone())
    shown = local_datetime(moment, moment.tzinfo)  # type: ignore[arg-type]
    utc = moment.astimezone(UTC)
    if not moment.utcoffset():
        return shown
    locale = _locale()
    if utc.date() == moment.date():
        return f"{shown} ({format_time(utc, 'short', locale=locale)} UTC)"
    return f"{shown} ({local_datetime(utc, ZoneInfo(UTC_NAME))})"


def _aware(value: datetime) -> datetime:
    # The database hands back aware UTC times; a naive one here is taken as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local_number(value: float | None) -> str:
    """``1,25`` in French and Spanish, ``1.25`` in English; ``10 000`` and ``10,000``."""
    return "" if value is None else format_decimal(value, locale=_locale())


def local_percent(value: float | None) -> str:
    """A percentage given as 0 to 100, as the project stores them: ``85 %`` in French."""
    if value is None:
        return ""
    # Without quantisation 85.5 stays 85.5 rather than rounding to the pattern's 86; divided
    # as a decimal, so 33.3 shows as 33.3 % and not as the float 33.299999999999996 %.
    share = Decimal(str(value)) / 100
    return format_percent(share, locale=_locale(), decimal_quantization=False)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=local_date,
        datetime=local_datetime,
        datetime_utc=local_datetime_utc,
        number=local_number,
        percent=local_percent,
    )
