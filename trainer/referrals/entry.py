"""Entering contacts and protocols in the browser. Services only flush.

The form's values go through the same checks as a CSV row
(``trainer.referrals.csvfile``), so a number or a name refused in a file is
refused here too, with the same sentence, shown beside its field.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from trainer.content.catalogue import catalogue
from trainer.i18n import LANGUAGES
from trainer.models import OrgUnit, User, utcnow
from trainer.models.referral import ReferralContact, ReferralStep
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import RowError
from trainer.referrals.csvfile import DirectoryRow, read_row
from trainer.referrals.forms import ContactForm, ProtocolForm
from trainer.referrals.services import directory_changed, new_contact, placed_in

_FORM_FIELDS = {"text": "text", "step": "steps"}


def _check(form: ContactForm | ProtocolForm, cells: dict[str, str]) -> DirectoryRow | None:
    """The row, or None with each problem put on its form field."""
    errors: list[RowError] = []
    row = read_row(0, cells, list(catalogue().professions), list(LANGUAGES), errors)
    for error in errors:
        field = getattr(form, _FORM_FIELDS.get(error.column, error.column), None) or form.unit
        field.errors = [*field.errors, error.reason]
    return row


def contact_row(form: ContactForm) -> DirectoryRow | None:
    cells = {
        name: getattr(form, name).data or ""
        for name in ("role", "name", "phone", "text", "email", "hours", "languages", "address")
    }
    cells |= {
        "type": "contact",
        "language": form.language.data or "",
        "profession": form.professions.data or "",
    }
    return _check(form, cells)


def contact_problems(form: ContactForm) -> list[str]:
    return [] if contact_row(form) is not None else ["contact"]


def protocol_problems(form: ProtocolForm) -> list[str]:
    for line in _lines(form.steps.data):
        cells = {
            "type": "step",
            "step": line,
            "language": form.language.data or "",
            "profession": form.profession.data or "",
        }
        if _check(form, cells) is None:
            return ["step"]
    return []


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _placed(scope: Scope, unit: OrgUnit | None, language: str, actor: User) -> dict[str, object]:
    return {
        "organisation_id": scope.organisation.id,
        "unit_id": unit.id if unit else None,
        "language": language,
        "reviewed_at": utcnow(),
        "reviewed_by_id": actor.id,
    }


def add_contact(
    db: Session, scope: Scope, unit: OrgUnit | None, form: ContactForm, actor: User
) -> ReferralContact:
    row = contact_row(form)
    assert row is not None  # checked by contact_problems first
    contact = new_contact(row, position=10_000, **_placed(scope, unit, row.language, actor))
    db.add(contact)
    db.flush()
    directory_changed(
        db,
        scope.organisation.id,
        "contact_add",
        actor,
        ("referral_contact", contact.id),
        unit=unit.id if unit else None,
        name=contact.name,
        role=contact.role,
    )
    return contact


def set_protocol(
    db: Session, scope: Scope, unit: OrgUnit | None, form: ProtocolForm, actor: User
) -> int:
    """Replace the unit's protocol for one language and profession with the form's lines."""
    language, profession = form.language.data or "", form.profession.data or ""
    unit_condition = (
        ReferralStep.unit_id.is_(None) if unit is None else ReferralStep.unit_id == unit.id
    )
    db.execute(
        delete(ReferralStep).where(
            ReferralStep.organisation_id == scope.organisation.id,
            unit_condition,
            ReferralStep.language == language,
            ReferralStep.profession == profession,
        )
    )
    lines = _lines(form.steps.data)
    for position, line in enumerate(lines, 1):
        db.add(
            ReferralStep(
                profession=profession,
                position=position,
                body=line,
                **_placed(scope, unit, language, actor),
            )
        )
    org_id = scope.organisation.id
    target = placed_in(unit, ("organisation", org_id))
    directory_changed(
        db,
        org_id,
        "protocol_set",
        actor,
        target,
        language=language,
        profession=profession,
        steps=len(lines),
    )
    return len(lines)


def remove_contact(db: Session, scope: Scope, contact_id: str, actor: User) -> str | None:
    """Delete the contact if ``scope`` covers it; its name, or None when it is not there."""
    contact = db.get(ReferralContact, int(contact_id)) if contact_id.isdigit() else None
    if contact is None or contact.organisation_id != scope.organisation.id:
        return None
    if contact.unit is None and not scope.whole:
        return None
    if contact.unit is not None and not scope.covers_unit(contact.unit):
        return None
    name, role, unit_id, target = contact.name, contact.role, contact.unit_id, contact.id
    db.delete(contact)
    directory_changed(
        db,
        scope.organisation.id,
        "contact_remove",
        actor,
        ("referral_contact", target),
        unit=unit_id,
        name=name,
        role=role,
    )
    return name
