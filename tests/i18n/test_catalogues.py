"""The catalogues: complete in French and Spanish, compiled, and safe to format.

"Fresh" means extracted now from the code, exactly as the README's ``pybabel
extract`` command does, so a message added without updating the catalogues, or
a catalogue edited without compiling it, fails here.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "trainer" / "translations"
#: The README's extract command adds these keywords to Babel's defaults.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
COMPLETE = ("fr", "es")
#: The Arabic skeleton proves right-to-left: these templates must be wholly Arabic.
ARABIC_TEMPLATES = (
    "base.html",
    "_forms.html",
    "learning/home.html",
    "accounts/login.html",
    "errors/error.html",
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%%")


@cache
def extracted() -> tuple[tuple[str, str | tuple[str, ...]], ...]:
    """(file, message id) for every message in the code now."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return tuple(
        (filename, message if isinstance(message, str) else tuple(message))
        for filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "trainer"), method_map, options_map, keywords=KEYWORDS
        )
    )


def fresh_messages(only: tuple[str, ...] = ()) -> set[str | tuple[str, ...]]:
    """Every message id in the code now, or in the files whose paths end with ``only``."""
    return {msgid for filename, msgid in extracted() if not only or filename.endswith(only)}


def catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def translations_of(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def fresh() -> set:
    return fresh_messages()


@pytest.mark.parametrize("locale", COMPLETE)
def test_every_message_is_translated(fresh, locale):
    translated = catalogue(locale)
    missing, empty, fuzzy = [], [], []
    for msgid in fresh:
        message = translated.get(msgid)
        if message is None:
            missing.append(msgid)
        elif not all(text.strip() for text in translations_of(message)):
            empty.append(msgid)
        elif message.fuzzy:
            fuzzy.append(msgid)
    assert (missing, empty, fuzzy) == ([], [], []), "run pybabel update, then translate"


@pytest.mark.parametrize("locale", ["fr", "es", "ar"])
def test_translations_keep_the_placeholders_and_format_cleanly(locale):
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = set().union(*(placeholders(i) for i in ids))
        texts = [t for t in translations_of(message) if t]
        for text in texts:
            # Jinja formats every message (newstyle gettext), so a stray % would fail the page.
            text % defaultdict(lambda: 1)
            if isinstance(message.id, str):
                assert placeholders(text) == expected, (message.id, text)
            else:  # a plural form may leave the number to the words ("one attempt")
                assert placeholders(text) <= expected, (message.id, text)
        if texts and not isinstance(message.id, str):
            assert set().union(*(placeholders(t) for t in texts)) == expected, message.id


def test_the_arabic_skeleton_covers_the_layout_home_and_sign_in():
    arabic = catalogue("ar")
    untranslated = [
        msgid
        for msgid in fresh_messages(ARABIC_TEMPLATES)
        if arabic.get(msgid) is None or not all(translations_of(arabic.get(msgid)))
    ]
    assert untranslated == []
    assert re.search(r"[\u0600-\u06ff]", arabic.get("Sign in").string)


def messages_of(catalog: Catalog) -> dict[str | tuple[str, ...], tuple[str, ...]]:
    """Each message id with its translations, as a compiled catalogue answers them.

    Compared by content, not bytes: a newer Babel may write the same messages
    into a ``.mo`` file in another layout (headers, order, padding).
    """
    return {
        message.id if isinstance(message.id, str) else tuple(message.id): tuple(
            translations_of(message)
        )
        for message in catalog
        if message.id and not message.fuzzy and any(translations_of(message))
    }


@pytest.mark.parametrize("locale", ["fr", "es", "ar"])
def test_each_compiled_catalogue_matches_its_source(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        committed = read_mo(mo)
    compiled = read_mo(io.BytesIO(_compiled(catalogue(locale))))
    assert messages_of(committed) == messages_of(compiled), (
        "run pybabel compile -d trainer/translations"
    )


def _compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def test_fresh_extraction_finds_the_interface_messages(fresh):
    assert "Skip to main content" in fresh  # a template
    assert "The passwords differ." in fresh  # a lazy form message
    assert "Please sign in to see this page." in fresh  # marked with N_
    assert ("%(num)d module", "%(num)d modules") in fresh
    assert len(fresh) > 500
