"""The learner's referral directory, above the national contacts: cached per unit.

Module pages are served from a cached skeleton (``trainer.learning.pages``);
the directory is one of its holes. Its HTML depends only on the organisation's
directory version, the learner's unit, profession and the interface language,
so it is rendered once per such key and reused: one indexed lookup of the
version per request, no rendering. Learners outside any organisation get
nothing here and see the page as before.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

from trainer import db
from trainer.content.render import sanitise
from trainer.learning.fragments import RenderCache
from trainer.referrals import services
from trainer.referrals.labels import role_label

EXTENSION_KEY = "trainer.referral_fragments"
MAX_FRAGMENTS = 4096


def step_html(body: str) -> Markup:
    """One step's Markdown as sanitised inline HTML (the module pages' own sanitiser)."""
    import markdown

    html = markdown.markdown(body, output_format="html")
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(sanitise(html))  # noqa: S704 (cleaned by nh3)


def learner_levels(user: Any) -> list[services.Level]:
    if not user.is_authenticated or user.organisation is None:
        return []
    return services.learner_levels(
        db.session(), user.organisation, user.unit, user.profession, str(get_locale())
    )


def referral_fragment(user: Any) -> Markup:
    """The directory section for ``user``, from the cache when its directory has not changed."""
    if not user.is_authenticated or user.organisation_id is None:
        return Markup()
    version = services.directory_version(db.session(), user.organisation_id)
    if version is None:
        return Markup()
    key = (user.organisation_id, *version, user.unit_id, user.profession, str(get_locale()))
    return _cache().get(key, lambda: render_directory(user))


def render_directory(user: Any) -> Markup:
    levels = learner_levels(user)
    if not levels:
        return Markup()
    return Markup(  # noqa: S704 (an autoescaped template; steps cleaned by nh3)
        render_template(
            "referrals/_learner.html", levels=levels, role_label=role_label, step_html=step_html
        )
    )


def _cache() -> RenderCache[Markup]:
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        extensions.setdefault(EXTENSION_KEY, RenderCache(MAX_FRAGMENTS))
    return extensions[EXTENSION_KEY]
