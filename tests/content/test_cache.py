"""The validated catalogue kept in the instance folder (``trainer/content/cache.py``).

A start with unchanged content reads the stored catalogue; any change to a
content file reads everything afresh; a damaged file is ignored, never trusted.
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from tests.content.fixtures import write_content
from trainer.content import cache, loader
from trainer.content.loader import ContentError, load_catalogue


def start(root: Path, folder: Path):
    """Load as a new process would: nothing kept in memory, only the instance folder."""
    loader._CACHE.clear()
    return load_catalogue(root, cache_folder=folder)


@pytest.fixture
def stored(tmp_path):
    root = write_content(tmp_path)
    folder = tmp_path / "instance" / "cache"
    first = start(root, folder)
    return root, folder, first


def only_file(folder: Path) -> Path:
    (path,) = folder.glob("catalogue-*.pickle")
    return path


def test_a_start_with_unchanged_content_reads_the_stored_catalogue(stored):
    root, folder, first = stored
    path = only_file(folder)
    # Mark the stored copy, so that reading it (not parsing again) shows.
    with path.open("rb") as stored_file:
        kept = pickle.load(stored_file)  # noqa: S301
    path.write_bytes(pickle.dumps(replace(kept, version="from-the-cache")))
    again = start(root, folder)
    assert again.version == "from-the-cache"
    assert again.courses["basics"].modules == first.courses["basics"].modules


def test_a_changed_content_file_invalidates_the_stored_catalogue(stored):
    root, folder, first = stored
    old = only_file(folder)
    module = root / "basics/modules/01-what.md"
    module.write_text(module.read_text().replace("What it is", "What trafficking is"))
    again = start(root, folder)
    assert again.courses["basics"].modules[0].title == "What trafficking is"
    assert again.version != first.version
    assert not old.exists()  # the older version is removed, the new one stored
    assert only_file(folder) != old


def test_a_new_file_invalidates_it_too(stored):
    root, folder, _first = stored
    (root / "basics/modules/notes.txt").write_text("an author's note")
    assert cache.cache_key(root) not in only_file(folder).name


def test_invalid_content_is_never_served_from_a_cache(stored):
    root, folder, _first = stored
    (root / "basics/modules/01-what.md").write_text("broken", encoding="utf-8")
    with pytest.raises(ContentError, match=r"01-what\.md:1:"):
        start(root, folder)


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle at all", pickle.dumps({"courses": "nothing"}), b"\x80\x05truncated"],
    ids=["empty", "garbage", "not-a-catalogue", "truncated"],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(stored, damage, caplog):
    root, folder, first = stored
    path = only_file(folder)
    path.write_bytes(damage)
    again = start(root, folder)
    assert again.courses["basics"].title == first.courses["basics"].title
    assert "ignoring the content cache" in caplog.text
    with path.open("rb") as stored_file:  # written afresh, whole
        assert pickle.load(stored_file).version == first.version  # noqa: S301


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path):
    root = write_content(tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert start(root, blocked / "cache").courses["basics"].title == "Basics"


def test_the_stored_file_is_readable_by_its_owner_only(stored):
    _root, folder, _first = stored
    assert only_file(folder).stat().st_mode & 0o077 == 0
