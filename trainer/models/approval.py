"""Provider approvals: which licensing rules this deployment's operator is approved for.

Deployment data, not content: the same courses can be run by an approved provider
and by one that is not, and only the approved one may print a rule as satisfied.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.models.base import Base, UTCDateTime, utcnow


class ProviderApproval(Base):
    """One approval held for one requirement set, with the dates it is valid."""

    __tablename__ = "provider_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The requirement set's slug in courses/requirements/ ("us-fl-456-0341").
    requirement_slug: Mapped[str] = mapped_column(String(64), index=True)
    # As the approving body issued it ("50-12345", "HT-2024-017").
    approval_number: Mapped[str] = mapped_column(String(64))
    approving_body: Mapped[str] = mapped_column(String(200))
    # What kind of provider the approval recognises ("state-agency", "ce-provider").
    provider_category: Mapped[str] = mapped_column(String(64), default="")
    # The course the approval names, when the body approved one course (most do);
    # None: any course of this site that meets the rule.
    course_slug: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
