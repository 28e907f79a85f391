"""Phone numbers: checked with ``phonenumbers``, stored E.164, shown international. Pure."""

from __future__ import annotations

import re

import phonenumbers
from flask_babel import gettext as _

#: Emergency and hotline short codes (112, 116 000, 233733) have no country code.
SHORT_CODE = re.compile(r"^\d{3,6}$")


def normalise_phone(value: str) -> tuple[str, str | None]:
    """(stored form, error). Empty stays empty; short codes stay digits; others become E.164."""
    text = value.strip()
    if not text:
        return "", None
    compact = re.sub(r"[\s\-.]", "", text)
    if SHORT_CODE.match(compact):
        return compact, None
    example = "+266 2231 2345"
    if not compact.startswith(("+", "00")):
        return "", _(
            "'%(value)s': write the number with its country code, like %(example)s.",
            value=text,
            example=example,
        )
    try:
        number = phonenumbers.parse("+" + compact[2:] if compact.startswith("00") else compact)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return "", _(
            "'%(value)s' is not a valid phone number; check its digits (for example %(example)s).",
            value=text,
            example=example,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def shown_phone(stored: str) -> str:
    """``+266 2231 2345`` for ``+26622312345``; short codes as they are."""
    if not stored.startswith("+"):
        return stored
    try:
        number = phonenumbers.parse(stored)
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
