"""Migration 0008: licence types written before the vocabulary become its slugs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import create_engine, insert, select

from trainer.migrate import upgrade
from trainer.models import utcnow

#: The users table as revision 0007 left it, as far as this test writes it: other
#: branches' later columns (with model defaults) must not enter the INSERT.
USERS = sa.table(
    "users",
    *(sa.column(name) for name in ("email", "full_name", "role", "active", "created_at")),
    sa.column("licence_type"),
)


def test_former_words_become_slugs_and_other_values_stay(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0007")
    values = {"a": "social worker", "b": " Nurse ", "c": "RN", "d": None, "e": "cosmetologist"}
    with engine.begin() as connection:
        connection.execute(
            insert(USERS),
            [
                {
                    "email": f"{key}@example.org",
                    "full_name": key,
                    "role": "learner",
                    "active": True,
                    "created_at": utcnow(),
                    "licence_type": value,
                }
                for key, value in values.items()
            ],
        )
    upgrade(engine, "0008")
    with engine.connect() as connection:
        rows = dict(connection.execute(select(USERS.c.full_name, USERS.c.licence_type)).all())
    assert rows == {"a": "social-worker", "b": "nurse", "c": "RN", "d": None, "e": "cosmetologist"}
    engine.dispose()
