"""Markdown to safe HTML, once per process.

Authors write ``module:SLUG`` or ``module:COURSE/SLUG`` links, images relative to
the course folder, ``!!! case "Title"`` callouts, and a ``[[contacts]]`` line where
the learner's reporting contacts belong. Everything rendered goes through nh3,
so nothing an author writes can run script in a learner's browser.
"""

from __future__ import annotations

import re

import markdown
import nh3

from trainer.content.model import CONTACTS_PLACEHOLDER

#: A link to a module, in the Markdown source: ``](module:slug)`` or ``](module:course/slug)``,
#: either with ``#heading``.
MODULE_LINK = re.compile(r"\]\(module:([a-z0-9-]+)(?:/([a-z0-9-]+))?(#[\w-]+)?\)")
#: An image with a relative path: ``![alt](images/map.png)``.
LOCAL_IMAGE = re.compile(r"(!\[[^\]]*\]\()(?![a-z]+:|/)([^)\s]+)\)")
CALLOUT_KINDS = ("case", "indicator", "remember", "warning", "note")

_MARKER = "TRAINERCONTACTSPLACEHOLDER"
_MARKER_HTML = f"<p>{_MARKER}</p>"

_ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code",
    "pre", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "div", "img", "span",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope"},
}
_ALLOWED_CLASSES = {
    "div": {"admonition", *CALLOUT_KINDS},
    "p": {"admonition-title"},
}


def module_path(course: str, module: str) -> str:
    """The address of a module page (also used by ``url_for``'s route)."""
    return f"/courses/{course}/modules/{module}"


def media_path(course: str, relative: str) -> str:
    return f"/courses/{course}/media/{relative}"


def render_module(source: str, course: str) -> tuple[str, ...]:
    """Render a module body; the result is split wherever ``[[contacts]]`` stood."""

    def link(match: re.Match[str]) -> str:
        first, second, anchor = match.groups()
        address = module_path(first, second) if second else module_path(course, first)
        return f"]({address}{anchor or ''})"

    source = MODULE_LINK.sub(link, source)
    source = LOCAL_IMAGE.sub(lambda m: f"{m.group(1)}{media_path(course, m.group(2))})", source)
    source = "\n".join(
        _MARKER if line.strip() == CONTACTS_PLACEHOLDER else line for line in source.splitlines()
    )
    html = markdown.markdown(
        source,
        extensions=["tables", "toc", "admonition", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    # A wide table scrolls inside itself on a phone: it takes keyboard focus so the
    # scroll can be reached without a mouse (WCAG 2.1.1; axe scrollable-region-focusable).
    clean = sanitise(html).replace("<table>", '<table tabindex="0">')
    return tuple(part.strip() for part in clean.split(_MARKER_HTML))


def sanitise(html: str) -> str:
    """Keep only the tags, attributes and classes module pages use."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def word_count(source: str) -> int:
    return len(re.findall(r"\w+(?:['\u2019-]\w+)*", source))
