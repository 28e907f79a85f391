"""The content checker: one precise `path:line: message` per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.content.fixtures import FILES, write_content
from trainer.config import PROJECT_ROOT
from trainer.content.loader import ContentError, load_catalogue, read_catalogue


def problems(tmp_path: Path, **overrides: str | None) -> list[str]:
    catalogue, found = read_catalogue(write_content(tmp_path, **overrides))
    assert (catalogue is None) == bool(found)
    return [str(p) for p in found]


def test_the_fixture_tree_is_valid(tmp_path):
    catalogue, found = read_catalogue(write_content(tmp_path))
    assert found == []
    course = catalogue.courses["basics"]
    assert [m.slug for m in course.modules] == ["what", "report"]
    assert course.minutes == 35
    assert course.content_areas == ("definitions", "reporting")
    assert catalogue.default_curriculum("health").courses == ("basics",)
    assert catalogue.requirement_sets["us-mi"].jurisdiction == "US-MI"


def test_the_real_courses_are_valid():
    catalogue, found = read_catalogue(PROJECT_ROOT / "courses")
    assert found == []
    assert {"core", "police", "health", "media", "licensed"} <= set(catalogue.courses)
    for profession in ("police", "health", "media", "licensed"):
        curriculum = catalogue.default_curriculum(profession)
        assert curriculum.courses[0] == "core"
        assert profession in curriculum.courses or profession == "licensed"


def test_manifest_syntax_error_names_the_line(tmp_path):
    broken = FILES["basics/course.toml"].replace('title = "Basics"', 'title = "Basics')
    assert problems(tmp_path, **{"basics/course.toml": broken}) == [
        "courses/basics/course.toml:2: TOML syntax: Illegal character '\\n'"
    ]


def test_front_matter_syntax_error_gives_the_file_line(tmp_path):
    broken = FILES["basics/modules/01-what.md"].replace("minutes = 20", "minutes = = 20")
    found = problems(tmp_path, **{"basics/modules/01-what.md": broken})
    assert len(found) == 1
    assert found[0].startswith("courses/basics/modules/01-what.md:4: TOML syntax:")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('slug = "what"\n', "", "courses/basics/modules/01-what.md:2: missing `slug`"),
        ('title = "What it is"\n', "", "courses/basics/modules/01-what.md:2: missing `title`"),
        ("minutes = 20\n", "", "courses/basics/modules/01-what.md:2: missing `minutes`"),
        (
            "minutes = 20",
            'minutes = "twenty"',
            "courses/basics/modules/01-what.md:4: `minutes` must be a whole number of minutes",
        ),
        (
            "minutes = 20",
            "minutes = 0",
            "courses/basics/modules/01-what.md:4: `minutes` must be more than 0",
        ),
        (
            'content_areas = ["definitions"]',
            'content_areas = ["definitons"]',
            "courses/basics/modules/01-what.md:5: unknown content area 'definitons'",
        ),
        (
            "minutes = 20",
            "minutes = 20\nminuts = 3",
            "courses/basics/modules/01-what.md:5: unknown key `minuts`",
        ),
        (
            "(module:report)",
            "(module:reprot)",
            "courses/basics/modules/01-what.md:8: broken link: no module basics/reprot",
        ),
        (
            "(module:report)",
            "(module:other/report)",
            "courses/basics/modules/01-what.md:8: broken link: no module other/report",
        ),
        (
            "Read [",
            "![map](images/map.png)\n\nRead [",
            "courses/basics/modules/01-what.md:8: image not found: images/map.png",
        ),
        (
            "Read [",
            "![up](../../secret.png)\n\nRead [",
            "courses/basics/modules/01-what.md:8: image not found: ../../secret.png",
        ),
    ],
)
def test_module_mistakes(tmp_path, old, new, expected):
    text = FILES["basics/modules/01-what.md"].replace(old, new, 1)
    found = problems(tmp_path, **{"basics/modules/01-what.md": text})
    assert any(p.startswith(expected) for p in found), found


def test_duplicate_module_slug(tmp_path):
    copy = FILES["basics/modules/02-report.md"].replace('slug = "report"', 'slug = "what"')
    found = problems(tmp_path, **{"basics/modules/02-report.md": copy})
    assert (
        "courses/basics/modules/02-report.md:2: duplicate module slug 'what' (also in 01-what.md)"
        in found
    )


def test_front_matter_must_open_and_close(tmp_path):
    assert problems(tmp_path, **{"basics/modules/02-report.md": "No front matter."}) == [
        "courses/basics/modules/02-report.md:1: a module must start with TOML front matter "
        "between `+++` lines"
    ]
    found = problems(tmp_path, **{"basics/modules/02-report.md": '+++\nslug = "x"\n'})
    assert found[0] == (
        "courses/basics/modules/02-report.md:1: the front matter is not closed: "
        "add a `+++` line after it"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'slug = "basics"',
            'slug = "basic"',
            "courses/basics/course.toml:1: slug 'basic' must match the folder name 'basics'",
        ),
        (
            'professions = ["health"]',
            'professions = ["health", "astronaut"]',
            "courses/basics/course.toml:3: unknown profession 'astronaut'",
        ),
        (
            "credit_hours = 0.5",
            "credit_hours = 1.0",
            "courses/basics/course.toml:4: credit_hours = 1.0 is more than the modules' 35 minutes "
            "support (0.5 h, counted in quarter hours)",
        ),
        (
            "pass_mark = 80",
            "pass_mark = 180",
            "courses/basics/course.toml:5: `pass_mark` must be a whole percentage from 1 to 100",
        ),
        ('title = "Basics"\n', "", "courses/basics/course.toml:1: missing `title`"),
    ],
)
def test_manifest_mistakes(tmp_path, old, new, expected):
    text = FILES["basics/course.toml"].replace(old, new, 1)
    found = problems(tmp_path, **{"basics/course.toml": text})
    assert any(p.startswith(expected) for p in found), found


def test_course_folder_without_manifest_or_modules(tmp_path):
    found = problems(
        tmp_path,
        **{
            "empty/course.toml": 'slug = "empty"\ntitle = "E"\n'
            'professions = ["health"]\ncredit_hours = 0\n'
        },
        **{"stray/notes.txt": "x"},
    )
    assert "courses/empty/modules:1: the course has no modules (modules/NN-slug.md)" in found
    assert (
        "courses/stray/course.toml:1: missing course.toml: every course folder needs one" in found
    )


def test_curriculum_and_requirement_mistakes(tmp_path):
    curriculum = FILES["curricula/health.toml"].replace('["basics"]', '["basics", "advanced"]')
    requirement = (
        FILES["requirements/us-mi.toml"]
        .replace('"US-MI"', '"ZZ-MI"')
        .replace('["definitions", "reporting"]', '["reporting", "bedside"]')
    )
    found = problems(
        tmp_path, **{"curricula/health.toml": curriculum, "requirements/us-mi.toml": requirement}
    )
    assert any(
        p.startswith("courses/curricula/health.toml:5: unknown course 'advanced'") for p in found
    )
    assert any(
        p.startswith("courses/requirements/us-mi.toml:4: unknown jurisdiction 'ZZ-MI'")
        for p in found
    )
    assert any(
        p.startswith("courses/requirements/us-mi.toml:8: unknown content area 'bedside'")
        for p in found
    )


def test_every_mistake_is_reported_not_just_the_first(tmp_path):
    module = (
        FILES["basics/modules/01-what.md"]
        .replace("minutes = 20", "minutes = 0")
        .replace('["definitions"]', '["nope"]')
    )
    manifest = FILES["basics/course.toml"].replace('["health"]', '["nope"]')
    found = problems(
        tmp_path, **{"basics/modules/01-what.md": module, "basics/course.toml": manifest}
    )
    assert len(found) == 3


def test_the_international_contacts_are_required(tmp_path):
    found = problems(tmp_path, **{"jurisdictions/international.toml": None})
    assert found == [
        "courses/jurisdictions/international.toml:1: missing file: the international "
        "default contacts are required"
    ]


def test_load_raises_with_every_problem_and_caches_valid_content(tmp_path):
    root = write_content(tmp_path)
    assert load_catalogue(root) is load_catalogue(root)  # read and rendered once
    (root / "basics/modules/01-what.md").write_text("broken", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_catalogue(root)
    assert "01-what.md:1:" in str(error.value)


def test_course_version_changes_with_its_files(tmp_path):
    root = write_content(tmp_path)
    before = read_catalogue(root)[0].courses["basics"].version
    path = root / "basics/modules/02-report.md"
    path.write_text(path.read_text() + "\nOne more line.\n", encoding="utf-8")
    assert read_catalogue(root)[0].courses["basics"].version != before


def test_the_authoring_guides_example_course_is_valid(tmp_path):
    """courses/README.md promises a working example: extract it and check it."""
    import re
    import shutil

    guide = (PROJECT_ROOT / "courses" / "README.md").read_text(encoding="utf-8")
    files = re.findall(r"File: `([^`]+)`\n\n```\w*\n(.*?)\n```\n", guide, re.DOTALL)
    assert [name for name, _text in files] == [
        "example/course.toml",
        "example/modules/01-debt-bondage.md",
        "example/items/debt.toml",
    ]
    root = tmp_path / "courses"
    shutil.copytree(PROJECT_ROOT / "courses", root)
    for name, text in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text + "\n", encoding="utf-8")
    catalogue, found = read_catalogue(root)
    assert found == []
    example = catalogue.courses["example"]
    assert example.items[0].grade("trafficking").correct
    assert example.assessment.items == 1
    assert example.modules[0].shows_contacts
    assert 'href="/courses/core/modules/indicators"' in example.modules[0].html_parts[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A rule must say whether it needs an approved provider.
        (("approval_required = false\n", ""), "`approval_required` is missing"),
        (("approval_required = false", 'approval_required = "no"'), "must be true or false"),
        # A licensing rule lists the licence types it covers…
        (("licence_required = false\n", ""), "lists the `licence_types` it covers"),
        # …and a rule without licences lists none.
        (
            ("licence_required = false\n", 'licence_required = false\nlicence_types = ["nurse"]\n'),
            "choose one",
        ),
    ],
)
def test_a_requirement_set_says_who_it_covers_and_whether_it_needs_approval(
    tmp_path, change, message
):
    requirement = FILES["requirements/us-mi.toml"].replace(*change)
    found = problems(tmp_path, **{"requirements/us-mi.toml": requirement})
    assert any(p.startswith("courses/requirements/us-mi.toml:") and message in p for p in found), (
        found
    )
