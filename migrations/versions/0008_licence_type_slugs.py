"""licence types stored as the vocabulary's slugs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:00:00

Before licence types were a vocabulary in content, the form stored its own
words ("social worker") and staff lists whatever a spreadsheet held ("Nurse").
Each value that names one of the original list's types is rewritten as its slug
("social-worker", "nurse"); any other value is left for its owner to choose
again on the account page, which shows it unset.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The form's former words (lower case, trimmed) and the slug each became.
FORMER = {
    "nurse": "nurse",
    "physician": "physician",
    "pharmacist": "pharmacist",
    "dentist": "dentist",
    "cosmetologist": "cosmetologist",
    "barber": "barber",
    "social worker": "social-worker",
    "social-worker": "social-worker",
    "teacher": "teacher",
    "other": "other",
}


def upgrade() -> None:
    users = sa.table("users", sa.column("licence_type", sa.String))
    for former, slug in FORMER.items():
        op.execute(
            users.update()
            .where(sa.func.lower(sa.func.trim(users.c.licence_type)) == former)
            .values(licence_type=slug)
        )


def downgrade() -> None:
    # The slugs are valid values for the older code too; only one is spelt differently.
    users = sa.table("users", sa.column("licence_type", sa.String))
    op.execute(
        users.update()
        .where(users.c.licence_type == "social-worker")
        .values(licence_type="social worker")
    )
