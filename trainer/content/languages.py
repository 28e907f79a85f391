"""Language codes, and the names learners and boards read them by."""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError

#: The language the vocabularies in ``courses/`` are written in.
SOURCE_LANGUAGE = "en"
#: A translation folder's name: a language code, optionally with a region (``es``, ``pt-BR``).
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


@functools.lru_cache(maxsize=256)
def language_name(code: str, in_language: str | None = None) -> str:
    """The language's name in itself, as its speakers look for it ("Español", "English"),
    or as ``in_language`` calls it (``language_name("en", "fr")`` is "Anglais")."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
        name = locale.get_display_name(in_language.replace("-", "_") if in_language else None)
    except (ValueError, UnknownLocaleError):
        return code
    return (name or code)[:1].upper() + (name or code)[1:]


def language_label(code: str) -> str:
    """A name and its code, unambiguous on a certificate: "Español (es)"."""
    return f"{language_name(code)} ({code})"
