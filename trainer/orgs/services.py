"""Organisation operations. They take the session as an argument and only flush."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.models import ORGANISATION_KINDS, Organisation
from trainer.text_safety import invisible_problem

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def create_organisation(db: Session, *, slug: str, name: str, kind: str = "other") -> Organisation:
    """Create an organisation. Raises ``ValueError`` saying what to fix."""
    if not SLUG_PATTERN.match(slug):
        raise ValueError(
            f"The slug {slug!r} must be 2 to 64 lower-case letters, digits or hyphens, "
            "starting with a letter or digit."
        )
    if kind not in ORGANISATION_KINDS:
        raise ValueError(f"Unknown kind {kind!r}; use one of {', '.join(ORGANISATION_KINDS)}.")
    name = " ".join(name.split())
    if not name:
        raise ValueError("The organisation needs a name.")
    problem = invisible_problem(name, "--name")
    if problem:
        raise ValueError(problem)
    if db.scalar(select(Organisation).where(Organisation.slug == slug)) is not None:
        raise ValueError(f"An organisation with slug {slug!r} already exists.")
    organisation = Organisation(slug=slug, name=name, kind=kind)
    db.add(organisation)
    db.flush()
    return organisation
