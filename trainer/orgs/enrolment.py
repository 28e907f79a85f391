"""Enrolling staff from a CSV file: plan (the preview), then apply (all rows or none).

Planning reads the file once and looks accounts up in batches of
:data:`LOOKUP_BATCH` emails, so a 50,000-row file costs about a hundred queries,
not 50,000. Applying writes with bulk INSERT and UPDATE statements.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from trainer.accounts.jurisdiction import country_name
from trainer.accounts.profile import ProfileVocabulary
from trainer.audit import record_event
from trainer.models import Invitation, OrgUnit, User, utcnow
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import RowError, StaffRow, read_staff
from trainer.orgs.units import unit_labels, unit_lookup

LOOKUP_BATCH = 500
ANALYZE_AFTER = 1_000

CREATE, LINK, MOVE, UNCHANGED = "create", "link", "move", "unchanged"


@dataclass(frozen=True)
class PlannedRow:
    row: StaffRow
    action: str
    unit_id: int
    unit_label: str
    user_id: int | None = None


@dataclass
class EnrolmentPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "created": self.count(CREATE),
            "linked": self.count(LINK),
            "moved": self.count(MOVE),
            "unchanged": self.count(UNCHANGED),
        }


def _batches(items: Sequence[Any], size: int = LOOKUP_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_accounts(db: Session, emails: Sequence[str]) -> dict[str, User]:
    accounts: dict[str, User] = {}
    for batch in _batches(emails):
        for user in db.scalars(select(User).where(User.email.in_(batch))):
            accounts[user.email] = user
    return accounts


def _resolve_unit(
    row: StaffRow, lookup: dict[str, list[OrgUnit]], scope: Scope
) -> tuple[OrgUnit | None, RowError | None]:
    key = "/".join(part.strip() for part in row.unit.split("/")).casefold()
    found = lookup.get(key, [])
    if not found:
        reason = _(
            "No unit '%(unit)s' in this organisation. Give its path, like 'North/District 4'.",
            unit=row.unit,
        )
        return None, RowError(row.line, "unit", reason)
    if len(found) > 1:
        reason = _(
            "Several units are called '%(unit)s'; give the path, like 'North/%(unit)s'.",
            unit=row.unit,
        )
        return None, RowError(row.line, "unit", reason)
    if not scope.covers_unit(found[0]):
        return None, RowError(
            row.line, "unit", _("'%(unit)s' is outside the units you manage.", unit=row.unit)
        )
    return found[0], None


def plan_enrolment(
    db: Session,
    scope: Scope,
    content: bytes,
    professions: Collection[str],
    vocabulary: ProfileVocabulary | None = None,
) -> EnrolmentPlan:
    """Check the file against the organisation; the plan says what applying would do."""
    staff = read_staff(content, professions, vocabulary)
    plan = EnrolmentPlan(errors=list(staff.errors))
    if not staff.rows:
        return plan
    lookup = unit_lookup(db, scope.organisation.id)
    labels = unit_labels(db, {u.id: u for units in lookup.values() for u in units}.values())
    accounts = _existing_accounts(db, [r.email for r in staff.rows])
    for row in staff.rows:
        unit, error = _resolve_unit(row, lookup, scope)
        user = accounts.get(row.email)
        if error is None and user is not None:
            error = _account_problem(row, user, scope) or _region_problem(row, user, vocabulary)
        if error is not None or unit is None:
            plan.errors.append(error or RowError(row.line, "unit", _("Unknown unit.")))
            continue
        plan.rows.append(
            PlannedRow(row, _action(user, unit), unit.id, labels[unit.id], user and user.id)
        )
    plan.errors.sort(key=lambda e: e.line)
    return plan


def _account_problem(row: StaffRow, user: User, scope: Scope) -> RowError | None:
    if user.organisation_id not in (None, scope.organisation.id):
        return RowError(
            row.line,
            "email",
            _(
                "%(email)s already belongs to another organisation. It was not moved: "
                "ask that organisation to release the account, or remove the row.",
                email=row.email,
            ),
        )
    if user.organisation_id is None and user.role != "learner":
        # A verifier's or the site admin's account is never pulled into an organisation;
        # the reason does not say which kind of account the address has.
        return RowError(
            row.line,
            "email",
            _(
                "%(email)s cannot be enrolled from a file. Remove the row, or ask the "
                "site administrator.",
                email=row.email,
            ),
        )
    if scope.whole:
        return None
    # An admin of one unit moves only learners, and only those already in their
    # units or in no organisation yet: never the organisation's other admins,
    # nor members placed nowhere (often the organisation-wide admins themselves).
    if user.role != "learner":
        return RowError(
            row.line,
            "email",
            _(
                "%(email)s is an administrator's or verifier's account. Only an admin of the "
                "whole organisation can place it in a unit.",
                email=row.email,
            ),
        )
    if user.organisation_id == scope.organisation.id and not scope.covers_member(user):
        return RowError(
            row.line,
            "email",
            _("%(email)s is in a unit outside the units you manage.", email=row.email),
        )
    return None


def _region_problem(
    row: StaffRow, user: User, vocabulary: ProfileVocabulary | None
) -> RowError | None:
    """A region in the file must lie in the country the learner already gave."""
    if not row.region or not user.country or row.region.startswith(f"{user.country}-"):
        return None
    message = _(
        "%(region)s is not in %(country)s, the country %(email)s gave; "
        "correct the region or leave it empty.",
        region=row.region,
        country=country_name(user.country, vocabulary.language if vocabulary else "en"),
        email=row.email,
    )
    return RowError(row.line, "region", message)


def _action(user: User | None, unit: OrgUnit) -> str:
    if user is None:
        return CREATE
    if user.organisation_id is None:
        return LINK
    return UNCHANGED if user.unit_id == unit.id else MOVE


def apply_enrolment(db: Session, scope: Scope, plan: EnrolmentPlan, actor: User | None) -> None:
    """Create, link and move as planned, in bulk. Refuses a plan with errors."""
    if not plan.ok:
        raise ValueError("An enrolment with errors cannot be applied.")
    organisation_id = scope.organisation.id
    new = [r for r in plan.rows if r.action == CREATE]
    changed = [r for r in plan.rows if r.action in (LINK, MOVE)]
    now = utcnow()
    new_ids: list[int] = []
    for batch in _batches(new):
        rows = [_new_account(r, organisation_id, now) for r in batch]
        new_ids += db.scalars(insert(User).returning(User.id), rows).all()
    invited_by = actor.id if actor else None
    invited = [
        {
            "user_id": i,
            "organisation_id": organisation_id,
            "created_at": now,
            "invited_by_id": invited_by,
        }
        for i in new_ids
    ]
    for batch in _batches(invited):
        db.execute(insert(Invitation), batch)
    for batch in _batches(changed):
        db.execute(
            update(User),
            [
                {"id": r.user_id, "organisation_id": organisation_id, "unit_id": r.unit_id}
                for r in batch
            ],
        )
    if len(new) >= ANALYZE_AFTER and db.get_bind().dialect.name == "postgresql":
        # Thousands of new rows at once: refresh the planner's statistics now rather
        # than when autovacuum gets to it, so the next upload's lookups use the index.
        db.execute(text("ANALYZE users"))
    if new or changed:
        record_event(
            db,
            "enrolment.import",
            actor=actor,
            target_type="organisation",
            target_id=scope.organisation.slug,
            organisation_id=organisation_id,
            **plan.summary(),
        )
    db.flush()


def _new_account(planned: PlannedRow, organisation_id: int, now: Any) -> dict[str, Any]:
    row = planned.row
    return {
        "email": row.email,
        "full_name": row.full_name,
        "role": "learner",
        "profession": row.profession,
        "licence_type": row.licence_type,
        "licence_number": row.licence_number,
        "licensing_board": row.licensing_board,
        "country": row.country,
        "region": row.region,
        "organisation_id": organisation_id,
        "unit_id": planned.unit_id,
        "active": True,
        "created_at": now,
    }
