"""Dates and numbers as a reader of the page's language writes them.

Templates use these filters for what people read; machine-readable places (the
JSON API, CSV exports, ``<time datetime>``) keep ISO 8601 and plain numbers.
Times are shown in UTC, and the pages say so. Outside a request (commands, pure
functions under test) the language is English.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from flask import Flask
from flask_babel import get_locale

from trainer.i18n import DEFAULT_LOCALE


def _locale() -> Locale:
    return get_locale() or Locale.parse(DEFAULT_LOCALE)


def _as_date(value: date | str) -> date:
    # The verify page shares its view with the JSON API, which carries ISO strings.
    return date.fromisoformat(value) if isinstance(value, str) else value


def local_date(value: date | datetime | str | None) -> str:
    """``22 nov. 2026`` in French, ``Nov 22, 2026`` in English."""
    if value is None or value == "":
        return ""
    return format_date(_as_date(value), "medium", locale=_locale())


def local_datetime(value: datetime | None) -> str:
    """A date and a time to the minute, ``22 nov. 2026, 14:30`` (UTC)."""
    if value is None:
        return ""
    locale = _locale()
    time = format_time(value, "short", locale=locale)
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{0}", time).replace("{1}", local_date(value))


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
        number=local_number,
        percent=local_percent,
    )
