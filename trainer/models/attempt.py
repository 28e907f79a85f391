"""Assessment attempts: what was drawn, what was answered, and the one graded result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from trainer.models.base import Base, UTCDateTime, utcnow


class Attempt(Base):
    __tablename__ = "attempts"
    # Allows the plain (unmapped) attribute ``graded`` below.
    __allow_unmapped__ = True
    __table_args__ = (
        Index("ix_attempts_user_course", "user_id", "course_slug"),
        Index("ix_attempts_course_submitted", "course_slug", "submitted_at"),
        # At most one open attempt per learner and course, whatever the concurrency.
        Index(
            "uq_attempts_one_open",
            "user_id",
            "course_slug",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    # Random and unguessable: it appears in addresses.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_slug: Mapped[str] = mapped_column(String(64))
    course_version: Mapped[str] = mapped_column(String(16))
    # The language variant of the course the attempt was taken in.
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    seed: Mapped[int] = mapped_column(BigInteger)
    item_ids: Mapped[list[str]] = mapped_column(JSON)
    item_versions: Mapped[dict[str, str]] = mapped_column(JSON)
    presentation: Mapped[dict[str, Any]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    passed: Mapped[bool | None]
    # Per item: score, max_score, correct, and the version graded.
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    #: Set when the attempt is graded in this process: each item's result with its
    #: feedback (``ItemResult``), which ``results`` does not store.
    graded: dict[str, Any] | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score, 1)
