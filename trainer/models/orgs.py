"""Units, assignments, invitations, uploads waiting for confirmation, and the reminders log.

A unit's ``path`` lists the ids from the root down, like ``/12/40/``: the subtree
of a unit is every unit whose path starts with its path, one indexed
``LIKE '/12/%'`` query instead of a recursive walk.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.models.base import Base, UTCDateTime, utcnow

UNIT_KINDS = ("region", "district", "station", "hospital", "other")


class OrgUnit(Base):
    __tablename__ = "org_units"
    __table_args__ = (Index("ix_org_units_organisation_path", "organisation_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_units.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="other")
    name: Mapped[str] = mapped_column(String(200))
    # Ids from the root down, slash-separated and slash-terminated: "/12/40/".
    path: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def __repr__(self) -> str:
        return f"<OrgUnit {self.id} {self.path}>"


class Assignment(Base):
    """Courses due by a date, for a target resolved when asked (so newcomers inherit it).

    The target is a unit's subtree (``unit_id``), optionally narrowed to one
    ``profession``; the whole organisation (no unit); or named learners
    (``named`` true, rows in ``assignment_learners``).
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    curriculum_slug: Mapped[str | None] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_units.id", ondelete="RESTRICT"), index=True
    )
    profession: Mapped[str | None] = mapped_column(String(32))
    named: Mapped[bool] = mapped_column(default=False)
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[OrgUnit | None] = relationship()
    courses: Mapped[list[AssignmentCourse]] = relationship(
        order_by="AssignmentCourse.position", cascade="all, delete-orphan"
    )

    @property
    def course_slugs(self) -> list[str]:
        return [c.course_slug for c in self.courses]


class AssignmentCourse(Base):
    __tablename__ = "assignment_courses"

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True
    )
    course_slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class AssignmentLearner(Base):
    __tablename__ = "assignment_learners"

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Invitation(Base):
    """A learner enrolled by an organisation, to be mailed a link to set a password."""

    __tablename__ = "invitations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EnrolmentUpload(Base):
    """An uploaded staff list between its preview and its confirmation.

    Kept in the database, not on disk, so any process behind the load balancer
    can confirm it.
    """

    __tablename__ = "enrolment_uploads"

    # Random and unguessable: it travels in the confirmation form.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reminder(Base):
    """One reminder sent. The unique keys make ``trainer reminders send`` idempotent."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "assignment_id", "kind", "period"),
        # Digests concern no single assignment; NULLs never collide in a unique
        # constraint, so they get their own partial index.
        Index(
            "uq_reminders_digest",
            "user_id",
            "kind",
            "period",
            unique=True,
            sqlite_where=text("assignment_id IS NULL"),
            postgresql_where=text("assignment_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
