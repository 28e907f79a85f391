"""Course language variants and translated vocabularies: loaded, and checked line by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.content.fixtures import VARIANT_FILES, write_content, write_variant
from trainer.config import PROJECT_ROOT
from trainer.content.loader import read_catalogue

ITEMS = "basics/translations/es/items/quiz.toml"
MANIFEST = "basics/translations/es/course.toml"
FIRST_MODULE = "basics/translations/es/modules/01-what.md"
SECOND_MODULE = "basics/translations/es/modules/02-report.md"


def problems(tmp_path: Path, **overrides: str | None) -> list[str]:
    catalogue, found = read_catalogue(write_variant(tmp_path, **overrides))
    assert (catalogue is None) == bool(found)
    return [str(p) for p in found]


def edited(name: str, old: str, new: str) -> dict[str, str]:
    assert old in VARIANT_FILES[name], old
    return {name: VARIANT_FILES[name].replace(old, new)}


def test_the_spanish_variant_keeps_everything_but_the_text(tmp_path):
    catalogue, found = read_catalogue(write_variant(tmp_path))
    assert found == []
    source = catalogue.courses["basics"]
    spanish = catalogue.in_language("es").courses["basics"]
    assert (source.title, spanish.title) == ("Basics", "Lo básico")
    assert source.languages == spanish.languages == ("en", "es")
    assert (spanish.language, spanish.slug, spanish.version) == ("es", "basics", source.version)
    assert [m.slug for m in spanish.modules] == [m.slug for m in source.modules]
    assert [m.minutes for m in spanish.modules] == [20, 15]
    assert spanish.modules[0].title == "Qué es"
    assert spanish.modules[1].html_parts == (
        "<p>Antes de los contactos.</p>",
        "<p>Después de los contactos.</p>",
    )
    assert spanish.items[0].stem == "¿Qué hace que un caso sea trata?"
    assert [(i.id, i.version) for i in spanish.items] == [(i.id, i.version) for i in source.items]
    assert spanish.assessment == source.assessment
    # No objective of the variant was left out: the references fall back to the source's.
    assert spanish.objectives == ("Conocer lo básico",)
    assert spanish.references == source.references


def test_grading_a_variant_item_gives_the_same_result(tmp_path):
    catalogue, _ = read_catalogue(write_variant(tmp_path))
    source = catalogue.courses["basics"].item("basics-respond")
    spanish = catalogue.in_language("es").courses["basics"].item("basics-respond")
    for answer in ("adult-decides", "call-emergency-services", None):
        assert spanish.grade(answer).score == source.grade(answer).score
    assert spanish.grade("adult-decides").feedback == ("Correcto: la adulta decide.",)


def test_vocabularies_and_labels_are_translated(tmp_path):
    catalogue, _ = read_catalogue(write_variant(tmp_path))
    spanish = catalogue.in_language("es")
    assert spanish.professions["health"].title == "Personal sanitario"
    assert spanish.professions["licensed"].licence_types == ("nurse", "cosmetologist")
    assert spanish.content_areas["reporting"].title == "Denuncia"
    assert spanish.indicators["debt-bondage"].title == "Servidumbre por deudas"
    assert spanish.jurisdiction_for("us").name == "Estados Unidos"
    assert spanish.jurisdiction_for("us").contacts[0].phone == "1-888-373-7888"
    assert spanish.labels == {
        "call-emergency-services": "Llamar a emergencias",
        "adult-decides": "La persona adulta decide",
    }
    assert spanish.default_curriculum("health").title == "Sanidad"
    # The same rules and curricula: they key on slugs.
    assert spanish.requirement_sets is catalogue.requirement_sets
    assert spanish.default_curriculum("health").courses == ("basics",)


def test_a_language_without_translations_shows_the_source(tmp_path):
    catalogue, _ = read_catalogue(write_variant(tmp_path))
    assert catalogue.in_language("fr") is catalogue
    assert catalogue.in_language(None) is catalogue
    assert catalogue.in_language("en") is catalogue
    assert catalogue.languages == {"en", "es"}


def test_the_course_version_covers_its_translations(tmp_path):
    source_items = {"basics/items/quiz.toml": VARIANT_FILES["basics/items/quiz.toml"]}
    without, _ = read_catalogue(write_content(tmp_path / "a", **source_items))
    with_spanish, _ = read_catalogue(write_variant(tmp_path / "b"))
    changed, _ = read_catalogue(
        write_variant(tmp_path / "c", **edited(FIRST_MODULE, "Un caso práctico.", "Otro caso."))
    )
    versions = {c.courses["basics"].version for c in (without, with_spanish, changed)}
    assert len(versions) == 3


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            ITEMS,
            'id = "border"',
            'id = "frontera"',
            f"courses/{ITEMS}:16: item 'basics-define': option id 'frontera' differs from the "
            "source ('border'); a translation may change only text",
        ),
        (
            ITEMS,
            "correct = true\n",
            "",
            f"courses/{ITEMS}:9: item 'basics-define', option 'three': missing `correct` "
            "(the source has `= true`)",
        ),
        (
            ITEMS,
            'answer = "adult-decides"',
            'answer = "call-emergency-services"',
            f"courses/{ITEMS}:28: item 'basics-respond': `answer` = 'call-emergency-services' "
            "differs from the source ('adult-decides'); a translation may change only text",
        ),
        (
            ITEMS,
            'stem = "¿Qué hace que un caso sea trata?"',
            'stem = " "',
            f"courses/{ITEMS}:5: item 'basics-define': `stem` must be translated text, not empty",
        ),
        (
            ITEMS,
            "difficulty = 1",
            'difficulty = 1\nhint = "Piense"',
            f"courses/{ITEMS}:5: item 'basics-define': `hint` is not in the source; "
            "a translation may change only text",
        ),
        (
            ITEMS,
            'adult-decides = "Correcto: la adulta decide."',
            "",
            f"courses/{ITEMS}:30: item 'basics-respond': missing `adult-decides` "
            "(the source has `= 'Right: the adult decides.'`)",
        ),
        (
            FIRST_MODULE,
            "minutes = 20",
            "minutes = 25",
            f"courses/{FIRST_MODULE}:4: `minutes` = 25 differs from the source (20); "
            "a translation may change only text",
        ),
        (
            SECOND_MODULE,
            "[[contacts]]",
            "[[contactos]]",
            f"courses/{SECOND_MODULE}:8: the source has 1 `[[contacts]]` line(s), this "
            "translation 0: keep the line, untranslated, where the source has it",
        ),
        (
            MANIFEST,
            "credit_hours = 0.5",
            "credit_hours = 0.75",
            f"courses/{MANIFEST}:5: `credit_hours` = 0.75 differs from the source (0.5); "
            "a translation may change only text",
        ),
        (
            MANIFEST,
            'language = "es"',
            'language = "en"',
            f"courses/{MANIFEST}:3: language = 'en' must be this folder's language, 'es'",
        ),
        (
            MANIFEST,
            'objectives = ["Conocer lo básico"]',
            'objectives = ["Conocer", "lo básico"]',
            f"courses/{MANIFEST}:7: `objectives` has 2 entries, the source has 1: "
            "translate each one",
        ),
    ],
)
def test_structure_differences_name_the_line(tmp_path, name, old, new, expected):
    assert problems(tmp_path, **edited(name, old, new)) == [expected]


def test_items_are_matched_by_id(tmp_path):
    found = problems(tmp_path, **edited(ITEMS, 'id = "basics-respond"', 'id = "basics-other"'))
    assert found == [
        f"courses/{ITEMS}:1: item 'basics-respond' is missing (the source's line 20): translate it",
        f"courses/{ITEMS}:21: item 'basics-other' is not in quiz.toml of the source; "
        "a translation has the source's items only",
    ]


def test_a_variant_must_be_complete_and_hold_only_the_source_files(tmp_path):
    found = problems(tmp_path, **{SECOND_MODULE: None, "basics/translations/es/notes.txt": "x"})
    assert found == [
        f"courses/{SECOND_MODULE}:1: missing: translate modules/02-report.md; "
        "a translation must be complete",
        "courses/basics/translations/es/notes.txt:1: not in the source: a translation "
        "has the files of basics/ (course.toml, modules/, items/) and no others",
    ]


def test_links_in_a_translated_module_are_checked(tmp_path):
    found = problems(tmp_path, **edited(FIRST_MODULE, "(module:report)", "(module:reporte)"))
    assert found == [f"courses/{FIRST_MODULE}:8: broken link: no module basics/reporte"]


def test_translation_folders_are_named_by_language(tmp_path):
    assert problems(tmp_path, **{"basics/translations/Spanish/course.toml": "x"}) == [
        "courses/basics/translations/Spanish:1: a translation is a folder named by its "
        "language code, e.g. es or pt-BR"
    ]


def test_vocabulary_translations_are_checked_like_courses(tmp_path):
    found = problems(
        tmp_path,
        **{
            "translations/es/content-areas.toml": '[areas.definitions]\ntitle = "Definiciones"\n'
            '\n[areas.reportng]\ntitle = "Denuncia"\n',
            "translations/es/jurisdictions/US.toml": None,
        },
        **edited("translations/es/professions.toml", '"cosmetologist"]', '"cosmetóloga"]'),
    )
    assert found == [
        "courses/translations/es/content-areas.toml:1: missing `reporting` (the source has it)",
        "courses/translations/es/content-areas.toml:4: `reportng` is not in the source; "
        "a translation may change only text",
        "courses/translations/es/jurisdictions/US.toml:1: missing: translate "
        "jurisdictions/US.toml; a translation must be complete",
        "courses/translations/es/professions.toml:6: `licence_types` entry 2: 'cosmetóloga' "
        "differs from the source ('cosmetologist'); a translation may change only text",
    ]


def test_every_label_an_item_sets_is_named_and_no_other(tmp_path):
    labels = '[labels]\nadult-decides = "Decide"\nneither = "Ninguno"\n'
    assert problems(tmp_path, **{"translations/es/labels.toml": labels}) == [
        "courses/translations/es/labels.toml:1: name these labels too: call-emergency-services",
        "courses/translations/es/labels.toml:3: no item uses the label 'neither'",
    ]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_real_vocabularies_are_translated(language):
    catalogue, found = read_catalogue(PROJECT_ROOT / "courses")
    assert found == []
    translated = catalogue.in_language(language)
    assert translated.language == language
    for vocabulary in ("professions", "content_areas", "indicators"):
        source, shown = getattr(catalogue, vocabulary), getattr(translated, vocabulary)
        untranslated = [slug for slug in source if shown[slug].title == source[slug].title]
        assert untranslated == [], vocabulary
    for slug, curriculum in catalogue.curricula.items():
        assert translated.curricula[slug].title != curriculum.title
        assert translated.curricula[slug].courses == curriculum.courses
    assert translated.jurisdiction_for("US").contacts[1].phone == "1-888-373-7888"
    assert set(translated.labels) == {
        "adult-decides",
        "call-emergency-services",
        "labour-trafficking",
        "mandatory-report",
        "not-trafficking",
        "sex-and-labour-trafficking",
        "sex-trafficking",
    }


def test_a_translated_curriculum_may_not_change_its_courses(tmp_path):
    changed = edited("translations/es/curricula/health.toml", '["basics"]', '["basics", "x"]')
    assert problems(tmp_path, **changed) == [
        "courses/translations/es/curricula/health.toml:5: 2 courses, the source has 1; "
        "a translation may change only text"
    ]


def test_a_key_the_source_lacks_is_reported_not_used(tmp_path):
    indicators = edited(
        "translations/es/indicators.toml",
        'title = "Servidumbre por deudas"',
        'title = "Servidumbre por deudas"\nsummary = "Una deuda que no se acaba"',
    )
    contacts = {"translations/es/jurisdictions/US.toml": 'code = "US"\ncontacts = ["911"]\n'}
    assert problems(tmp_path, **indicators, **contacts) == [
        "courses/translations/es/indicators.toml:3: `summary` is not in the source; "
        "a translation may change only text",
        "courses/translations/es/jurisdictions/US.toml:1: missing `name` (the source has "
        "`= 'United States'`)",
        "courses/translations/es/jurisdictions/US.toml:2: must be a table, as in the source; "
        "a translation may change only text",
    ]
