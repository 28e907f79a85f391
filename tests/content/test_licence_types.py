"""The licence-type vocabulary: known slugs everywhere, names in every language."""

from __future__ import annotations

from pathlib import Path

from tests.content.fixtures import FILES, VARIANT_FILES, write_variant
from trainer.config import PROJECT_ROOT
from trainer.content.loader import read_catalogue


def problems(tmp_path: Path, **overrides: str | None) -> list[str]:
    catalogue, found = read_catalogue(write_variant(tmp_path, **overrides))
    assert (catalogue is None) == bool(found)
    return [str(p) for p in found]


def test_the_catalogue_names_licence_types_in_each_language(tmp_path):
    catalogue, found = read_catalogue(write_variant(tmp_path))
    assert found == []
    assert catalogue.licence_types["nurse"].title == "Nurse"
    assert catalogue.licence_types["nurse"].professions == ("licensed",)
    spanish = catalogue.in_language("es")
    assert spanish.licence_types["cosmetologist"].title == "Cosmetóloga o cosmetólogo"
    assert spanish.licence_types["cosmetologist"].professions == ("licensed",)


def test_the_shipped_vocabulary_agrees_with_the_professions():
    catalogue, found = read_catalogue(PROJECT_ROOT / "courses")
    assert found == []
    types = catalogue.licence_types
    # A nurse works in health care and holds a licence: offered under both.
    assert types["nurse"].professions == ("health", "licensed")
    assert types["cosmetologist"].professions == ("licensed",)
    for slug, profession in catalogue.professions.items():
        assert profession.licence_types == tuple(t for t in types if slug in types[t].professions)
    for requirement in catalogue.requirement_sets.values():
        assert set(requirement.licence_types) <= set(types)
    for language in ("fr", "es"):
        shown = catalogue.in_language(language).licence_types
        assert set(shown) == set(types)
        assert shown["nurse"].title != types["nurse"].title


def test_a_profession_naming_an_unknown_type_is_reported(tmp_path):
    professions = FILES["professions.toml"].replace('"cosmetologist"]', '"cosmetologist", "pilot"]')
    found = problems(
        tmp_path,
        **{
            "professions.toml": professions,
            "translations/es/professions.toml": VARIANT_FILES[
                "translations/es/professions.toml"
            ].replace('"cosmetologist"]', '"cosmetologist", "pilot"]'),
        },
    )
    assert found == [
        "courses/professions.toml:7: unknown licence type 'pilot'; add it to licence-types.toml "
        "or use one of: cosmetologist, nurse"
    ]


def test_a_type_and_its_professions_must_agree_both_ways(tmp_path):
    vocabulary = FILES["licence-types.toml"].replace(
        'title = "Nurse"\nprofessions = ["licensed"]',
        'title = "Nurse"\nprofessions = ["health", "licensed"]',
    )
    spanish = VARIANT_FILES["translations/es/licence-types.toml"].replace(
        'professions = ["licensed"]', 'professions = ["health", "licensed"]', 1
    )
    found = problems(
        tmp_path,
        **{"licence-types.toml": vocabulary, "translations/es/licence-types.toml": spanish},
    )
    assert found == [
        "courses/professions.toml:2: licence-types.toml gives licence type 'nurse' the "
        "profession 'health'; list it in 'health''s `licence_types` too"
    ]


def test_a_type_needs_a_title_and_known_professions(tmp_path):
    vocabulary = FILES["licence-types.toml"] + '\n[licence_types.pilot]\nprofessions = ["sky"]\n'
    found = problems(tmp_path, **{"licence-types.toml": vocabulary})
    assert "courses/licence-types.toml:10: licence type 'pilot' needs a `title`" in found


def test_a_requirement_set_naming_an_unknown_type_is_reported(tmp_path):
    rule = FILES["requirements/us-mi.toml"].replace(
        "licence_required = false\n", 'licence_types = ["nurse", "social worker"]\n'
    )
    found = problems(tmp_path, **{"requirements/us-mi.toml": rule})
    assert found == [
        "courses/requirements/us-mi.toml:9: unknown licence type 'social worker'; "
        "known: cosmetologist, nurse"
    ]


def test_a_translation_must_name_every_type(tmp_path):
    spanish = VARIANT_FILES["translations/es/licence-types.toml"].replace(
        'title = "Enfermera o enfermero"\n', ""
    )
    found = problems(tmp_path, **{"translations/es/licence-types.toml": spanish})
    assert len(found) == 1
    assert found[0].startswith("courses/translations/es/licence-types.toml:")
    assert "title" in found[0]


def test_a_missing_vocabulary_is_reported(tmp_path):
    found = problems(tmp_path, **{"licence-types.toml": None})
    missing = (
        "courses/licence-types.toml:1: missing file: licence-types.toml lists the licence types"
    )
    assert missing in found
