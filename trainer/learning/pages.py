"""The module page from a cached skeleton: rendered once, filled in per request.

The module page is the most-read page of the site. For every reader who shares
its course version, module, interface locale, country and menu (anonymous, or
the role and organisation the navigation shows) it is the same but for four
things: the CSRF token, flashed messages, the progress bar and the "done / mark
complete" line. So it is rendered once per such key with unguessable markers
("holes") where those go, and each request joins the cached parts with its own
values: a string join instead of a template render (bench/RESULTS.md has the
figures).

The key extends the article's key (``fragments.article_key``), so whatever
varies the article varies the page. Progress is never cached: it is read per
request and filled into its hole, so a completed module shows at once.
``render_module_page`` renders the same page without the cache; a test checks
the two agree for every kind of reader.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app, get_flashed_messages, get_template_attribute, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from trainer.content.model import Course, Jurisdiction, Module
from trainer.learning.fragments import RenderCache, article_key, module_article
from trainer.learning.progress import CourseProgress
from trainer.referrals.display import referral_fragment
from trainer.security import csrf_token

MAX_PAGES = 1024
EXTENSION_KEY = "trainer.module_pages"

# Private-use characters around a per-process random tag: no author, learner or
# translator can put a marker into the page by accident or on purpose.
_TAG = "\ue000" + secrets.token_hex(8)
_MARKER = re.compile(re.escape(_TAG) + r":(\w+)\ue001")


def hole(name: str) -> Markup:
    """The marker for the hole ``name``, to render in place of a per-request value."""
    return Markup(f"{_TAG}:{name}\ue001")  # noqa: S704 (no user input in a marker)


@dataclass(frozen=True)
class Skeleton:
    """Rendered HTML cut at its holes: text, hole name, text, ..., text.

    The text is also kept encoded, so a filled page needs only its holes encoded.
    """

    parts: tuple[str, ...]
    encoded: tuple[bytes, ...]

    @classmethod
    def of(cls, html: str) -> Skeleton:
        parts = tuple(_MARKER.split(html))
        return cls(parts, tuple(part.encode() for part in parts))

    def fill(self, value_of: Callable[[str], str]) -> str:
        parts = list(self.parts)
        for index in range(1, len(parts), 2):
            parts[index] = value_of(parts[index])
        return "".join(parts)

    def fill_encoded(self, value_of: Callable[[str], str]) -> bytes:
        """``fill`` as UTF-8, without encoding the whole page again."""
        parts = list(self.encoded)
        for index in range(1, len(parts), 2):
            parts[index] = value_of(self.parts[index]).encode()
        return b"".join(parts)


def module_page(
    course: Course, module: Module, jurisdiction: Jurisdiction, progress: CourseProgress | None
) -> bytes:
    """The module page for the current reader (UTF-8 HTML), from the cache when it can."""
    cache = _cache()
    key = ("page", *article_key(course, module, jurisdiction), *menu_key(current_user))
    skeleton = cache.get(
        key, lambda: Skeleton.of(render_module_page(course, module, jurisdiction, hole))
    )
    return skeleton.fill_encoded(_Holes(course, module, progress, cache).value)


def render_module_page(
    course: Course,
    module: Module,
    jurisdiction: Jurisdiction,
    value_of: Callable[[str], Markup],
) -> str:
    """The module page with ``value_of(name)`` in each hole (markers, or the real values)."""
    index = course.modules.index(module)
    article = module_article(course, module, jurisdiction)
    if value_of is not hole:  # uncached: the article's own holes get their values too
        article = Markup(Skeleton.of(article).fill(value_of))  # noqa: S704 (rendered)
    return render_template(
        "learning/module.html",
        course=course,
        module=module,
        number=index + 1,
        previous=course.modules[index - 1] if index > 0 else None,
        next=course.modules[index + 1] if index + 1 < len(course.modules) else None,
        article=article,
        holes=_Lookup(value_of),
        # base.html's sign-out form asks for the token through this global.
        csrf_token=lambda: value_of("csrf"),
    )


def uncached_holes(course: Course, module: Module, progress: CourseProgress | None) -> _Holes:
    """The per-request values, rendered afresh (for ``render_module_page`` in tests)."""
    return _Holes(course, module, progress, None)


def menu_key(user: Any) -> tuple[Hashable, ...]:
    """What base.html's menu shows of the signed-in user: their role, an org admin's organisation.

    Nothing else about the reader may appear outside the holes (the agreement
    test renders the page for readers who differ in everything else).
    """
    if not user.is_authenticated:
        return ("anonymous",)
    organisation = user.organisation if user.role == "org_admin" else None
    return (user.role, organisation.slug if organisation is not None else None)


class _Lookup:
    """Lets templates write ``holes.progress`` for ``value_of("progress")``."""

    def __init__(self, value_of: Callable[[str], Markup]) -> None:
        self._value_of = value_of

    def __getattr__(self, name: str) -> Markup:
        return self._value_of(name)


class _Holes:
    """The values of one request's holes, each computed when the page asks for it."""

    def __init__(
        self,
        course: Course,
        module: Module,
        progress: CourseProgress | None,
        cache: RenderCache[Any] | None,
    ) -> None:
        self.course, self.module, self.progress, self.cache = course, module, progress, cache
        self._csrf: Markup | None = None

    def value(self, name: str) -> Markup:
        if name == "csrf":
            if self._csrf is None:  # the page has it twice: sign out, mark complete
                self._csrf = Markup(csrf_token())  # noqa: S704 (URL-safe base64 and dots)
            return self._csrf
        if name == "messages":
            return _flashed(get_flashed_messages(with_categories=True))
        if name == "referrals":
            return referral_fragment(current_user)
        bar, completion = self._state()
        if name == "progress":
            return bar
        if name == "completion":
            return Markup(completion.fill(self.value))  # noqa: S704 (rendered by a template)
        raise KeyError(f"the module page has no hole named {name!r}")

    def _state(self) -> tuple[Markup, Skeleton]:
        """The progress bar and the "done / mark complete" line, per locale and progress."""
        progress = self.progress
        if progress is None:
            return Markup(), Skeleton.of("")
        done = progress.is_done(self.module)
        key = ("state", self.course.slug, self.course.version, self.module.slug)
        key += (str(get_locale()), progress.modules_done, done)

        def render() -> tuple[Markup, Skeleton]:
            bar = get_template_attribute("learning/_progress.html", "progress_bar")
            line = get_template_attribute("learning/_completion.html", "completion")
            return bar(progress, "module-progress"), Skeleton.of(
                line(self.course, self.module, done, hole("csrf"))
            )

        return self.cache.get(key, render) if self.cache is not None else render()


def _flashed(messages: list[tuple[str, str]]) -> Markup:
    if not messages:
        return Markup()
    return get_template_attribute("_messages.html", "flashed")(messages)


def _cache() -> RenderCache[Any]:
    # Per app: the page shows the app's settings (provider name and approval).
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        extensions.setdefault(EXTENSION_KEY, RenderCache(MAX_PAGES))
    return extensions[EXTENSION_KEY]
