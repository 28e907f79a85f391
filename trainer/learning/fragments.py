"""Rendered module articles, cached per course version and language, module, locale, country.

A module's article is the same for every reader of one course variant, one
interface language and one country, so it is rendered once and reused. Only the
page around it (the reader's name, progress and the "mark complete" form) is
rendered per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from trainer.content.model import Course, Jurisdiction, Module

MAX_ENTRIES = 2048

_cache: OrderedDict[tuple[str, ...], Markup] = OrderedDict()
_lock = threading.Lock()


def module_article(course: Course, module: Module, jurisdiction: Jurisdiction) -> Markup:
    """The module's article HTML, rendered on first use."""
    # The course variant's language as well as the interface's: a page in French
    # may show the English course when the course has no French variant.
    key = (
        course.slug,
        course.version,
        course.language,
        module.slug,
        str(get_locale()),
        jurisdiction.code,
    )
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    # Safe: the output of an autoescaped template whose module HTML went through nh3.
    html = Markup(  # noqa: S704
        render_template(
            "learning/_article.html", course=course, module=module, jurisdiction=jurisdiction
        )
    )
    with _lock:
        _cache[key] = html
        if len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return html
