"""The licence-type vocabulary (``courses/licence-types.toml``).

A licence type is a slug ("nurse", "cosmetologist") that a learner's licence,
a requirement set's ``licence_types`` and a profession's ``licence_types`` name.
Each type says under which professions it is offered: a nurse works in health
care *and* holds a licence a board renews, so ``nurse`` belongs to ``health``
and ``licensed``; a cosmetologist's licence belongs to ``licensed`` only.
``professions.toml`` lists the same types per profession (the order forms show);
the check below reports any difference, so the two never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.content.professions import Profession
from trainer.content.reading import Reader

FILE = "licence-types.toml"


@dataclass(frozen=True)
class LicenceType:
    slug: str
    title: str
    #: The professions under which a person may hold this licence.
    professions: tuple[str, ...] = ()


def read_licence_types(
    reader: Reader, path: Path, professions: dict[str, Profession]
) -> dict[str, LicenceType]:
    """Every licence type, after checking it against the professions both ways."""
    if not path.is_file():
        reader.problem(path, 1, f"missing file: {FILE} lists the licence types")
        return {}
    data, source = reader.read_toml(path)
    entries = (data or {}).get("licence_types", {})
    if data is not None and not isinstance(entries, dict):
        reader.problem(path, 1, "licence-types.toml holds [licence_types.<slug>] tables")
        return {}
    types: dict[str, LicenceType] = {}
    for slug, entry in entries.items():
        line = source.line_at(("licence_types", slug))
        title = entry.get("title") if isinstance(entry, dict) else None
        if not isinstance(title, str) or not title.strip():
            reader.problem(path, line, f"licence type {slug!r} needs a `title`")
            continue
        listed = entry.get("professions", [])
        if (
            not isinstance(listed, list)
            or not listed
            or not all(isinstance(p, str) for p in listed)
        ):
            reader.problem(
                path, line, f"licence type {slug!r} needs `professions`, a list of profession slugs"
            )
            continue
        for profession in listed:
            if profession not in professions:
                reader.problem(
                    path,
                    line,
                    f"unknown profession {profession!r} for licence type {slug!r}; "
                    f"known: {', '.join(sorted(professions))}",
                )
        types[slug] = LicenceType(slug, title, tuple(listed))
    return types


def check_profession_types(
    reader: Reader,
    path: Path,
    professions: dict[str, Profession],
    types: dict[str, LicenceType],
) -> None:
    """A profession's ``licence_types`` name known types, exactly those that name it back."""
    if not types or not path.is_file():
        return  # a missing or broken vocabulary has its own problem line
    _data, source = reader.read_toml(path)
    for slug, profession in professions.items():
        line = source.line_at(("professions", slug, "licence_types"))
        for licence_type in profession.licence_types:
            if licence_type not in types:
                reader.problem(
                    path,
                    line,
                    f"unknown licence type {licence_type!r}; add it to {FILE} or use one of: "
                    f"{', '.join(sorted(types))}",
                )
            elif slug not in types[licence_type].professions:
                reader.problem(
                    path,
                    line,
                    f"licence type {licence_type!r} is listed under {slug!r}, but {FILE} "
                    f"gives it the professions {', '.join(types[licence_type].professions)}",
                )
        for missing in types.values():
            if slug in missing.professions and missing.slug not in profession.licence_types:
                reader.problem(
                    path,
                    line,
                    f"{FILE} gives licence type {missing.slug!r} the profession {slug!r}; "
                    f"list it in {slug!r}'s `licence_types` too",
                )
