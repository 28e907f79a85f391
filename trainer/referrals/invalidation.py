"""Renaming, moving or deleting a unit renews its organisation's cached directories.

The learner's directory is cached by the organisation's directory version
(``trainer.referrals.display``), and it names units ("Maseru District protocol")
and follows their parents. Unit pages belong to the organisation package, so
rather than have each of them remember the directory, a flush that changes a
unit bumps the version of that organisation's directory, if it has one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from trainer.models import OrgUnit, utcnow
from trainer.models.referral import ReferralDirectory

_WATCHED = ("name", "parent_id", "path")


def _changed_units(session: Session) -> set[int]:
    organisations = {u.organisation_id for u in session.deleted if isinstance(u, OrgUnit)}
    for unit in session.dirty:
        if isinstance(unit, OrgUnit):
            attributes = inspect(unit).attrs
            if any(attributes[name].history.has_changes() for name in _WATCHED):
                organisations.add(unit.organisation_id)
    return organisations


@event.listens_for(Session, "before_flush")
def _renew_directories(session: Session, _context: Any, _instances: Any) -> None:
    for organisation_id in _changed_units(session):
        with session.no_autoflush:
            directory = session.get(ReferralDirectory, organisation_id)
        if directory is not None:
            directory.version += 1
            directory.changed_at = utcnow()
