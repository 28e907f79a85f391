"""provider approvals (deployment data) and module first openings (time on task)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from trainer.models.base import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_slug", sa.String(length=64), nullable=False),
        sa.Column("approval_number", sa.String(length=64), nullable=False),
        sa.Column("approving_body", sa.String(length=200), nullable=False),
        sa.Column("provider_category", sa.String(length=64), nullable=False),
        sa.Column("course_slug", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_provider_approvals_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_approvals")),
    )
    op.create_index(
        op.f("ix_provider_approvals_requirement_slug"), "provider_approvals", ["requirement_slug"]
    )
    op.create_table(
        "module_openings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_slug", sa.String(length=64), nullable=False),
        sa.Column("module_slug", sa.String(length=64), nullable=False),
        sa.Column("opened_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_module_openings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module_openings")),
        sa.UniqueConstraint(
            "user_id", "course_slug", "module_slug", name=op.f("uq_module_openings_user_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("module_openings")
    op.drop_index(op.f("ix_provider_approvals_requirement_slug"), table_name="provider_approvals")
    op.drop_table("provider_approvals")
