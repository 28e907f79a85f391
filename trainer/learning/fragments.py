"""Rendered module articles, cached per course version and language, module, locale, country.

A module's article is the same for every reader of one course variant, one
interface language and one country, so it is rendered once and reused. Only the
page around it (the reader's name, progress and the "mark complete" form) is
rendered per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from trainer.content.model import Course, Jurisdiction, Module

MAX_ENTRIES = 2048

V = TypeVar("V")


class RenderCache(Generic[V]):
    """A thread-safe least-recently-used map from a key to something rendered.

    Two threads that miss at once both render; the renders are equal, so the
    second simply replaces the first.
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], V]) -> V:
        """The cached value for ``key``; ``render()`` makes it on first use."""
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None:
                self._entries.move_to_end(key)
                return cached
        value = render()
        with self._lock:
            self._entries[key] = value
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


_articles: RenderCache[Markup] = RenderCache(MAX_ENTRIES)


def article_key(course: Course, module: Module, jurisdiction: Jurisdiction) -> tuple[str, ...]:
    """Everything the article's text depends on. Pages built around it extend this key.

    The course variant's language as well as the interface's: a page in French
    may show the English course when the course has no French variant.
    """
    return (
        course.slug,
        course.version,
        course.language,
        module.slug,
        str(get_locale()),
        jurisdiction.code,
    )


def module_article(course: Course, module: Module, jurisdiction: Jurisdiction) -> Markup:
    """The module's article HTML, rendered on first use."""
    from trainer.learning.pages import hole  # the page module builds on this one

    return _articles.get(
        article_key(course, module, jurisdiction),
        # Safe: the output of an autoescaped template whose module HTML went through nh3.
        lambda: Markup(  # noqa: S704
            render_template(
                "learning/_article.html",
                course=course,
                module=module,
                jurisdiction=jurisdiction,
                # The reader's own directory goes here, filled per request.
                referrals=hole("referrals"),
            )
        ),
    )
