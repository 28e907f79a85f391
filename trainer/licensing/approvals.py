"""Provider approvals: recorded by the site operator, read when rules are matched.

Functions take the session and only flush; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.audit import record_event
from trainer.certificates.requirements import Approval
from trainer.content.model import Catalogue
from trainer.models import ProviderApproval, User


class ApprovalError(ValueError):
    """An approval that cannot be recorded as given; the message says what to fix."""


@dataclass(frozen=True)
class NewApproval:
    """What the operator types: the rule, the number, who approved and when it is valid."""

    requirement_slug: str
    approval_number: str
    approving_body: str
    provider_category: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    #: The course the body approved; None when the approval covers any course.
    course_slug: str | None = None


def held_approvals(db: Session) -> tuple[Approval, ...]:
    """Every approval on record, as the pure matching code takes them."""
    rows = db.scalars(select(ProviderApproval).order_by(ProviderApproval.id))
    return tuple(as_approval(row) for row in rows)


def as_approval(row: ProviderApproval) -> Approval:
    return Approval(
        requirement_slug=row.requirement_slug,
        number=row.approval_number,
        body=row.approving_body,
        category=row.provider_category,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        course_slug=row.course_slug,
    )


def list_approvals(db: Session) -> list[ProviderApproval]:
    return list(
        db.scalars(
            select(ProviderApproval).order_by(
                ProviderApproval.requirement_slug, ProviderApproval.id
            )
        )
    )


def add_approval(
    db: Session, new: NewApproval, catalogue: Catalogue, actor: User | None, via: str
) -> ProviderApproval:
    """Record an approval after checking it names a real rule and sensible dates."""
    rule = catalogue.requirement_sets.get(new.requirement_slug)
    if rule is None:
        known = ", ".join(sorted(catalogue.requirement_sets))
        raise ApprovalError(f"No requirement set {new.requirement_slug!r}; known: {known}.")
    number, body = new.approval_number.strip(), new.approving_body.strip()
    if not number or not body:
        raise ApprovalError("Give the approval number and the approving body as issued.")
    if len(number) > 64 or len(body) > 200 or len(new.provider_category) > 64:
        raise ApprovalError("Approval number ≤ 64, body ≤ 200, category ≤ 64 characters.")
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        raise ApprovalError("The approval ends before it starts: check the two dates.")
    category = new.provider_category.strip()
    if rule.provider_categories and category not in rule.provider_categories:
        raise ApprovalError(
            f"{rule.slug} accepts only these provider categories: "
            f"{', '.join(rule.provider_categories)}."
        )
    course = new.course_slug or None
    if course is not None and course not in catalogue.courses:
        raise ApprovalError(f"No course {course!r}; courses: {', '.join(catalogue.courses)}.")
    row = ProviderApproval(
        requirement_slug=rule.slug,
        course_slug=course,
        approval_number=number,
        approving_body=body,
        provider_category=category,
        valid_from=new.valid_from,
        valid_until=new.valid_until,
        created_by_id=actor.id if actor else None,
    )
    db.add(row)
    db.flush()
    record_event(
        db,
        "approval.add",
        actor=actor,
        target_type="provider_approval",
        target_id=row.id,
        via=via,
        requirement=rule.slug,
        number=number,
        body=body,
        category=category,
        course=course,
        valid_from=new.valid_from.isoformat() if new.valid_from else None,
        valid_until=new.valid_until.isoformat() if new.valid_until else None,
    )
    return row


def remove_approval(db: Session, approval_id: int, actor: User | None, via: str) -> None:
    """Delete an approval; certificates already issued keep what they recorded."""
    row = db.get(ProviderApproval, approval_id)
    if row is None:
        raise ApprovalError(f"No approval with id {approval_id}; see `trainer approvals list`.")
    record_event(
        db,
        "approval.remove",
        actor=actor,
        target_type="provider_approval",
        target_id=row.id,
        via=via,
        requirement=row.requirement_slug,
        number=row.approval_number,
    )
    db.delete(row)
    db.flush()
