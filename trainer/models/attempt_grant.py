"""Extra attempts at an assessment, granted to one learner by an administrator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.models.base import Base, UTCDateTime, utcnow


class AttemptGrant(Base):
    """``attempts`` more attempts at ``course_slug`` for ``user_id``, from the moment granted.

    A record, like an audit event: who granted what to whom, when and why. The
    attempt policy (``trainer/quizzes/policy.py``) adds it to the learner's allowance.
    """

    __tablename__ = "attempt_grants"
    __table_args__ = (Index("ix_attempt_grants_user_course", "user_id", "course_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_slug: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int]
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
