"""Counts in words through ``ngettext``, fractions included ("1 credit hour", "1.5 credit hours").

gettext chooses a plural form from a whole number. Credit hours come in quarters,
so a fraction is given to it as 2: in English and Spanish any fraction reads as
plural, and French uses its plural from 2 as Trainer's catalogue writes it.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import ngettext

from trainer.i18n.formatting import local_number


def plural_count(value: float | int) -> int:
    """The whole number that picks ``value``'s plural form."""
    return int(value) if float(value).is_integer() else 2


def credit_hours(value: float | int) -> str:
    """``1 credit hour``, ``1.25 credit hours``, in the page's language and number format."""
    return ngettext(
        "%(hours)s credit hour", "%(hours)s credit hours", plural_count(value),
        hours=local_number(value),
    )  # fmt: skip


def register(app: Flask) -> None:
    app.jinja_env.filters["credit_hours"] = credit_hours
