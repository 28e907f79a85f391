"""What must hold in the database after a load or kill run, whatever happened during it.

Each check returns problems in words; an empty list means the run lost nothing
and duplicated nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, text

from bench.learners import Outcome
from trainer.content.model import Catalogue


def check_run(engine: Engine, catalogue: Catalogue, outcomes: list[Outcome]) -> list[str]:
    """Every learner's journey, progress, attempts and certificate, and the run as a whole."""
    problems = _journeys(outcomes)
    with engine.connect() as connection:
        users = _user_ids(connection, [o.learner.email for o in outcomes])
        problems += _accounts(outcomes, users)
        problems += _progress(connection, catalogue, outcomes, users)
        problems += _attempts(connection, outcomes, users)
        problems += _certificates(connection, catalogue, outcomes, users)
        problems += _duplicates(connection)
    return problems


def _journeys(outcomes: list[Outcome]) -> list[str]:
    problems = []
    for outcome in outcomes:
        who = outcome.learner.email
        if not outcome.finished:
            problems.append(f"{who}: journey did not finish: {outcome.error}")
            continue
        seen = {json.dumps(r, sort_keys=True) for r in outcome.results_seen}
        if len(seen) != 1:
            problems.append(f"{who}: the submits answered differently: {outcome.results_seen}")
        if not all(r["passed"] for r in outcome.results_seen):
            problems.append(f"{who}: did not pass with the right answers")
        if not outcome.pdf_valid or outcome.verified_status != "valid":
            problems.append(f"{who}: certificate not verified ({outcome.verified_status})")
    return problems


def _user_ids(connection: Any, emails: list[str]) -> dict[str, int]:
    rows = connection.execute(text("SELECT email, id FROM users WHERE email LIKE '%@load.example'"))
    wanted = set(emails)
    return {email: user_id for email, user_id in rows if email in wanted}


def _accounts(outcomes: list[Outcome], users: dict[str, int]) -> list[str]:
    return [f"{o.learner.email}: no account" for o in outcomes if o.learner.email not in users]


def _progress(
    connection: Any, catalogue: Catalogue, outcomes: list[Outcome], users: dict[str, int]
) -> list[str]:
    done: dict[int, set[tuple[str, str]]] = defaultdict(set)
    rows = connection.execute(
        text("SELECT user_id, course_slug, module_slug FROM module_completions")
    )
    for user_id, course, module in rows:
        done[user_id].add((course, module))
    problems = []
    for outcome in outcomes:
        user_id = users.get(outcome.learner.email)
        course = catalogue.courses[outcome.learner.course]
        expected = {(course.slug, m.slug) for m in course.modules}
        if user_id is not None and done[user_id] != expected:
            missing, extra = expected - done[user_id], done[user_id] - expected
            problems.append(f"{outcome.learner.email}: progress missing {missing}, extra {extra}")
    return problems


def _attempts(connection: Any, outcomes: list[Outcome], users: dict[str, int]) -> list[str]:
    by_user: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    rows = connection.execute(text("SELECT user_id, id, submitted_at, score, passed FROM attempts"))
    for user_id, attempt_id, submitted_at, score, passed in rows:
        by_user[user_id].append((attempt_id, submitted_at, score, passed))
    problems = []
    for outcome in outcomes:
        attempts = by_user.get(users.get(outcome.learner.email, -1), [])
        who = outcome.learner.email
        if [a for a in attempts if a[1] is None]:
            problems.append(f"{who}: an attempt is still open")
        graded = [a for a in attempts if a[1] is not None]
        if len(graded) != 1:
            problems.append(f"{who}: {len(graded)} graded attempts, expected 1")
            continue
        attempt_id, _, score, passed = graded[0]
        if outcome.attempt_id not in (None, attempt_id):
            problems.append(
                f"{who}: graded {attempt_id}, the learner answered {outcome.attempt_id}"
            )
        told = {r["score"] for r in outcome.results_seen}
        if outcome.finished and told != {score}:
            problems.append(f"{who}: stored score {score}, the learner was told {told}")
    return problems


def _certificates(
    connection: Any, catalogue: Catalogue, outcomes: list[Outcome], users: dict[str, int]
) -> list[str]:
    by_user: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    rows = connection.execute(
        text("SELECT user_id, id, course_slug, course_version FROM certificates")
    )
    for user_id, *rest in rows:
        by_user[user_id].append(tuple(rest))
    problems = []
    for outcome in outcomes:
        certificates = by_user.get(users.get(outcome.learner.email, -1), [])
        course = catalogue.courses[outcome.learner.course]
        expected = [(c[0],) for c in certificates if (c[1], c[2]) == (course.slug, course.version)]
        if len(certificates) != 1 or len(expected) != 1:
            problems.append(
                f"{outcome.learner.email}: {len(certificates)} certificates, expected 1"
            )
        elif outcome.certificate_id not in (None, certificates[0][0]):
            stored = certificates[0][0]
            problems.append(
                f"{outcome.learner.email}: saw {outcome.certificate_id}, stored {stored}"
            )
    return problems


def _duplicates(connection: Any) -> list[str]:
    """Across the whole database, not only this run's learners."""
    queries = {
        "open attempts": "SELECT user_id, course_slug FROM attempts WHERE submitted_at IS NULL "
        "GROUP BY user_id, course_slug HAVING COUNT(*) > 1",
        "current certificates": "SELECT user_id, course_slug, course_version FROM certificates "
        "WHERE superseded_at IS NULL GROUP BY user_id, course_slug, course_version "
        "HAVING COUNT(*) > 1",
        "module completions": "SELECT user_id, course_slug, module_slug FROM module_completions "
        "GROUP BY user_id, course_slug, module_slug HAVING COUNT(*) > 1",
    }
    return [
        f"duplicate {what}: {rows}"
        for what, query in queries.items()
        if (rows := connection.execute(text(query)).all())
    ]


def idle_in_transaction(engine: Engine) -> int:
    """PostgreSQL sessions left inside a transaction (none once the dust settles)."""
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%'"
            )
        ).scalar_one()
