"""An app serving the fixture content with its Spanish variant, for the tests of each feature.

A test module uses it by overriding the ``app`` fixture::

    @pytest.fixture(scope="module")
    def app(app, tmp_path_factory):
        yield from spanish_app(app, tmp_path_factory)

It shares the session app's database, so ``db``, ``client`` and ``make`` work as usual.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import app_settings
from tests.content.fixtures import write_variant
from trainer import create_app
from trainer import db as trainer_db

SPANISH = {"Accept-Language": "es"}
FRENCH = {"Accept-Language": "fr"}


def spanish_app(parent: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root = tmp_path_factory.mktemp("spanish")
    settings = app_settings(
        root / "instance", parent.config["DATABASE_URL"], COURSES_DIR=write_variant(root)
    )
    app = create_app(settings)
    yield app
    trainer_db.database(app).engine.dispose()
