"""Access to the loaded catalogue from views and services."""

from __future__ import annotations

from flask import current_app

from trainer.content.model import Catalogue


def catalogue() -> Catalogue:
    """The catalogue the current app loaded at start-up."""
    return current_app.extensions["trainer.content"]
