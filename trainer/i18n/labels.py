"""Names shown for the interface's own codes: roles, statuses, kinds of unit.

The codes stay in the database, the API and CSV exports; pages show these
names, in the reader's language, through the ``label`` template filter.
Content vocabularies (professions, content areas) are named by the content.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

LABELS: dict[str, LazyString] = {
    # Roles
    "learner": _l("Learner"),
    "org_admin": _l("Organisation admin"),
    "verifier": _l("Verifier"),
    "admin": _l("Site admin"),
    # Where a learner stands in a course
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "modules_complete": _l("Modules done: assessment next"),
    "completed": _l("Completed"),
    "overdue": _l("Overdue"),
    # Kinds of unit in an organisation
    "region": _l("Region"),
    "district": _l("District"),
    "station": _l("Station"),
    "hospital": _l("Hospital"),
    "other": _l("Other"),
    # What importing a staff list does to each row
    "create": _l("New account"),
    "link": _l("Existing account joins"),
    "move": _l("Moves to this unit"),
    "unchanged": _l("Unchanged"),
}


def label(code: str | None) -> str:
    """The name to show for ``code``; an unknown code shows as itself, underscores as spaces."""
    if not code:
        return ""
    name = LABELS.get(code)
    return str(name) if name is not None else code.replace("_", " ")
