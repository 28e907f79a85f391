"""Referral directories: whom a learner's unit calls, and the steps its protocol follows.

Each row belongs to an organisation and, optionally, one unit (no unit: the
whole organisation). ``language`` is the language of its text; ``""`` means
"no language given" and is shown when the reader's language has no row.
``referral_directories`` holds one version number per organisation, bumped on
every change, so rendered directories are cached by it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, UTCDateTime, utcnow
from trainer.models.orgs import OrgUnit
from trainer.models.user import User

REFERRAL_ROLES = (
    "police",
    "child-protection",
    "shelter",
    "legal-aid",
    "health",
    "labour-inspection",
    "ngo",
    "hotline",
)


class _Reviewed:
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReferralContact(_Reviewed, Base):
    __tablename__ = "referral_contacts"
    __table_args__ = (Index("ix_referral_contacts_org_unit", "organisation_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16), default="")
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    #: E.164 ("+26622312345"), or a short code of 3 to 6 digits ("112").
    phone: Mapped[str] = mapped_column(String(20), default="")
    text_number: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    #: Space-separated profession slugs; empty: every profession.
    professions: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    unit: Mapped[OrgUnit | None] = relationship()
    reviewed_by: Mapped[User | None] = relationship()


class ReferralStep(_Reviewed, Base):
    __tablename__ = "referral_steps"
    __table_args__ = (Index("ix_referral_steps_org_unit", "organisation_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16), default="")
    #: One profession slug, or empty for every profession.
    profession: Mapped[str] = mapped_column(String(32), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: Markdown, rendered through the module sanitiser when shown.
    body: Mapped[str] = mapped_column(Text)

    unit: Mapped[OrgUnit | None] = relationship()
    reviewed_by: Mapped[User | None] = relationship()


class ReferralDirectory(Base):
    """One row per organisation: the version its cached directories are keyed by."""

    __tablename__ = "referral_directories"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
