"""The interface language: which one a request gets, and the page around it.

The order is the signed-in person's own choice (``users.locale``), then the
``trainer_locale`` cookie set by the language picker, then the browser's
``Accept-Language``, then English. The JSON API always answers in English:
its clients are programs that match on the text, not people.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from babel import Locale
from flask import Flask, Response, current_app, g, has_request_context, request, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

#: The interface languages, each named in its own language (for the picker).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
}
SUPPORTED_LOCALES = tuple(LANGUAGES)
DEFAULT_LOCALE = "en"
#: Parsed once: Flask-Babel takes a ``Locale`` as it is, a code it parses on every request.
_PARSED = {code: Locale.parse(code) for code in LANGUAGES}
RIGHT_TO_LEFT = frozenset(c for c, loc in _PARSED.items() if loc.character_order == "right-to-left")
#: The picker's entries: each language in its own name, script direction and code.
PICKER = tuple(
    {"code": code, "name": name, "dir": "rtl" if code in RIGHT_TO_LEFT else "ltr"}
    for code, name in LANGUAGES.items()
)
COOKIE_NAME = "trainer_locale"
COOKIE_MAX_AGE = 365 * 24 * 3600


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues; it is translated later, where it is shown."""
    return message


def init_app(app: Flask) -> None:
    """Choose each request's language, and give templates the page language and filters."""
    from trainer.extensions import babel
    from trainer.i18n import formatting, labels, plurals
    from trainer.i18n.views import bp

    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT_LOCALE)
    app.context_processor(_page_language)
    app.after_request(_vary_on_language)
    formatting.register_filters(app)
    app.jinja_env.filters["label"] = labels.label
    plurals.register(app)  # the |credit_hours filter
    app.register_blueprint(bp)


def known_locale(value: str | None) -> str | None:
    """``value`` when it names an interface language, else None (unknown values are ignored)."""
    return value if value in LANGUAGES else None


def select_locale() -> Locale | None:
    """The request's interface language; None outside a request (commands use English).

    Runs on every request that renders text, so it only reads what is already at
    hand: the signed-in user (loaded for the page anyway), a cookie, a header.
    It answers with a ready ``Locale``, which Flask-Babel takes as it is instead
    of parsing a code again on every request.
    """
    if not has_request_context():
        return None
    path = request.path
    if path.startswith("/api/") or path.endswith(".json"):
        return _PARSED[DEFAULT_LOCALE]
    if current_user.is_authenticated and (chosen := known_locale(current_user.locale)):
        return _PARSED[chosen]
    if chosen := known_locale(request.cookies.get(COOKIE_NAME)):
        return _PARSED[chosen]
    g.language_from_header = True
    return _PARSED[_from_accept_language(request.headers.get("Accept-Language", ""))]


def _from_accept_language(header: str) -> str:
    """The best interface language for an ``Accept-Language`` value."""
    return _best_match(header, SUPPORTED_LOCALES) or DEFAULT_LOCALE


def browser_language(choices: Iterable[str]) -> str | None:
    """The best of ``choices`` for this request's ``Accept-Language``, or None.

    For content a client negotiates apart from the interface: the JSON API's
    messages are always English, but its courses may come in the language the
    client asks for.
    """
    return _best_match(request.headers.get("Accept-Language", ""), tuple(sorted(choices)))


@lru_cache(maxsize=512)
def _best_match(header: str, choices: tuple[str, ...]) -> str | None:
    # Cached: browsers send the same few values again and again.
    return parse_accept_header(header[:500], LanguageAccept).best_match(choices)


def _vary_on_language(response: Response) -> Response:
    """Tell shared caches that the browser's language chose this response's words."""
    if g.get("language_from_header"):
        response.vary.add("Accept-Language")
    return response


def _page_language() -> dict[str, Any]:
    """``<html lang dir>``, and the language picker's entries and way back."""
    locale = get_locale()
    lang = locale.language if locale is not None else DEFAULT_LOCALE
    return {
        "page_lang": lang,
        "page_dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
        "languages": PICKER,
        "language_return": _return_path,
    }


def _return_path() -> str:
    """Where the picker brings the reader back: this page, when it can be fetched again.

    A page shown after a form was posted (with its errors) may live at an
    address that only accepts POST; then the picker returns to the home page.
    """
    if request.method == "GET":
        return request.full_path.rstrip("?")
    if current_app.url_map.bind_to_environ(request.environ).test(request.path, method="GET"):
        return request.path
    return url_for("learning.home")


def recipient_locale(chosen: str | None) -> str:
    """The language to write to someone in: the one they chose, or English.

    Mail is read later and elsewhere, so the browser that happened to cause it
    (an admin's, a cron job's) says nothing about the reader.
    """
    return known_locale(chosen) or DEFAULT_LOCALE


@contextmanager
def writing_in(chosen: str | None) -> Iterator[None]:
    """Compose text (gettext, dates, numbers) in the reader's language inside this block.

    ``chosen`` is the reader's ``users.locale``; None (no choice made) means English.
    """
    with force_locale(recipient_locale(chosen)):
        yield
