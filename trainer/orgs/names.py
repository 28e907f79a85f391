"""Names in the reader's language for the codes the database keeps.

Admin pages showed ``police``, ``core``, ``assignment.create`` and Python reprs
(``unit: None``, ``courses: ['core', 'police']``). Here each code becomes what a
training officer reads: the profession's and course's title from the catalogue in
their language, a unit's path, a sentence per audit event and its details as
labelled values. Unknown codes are shown as they are, never hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from trainer.content.model import Catalogue
from trainer.i18n.formatting import local_date, local_number
from trainer.models import Assignment, AuditEvent, User

ACTIONS = {
    "admin.scope": _l("Admin's scope changed"),
    "assignment.create": _l("Assignment created"),
    "attempts.grant": _l("Attempts granted"),
    "certificate.verify": _l("Certificate verified"),
    "certificate.verify_batch": _l("Certificates verified in bulk"),
    "certificate.revoke": _l("Certificate revoked"),
    "certificate.reissue": _l("Certificate reissued"),
    "enrolment.import": _l("Staff enrolled from a file"),
    "organisation.create": _l("Organisation created"),
    "token.create": _l("API token created"),
    "unit.create": _l("Unit created"),
    "unit.move": _l("Unit moved"),
    "unit.rename": _l("Unit renamed"),
    "user.create": _l("Account created"),
}

KEYS = {
    "attempts": _l("Attempts"),
    "course": _l("Course"),
    "courses": _l("Courses"),
    "created": _l("New accounts"),
    "due": _l("Due"),
    "kind": _l("Kind"),
    "learners": _l("Named learners"),
    "linked": _l("Existing accounts joined"),
    "moved": _l("Moved to another unit"),
    "unchanged": _l("Unchanged"),
    "name": _l("Name"),
    "new": _l("New name"),
    "new_parent": _l("New parent unit"),
    "old": _l("Old name"),
    "old_parent": _l("Old parent unit"),
    "parent": _l("Parent unit"),
    "profession": _l("Profession"),
    "reason": _l("Reason"),
    "role": _l("Role"),
    "rows": _l("Rows"),
    "unit": _l("Unit"),
    "updated": _l("Accounts updated"),
    "via": _l("Through"),
}
UNIT_KEYS = frozenset({"unit", "parent", "old_parent", "new_parent"})
TARGETS = {
    "assignment": _l("assignment"),
    "organisation": _l("organisation"),
    "unit": _l("unit"),
    "user": _l("person"),
}


@dataclass(frozen=True)
class Names:
    """Looks codes up in one catalogue (the reader's language) and the org's unit labels."""

    catalogue: Catalogue
    units: Mapping[int, str]

    def profession(self, slug: str | None) -> str:
        if not slug:
            return str(_l("(any profession)"))
        found = self.catalogue.professions.get(slug)
        return found.title if found else slug

    def course(self, slug: str) -> str:
        found = self.catalogue.courses.get(slug)
        return found.title if found else slug

    def curriculum(self, slug: str | None) -> str:
        found = self.catalogue.curricula.get(slug or "")
        return found.title if found else (slug or "")

    def unit(self, unit_id: object) -> str:
        if unit_id in (None, ""):
            return str(_l("(the whole organisation)"))
        try:
            return self.units.get(int(str(unit_id)), str(unit_id))
        except ValueError:
            return str(unit_id)

    def value(self, key: str, value: Any) -> str:
        """One detail's value as words: names for codes, lists joined, no reprs."""
        if key in UNIT_KEYS:
            return self.unit(value)
        if key == "profession":
            return self.profession(value)
        if key in ("course", "courses"):
            slugs = value if isinstance(value, list) else [value]
            return ", ".join(self.course(str(s)) for s in slugs)
        if key in ("due", "since") and isinstance(value, str):
            try:
                return local_date(date.fromisoformat(value[:10]))
            except ValueError:
                return value
        if key == "via":
            return {"cli": str(_l("the command line")), "csv": str(_l("a CSV file"))}.get(
                str(value), str(value)
            )
        return words(value)


def words(value: Any) -> str:
    """Any JSON value as plain text: ``None`` → "—", lists comma-joined, yes/no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list | tuple):
        return ", ".join(words(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {words(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class ReadableEvent:
    at: Any
    who: str
    sentence: str
    target: str
    details: tuple[tuple[str, str], ...]


def readable_event(event: AuditEvent, actor: User | None, names: Names) -> ReadableEvent:
    """An audit event as a sentence with labelled details, in the reader's language."""
    what = ACTIONS.get(event.action)
    sentence = str(what) if what is not None else event.action
    target = ""
    if event.target_type == "unit":
        target = names.unit(event.target_id)
    elif event.target_type and event.target_type != "organisation":  # the log is the org's
        kind = TARGETS.get(event.target_type)
        target = f"{kind or event.target_type} {event.target_id or ''}".strip()
    details = tuple(
        (str(KEYS.get(key, key.replace("_", " "))), names.value(key, value))
        for key, value in (event.detail or {}).items()
    )
    who = actor.full_name or actor.email if actor is not None else str(_l("(command line)"))
    return ReadableEvent(event.at, who, sentence, target, details)


def people_sentence(done: int, total: int) -> str:
    """The headline: "412 of 1,000 people have completed their curriculum"."""
    return ngettext(
        "%(done)s of %(total)s person has completed their assigned training",
        "%(done)s of %(total)s people have completed their assigned training",
        total,
        done=local_number(done),
        total=local_number(total),
    )


def profession_name(slug: str | None) -> str:
    """Template global: a profession's title in the reader's language ("" for none)."""
    from trainer.content.catalogue import shown_catalogue

    return Names(shown_catalogue(), {}).profession(slug) if slug else ""


def course_name(slug: str) -> str:
    """Template global: a course's title in the reader's language."""
    from trainer.content.catalogue import shown_catalogue

    return Names(shown_catalogue(), {}).course(slug)


def assignment_title(assignment: Assignment) -> str:
    """Template global: an assignment's curriculum or courses named in the reader's language
    (the stored title is in the language of whoever created it)."""
    from trainer.content.catalogue import shown_catalogue

    catalogue = shown_catalogue()
    curriculum = catalogue.curricula.get(assignment.curriculum_slug or "")
    if curriculum is not None:
        return curriculum.title
    slugs = assignment.course_slugs
    if slugs and all(s in catalogue.courses for s in slugs):
        return ", ".join(catalogue.courses[s].title for s in slugs)
    return assignment.title
