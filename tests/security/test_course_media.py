"""Course media: only real files under a course's ``images/`` folder, whatever the address says.

The penetration test read answer keys through ``/courses/<c>/media/images/../items/<bank>.toml``
and any readable file through a symlink in a course folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from tests.conftest import app_settings
from tests.content.fixtures import write_content
from tests.quizzes.bank import SINGLE
from trainer import create_app
from trainer import db as trainer_db
from trainer.cli import main
from trainer.content.media import course_media_file
from trainer.extensions import limiter

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def courses(tmp_path: Path) -> Path:
    root = write_content(tmp_path, **{"basics/items/bank.toml": SINGLE})
    images = root / "basics" / "images"
    images.mkdir()
    (images / "map.png").write_bytes(PNG)
    (images / "sub").mkdir()
    (images / "sub" / "inner.png").write_bytes(PNG)
    return root


@pytest.fixture
def media_app(courses: Path, tmp_path: Path, app: Flask) -> Iterator[Flask]:
    other = create_app(
        app_settings(tmp_path / "instance", f"sqlite:///{tmp_path / 'media.db'}",
                     COURSES_DIR=courses)
    )  # fmt: skip
    yield other
    trainer_db.database(other).engine.dispose()
    limiter.init_app(app)  # one limiter per process: give it back to the suite's app


def test_an_image_in_images_is_served(media_app):
    client = media_app.test_client()
    for path in ("images/map.png", "images/sub/inner.png"):
        response = client.get(f"/courses/basics/media/{path}")
        assert (response.status_code, response.data) == (200, PNG)
        response.close()


TRAVERSALS = [
    "images/../items/bank.toml",
    "images/./../items/bank.toml",
    "images/sub/../../items/bank.toml",
    "images/..%2fitems/bank.toml",
    "images/%2e%2e/items/bank.toml",
    "images/%2E%2E%2Fitems%2Fbank.toml",
    "images/%252e%252e/items/bank.toml",
    "images/%252e%252e%252fitems%252fbank.toml",
    "images/..%5citems%5cbank.toml",
    "images/..\\items\\bank.toml",
    "images%2f..%2fitems%2fbank.toml",
    "images//../items/bank.toml",
    "images/../course.toml",
    "images/../../professions.toml",
    "items/bank.toml",
    "course.toml",
    "images",
    "images/",
    "images/sub",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "images/%2fetc%2fpasswd",
    "images//etc/passwd",
]


@pytest.mark.parametrize("filename", TRAVERSALS)
def test_nothing_outside_images_is_served(media_app, filename):
    # Werkzeug first redirects "//" to "/" (308); where the address then leads is still 404.
    response = media_app.test_client().get(
        f"/courses/basics/media/{filename}", follow_redirects=True
    )
    assert response.status_code == 404, filename
    assert b"[[items]]" not in response.data and b"root:" not in response.data


@pytest.mark.parametrize("filename", TRAVERSALS)
def test_the_path_check_itself_refuses_the_decoded_forms(courses, filename):
    from urllib.parse import unquote

    for form in {filename, unquote(filename), unquote(unquote(filename))}:
        assert course_media_file(courses, "basics", form) is None, form


def test_a_symlink_inside_images_is_refused(media_app, courses):
    os.symlink("/etc/passwd", courses / "basics" / "images" / "passwd.png")
    os.symlink(courses / "basics" / "items", courses / "basics" / "images" / "keys")
    client = media_app.test_client()
    assert client.get("/courses/basics/media/images/passwd.png").status_code == 404
    assert client.get("/courses/basics/media/images/keys/bank.toml").status_code == 404


def test_a_symlinked_images_folder_is_refused(media_app, courses):
    (courses / "basics" / "images" / "map.png").unlink()
    (courses / "basics" / "images" / "sub" / "inner.png").unlink()
    (courses / "basics" / "images" / "sub").rmdir()
    (courses / "basics" / "images").rmdir()
    os.symlink(courses / "basics" / "items", courses / "basics" / "images")
    assert media_app.test_client().get("/courses/basics/media/images/bank.toml").status_code == 404


def test_content_check_reports_a_symlink_with_its_path(courses):
    os.symlink("/etc/passwd", courses / "basics" / "images" / "passwd.png")
    result = CliRunner().invoke(main, ["content", "check", "--courses", str(courses)])
    assert result.exit_code == 1
    assert (
        "courses/basics/images/passwd.png:1: symbolic link to /etc/passwd: a course folder "
        "must hold real files (copy the file in, then delete the link)"
    ) in result.output


def test_content_check_reports_a_symlinked_folder(courses, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, courses / "basics" / "images" / "more")
    result = CliRunner().invoke(main, ["content", "check", "--courses", str(courses)])
    assert result.exit_code == 1
    assert f"courses/basics/images/more:1: symbolic link to {elsewhere}" in result.output
