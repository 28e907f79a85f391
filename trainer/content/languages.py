"""Language codes, and the names learners and boards read them by."""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError

#: The language the vocabularies in ``courses/`` are written in.
SOURCE_LANGUAGE = "en"
#: A translation folder's name: a language code, optionally with a region (``es``, ``pt-BR``).
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


@functools.lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """The language's name in itself, as its speakers look for it: "Español", "English"."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name() or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def language_label(code: str) -> str:
    """A name and its code, unambiguous on a certificate: "Español (es)"."""
    return f"{language_name(code)} ({code})"
