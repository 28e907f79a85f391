"""Certificates and the keys that sign their credentials.

A certificate row is a record of what was printed: the name, licence data,
course, hours and requirement sets are copied at issue time, so a later change
to an account or to the content never changes a certificate already issued.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, UTCDateTime, utcnow
from trainer.models.user import User

#: How a certificate came to be: earned on the platform, or recorded by an admin
#: for a completion done elsewhere (an in-person session).
SOURCES = ("platform", "manual")


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (
        # Exactly one current certificate per learner and course version, whatever
        # the concurrency; a superseded one steps aside for its replacement.
        Index(
            "uq_certificates_current",
            "user_id",
            "course_slug",
            "course_version",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
        Index("ix_certificates_licence_key", "licence_key"),
        Index("ix_certificates_course_issued", "course_slug", "issued_at"),
        # One certificate per place in a revocation status list.
        Index("uq_certificates_status_entry", "status_list", "status_list_index", unique=True),
    )

    # 128 random bits in Crockford base32 with a check character, without hyphens.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    course_slug: Mapped[str] = mapped_column(String(64))
    course_version: Mapped[str] = mapped_column(String(16))
    course_title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(16), default="en")
    # As printed: exactly as the learner gave it.
    name: Mapped[str] = mapped_column(String(200))
    licence_type: Mapped[str | None] = mapped_column(String(64))
    licence_number: Mapped[str | None] = mapped_column(String(64))
    licence_board: Mapped[str | None] = mapped_column(String(200))
    # The licence number without spaces, hyphens or case, for lookups by boards.
    licence_key: Mapped[str | None] = mapped_column(String(64))
    hours: Mapped[float]
    content_areas: Mapped[list[str]] = mapped_column(JSON)
    # The requirement sets satisfied, as they read at issue time:
    # slug, title, authority, citation and, when the rule renews, valid_until.
    requirements: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    completed_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when every requirement satisfied renews: the certificate then expires.
    valid_until: Mapped[date | None] = mapped_column(Date)
    provider_name: Mapped[str] = mapped_column(String(200))
    provider_approval: Mapped[str] = mapped_column(String(100), default="")
    # The signed Open Badges credential (a VC-JWT) and the key that signed it.
    credential: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(64))
    # Its place in the W3C Bitstring Status List published for revocation
    # (list number from 1, random index); empty for certificates issued before.
    status_list: Mapped[int | None] = mapped_column(Integer)
    status_list_index: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default="platform")
    issue_reason: Mapped[str | None] = mapped_column(Text)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def status(self, today: date) -> str:
        """valid, revoked, superseded or expired: what a verifier is told."""
        if self.revoked_at is not None:
            return "revoked"
        if self.superseded_at is not None:
            return "superseded"
        if self.valid_until is not None and today > self.valid_until:
            return "expired"
        return "valid"

    def __repr__(self) -> str:
        return f"<Certificate {self.id} {self.course_slug}>"


class SigningKey(Base):
    """A public key that has signed credentials. Never deleted: old certificates need it."""

    __tablename__ = "signing_keys"

    # The RFC 7638 thumbprint of the public key.
    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the private key may have leaked: what it signed from then on is invalid.
    compromised_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
