"""Invisible and direction-changing characters in names, licence fields and unit names.

A certificate prints a name, and a board reads it. A right-to-left override
(U+202E) makes "eoD nhoJ" display as "John Doe"; a zero-width space makes two
names that look the same compare different. So these fields refuse:

- Unicode's format characters (category Cf): the bidirectional embeddings,
  overrides and isolates (U+202A to U+202E, U+2066 to U+2069), the marks U+200E,
  U+200F and U+061C, zero-width spaces, soft hyphens, tags, and the like;
- control characters (Cc), line and paragraph separators (Zl, Zp), private-use,
  surrogate and unassigned code points (Co, Cs, Cn);
- the blank "filler" letters that draw nothing (Hangul fillers, the braille blank).

Decided exception: ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D)
are kept when they stand between two letters or marks, which is where Persian,
Hindi, Malayalam, Sinhala and other scripts need them to spell a name right.
Anywhere else (at either end, beside a space or another joiner) they do nothing
visible, and are refused like the rest. Names already stored are shown inside a
``<bdi>`` isolate (see the ``bidi`` template filter), so an old name cannot turn
the text around it either.
"""

from __future__ import annotations

import unicodedata

from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup

JOINERS = frozenset("\u200c\u200d")
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _joins_letters(text: str, index: int) -> bool:
    if index == 0 or index == len(text) - 1:
        return False
    return all(unicodedata.category(text[i])[0] in "LM" for i in (index - 1, index + 1))


def invisible_character(text: str) -> tuple[int, str] | None:
    """The first refused character in ``text`` and its position (1-based), or None."""
    for index, character in enumerate(text):
        if _refused_at(text, index):
            return index + 1, character
    return None


def describe_character(character: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: what a person can look up or search for."""
    name = unicodedata.name(character, "")
    if not name and unicodedata.category(character) == "Cc":
        name = "CONTROL CHARACTER"
    return f"U+{ord(character):04X} {name}".rstrip()


def has_direction_controls(text: str | None) -> bool:
    """Whether ``text`` holds a character that changes how the text around it is laid out."""
    return bool(text) and any(character in BIDI_CONTROLS for character in text or "")


def _refused_at(text: str, index: int) -> bool:
    character = text[index]
    if character in JOINERS and _joins_letters(text, index):
        return False
    return unicodedata.category(character) in _REFUSED_CATEGORIES or character in _BLANK_LETTERS


def invisible_problem(text: str | None, field: str) -> str | None:
    """What to tell whoever typed ``text`` into ``field`` (a label), or None if it is fine."""
    found = invisible_character(text or "")
    if found is None:
        return None
    position, character = found
    return _(
        "%(field)s: character %(position)d is invisible (%(character)s) and could make the "
        "text show differently from what it says. Type it again without that character.",
        field=field,
        position=position,
        character=describe_character(character),
    )


def visible_form(text: str) -> str:
    """``text`` with every refused character written as ``[U+202E]``, so a reader sees it."""
    return "".join(
        f"[U+{ord(character):04X}]" if _refused_at(text, index) else character
        for index, character in enumerate(text)
    )


def shown_text(text: str | None) -> Markup:
    """Template filter ``shown``: escaped, hidden characters made visible, in a ``<bdi>`` isolate.

    The isolate keeps a right-to-left name from reordering the page around it;
    writing the controls out keeps a stored override from reversing the name itself.
    """
    return Markup("<bdi>%s</bdi>") % visible_form(text or "")


def has_hidden_characters(text: str | None) -> bool:
    """Whether ``text`` holds a character these fields refuse today (stored before, or imported)."""
    return invisible_character(text or "") is not None


def init_text_filters(app: Flask) -> None:
    app.add_template_filter(shown_text, "shown")
    app.add_template_test(has_hidden_characters, "hiding_characters")
