"""Names of the contact roles in the reader's language (the codes are what is stored)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

ROLE_LABELS: dict[str, LazyString] = {
    "police": _l("Police anti-trafficking unit"),
    "child-protection": _l("Child protection"),
    "shelter": _l("Shelter"),
    "legal-aid": _l("Legal aid"),
    "health": _l("Health"),
    "labour-inspection": _l("Labour inspection"),
    "ngo": _l("NGO"),
    "hotline": _l("Hotline"),
}


def role_label(role: str) -> str:
    name = ROLE_LABELS.get(role)
    return str(name) if name is not None else role
