"""A learner's progress through course modules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.models.base import Base, UTCDateTime, utcnow


class ModuleCompletion(Base):
    """One module marked complete by one learner. Recording it twice changes nothing."""

    __tablename__ = "module_completions"
    __table_args__ = (
        UniqueConstraint("user_id", "course_slug", "module_slug"),
        Index("ix_module_completions_course_slug", "course_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_slug: Mapped[str] = mapped_column(String(64))
    module_slug: Mapped[str] = mapped_column(String(64))
    # The course version the learner read, for the record.
    course_version: Mapped[str] = mapped_column(String(16))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModuleOpening(Base):
    """When a learner first opened a module: the start of the clock for time on task."""

    __tablename__ = "module_openings"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_slug: Mapped[str] = mapped_column(String(64))
    module_slug: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
