"""Access to the loaded catalogue from views and services."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale

from trainer.content.languages import SOURCE_LANGUAGE
from trainer.content.model import Catalogue


def catalogue() -> Catalogue:
    """The catalogue the current app loaded at start-up."""
    return current_app.extensions["trainer.content"]


def interface_language() -> str:
    """The language of the interface for this request (``en``, ``fr``, ``es``…)."""
    locale = get_locale()
    return locale.language if locale is not None else SOURCE_LANGUAGE


def shown_catalogue() -> Catalogue:
    """The catalogue as the interface shows it: course variants and vocabularies in the
    interface language where they exist, else the source's."""
    return catalogue().in_language(interface_language())
