"""Completion report on 100,000 learners and 1,000,000 progress rows, SQLite and PostgreSQL.

Budget (DESIGN.md): under 1 second on each, for the course-level report and the report
by person (``trainer.orgs.people``, behind the report page and the overview). The data:
one ministry with 10 regions x 10 districts x 10 stations, 100,000 police learners
spread over the stations, the police curriculum (core + police, 10 modules) assigned to
the whole ministry with a past due date, exactly 1,000,000 module completions (10 per
learner, 4 to 10 of them in the assigned courses), 30,000 passed attempts and 10,000
certificates. Rows go in by bulk insert (COPY on PostgreSQL).

    python -m bench.completion_report [--learners N] [--pg URL | --no-pg]

PostgreSQL: by default a throw-away database ``trainer_bench_orgs`` on
127.0.0.1:5432 (user postgres), dropped at the end.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from bench.harness import ROOT, save
from trainer.content.loader import load_catalogue
from trainer.db import make_engine
from trainer.migrate import upgrade
from trainer.models import (
    Assignment,
    AssignmentCourse,
    Attempt,
    Certificate,
    ModuleCompletion,
    Organisation,
    OrgUnit,
    User,
)
from trainer.orgs.people import people
from trainer.orgs.reports import ReportFilters, completion, learners
from trainer.orgs.scope import Scope

BUDGET_SECONDS = 1.0
PROGRESS_PER_LEARNER = 10
CHUNK = 20_000
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _units() -> Iterator[dict[str, Any]]:
    next_id = 1
    for r in range(10):
        region = next_id
        next_id += 1
        yield {
            "id": region,
            "parent_id": None,
            "name": f"Region {r}",
            "kind": "region",
            "path": f"/{region}/",
        }
        for d in range(10):
            district = next_id
            next_id += 1
            yield {
                "id": district,
                "parent_id": region,
                "name": f"District {r}-{d}",
                "kind": "district",
                "path": f"/{region}/{district}/",
            }
            for s in range(10):
                station = next_id
                next_id += 1
                yield {
                    "id": station,
                    "parent_id": district,
                    "name": f"Station {r}-{d}-{s}",
                    "kind": "station",
                    "path": f"/{region}/{district}/{station}/",
                }


def _learners(count: int, stations: list[int]) -> Iterator[dict[str, Any]]:
    for i in range(count):
        yield {
            "id": i + 1,
            "email": f"learner{i}@bench.example",
            "full_name": f"Learner {i}",
            "role": "learner",
            "profession": "police",
            "organisation_id": 1,
            "unit_id": stations[i % len(stations)],
            "active": True,
            "created_at": NOW,
        }


def _progress(count: int, catalogue: Any, rng: random.Random) -> Iterator[dict[str, Any]]:
    assigned = [(c, m.slug) for c in ("core", "police") for m in catalogue.courses[c].modules]
    others = [
        (c, m.slug) for c in ("health", "media", "licensed") for m in catalogue.courses[c].modules
    ]
    for user_id in range(1, count + 1):
        done = rng.randint(4, PROGRESS_PER_LEARNER)
        rows = assigned[:done] + rng.sample(others, PROGRESS_PER_LEARNER - done)
        for course, module in rows:
            yield {
                "user_id": user_id,
                "course_slug": course,
                "module_slug": module,
                "course_version": "bench",
                "completed_at": NOW,
            }


def _attempts(count: int) -> Iterator[dict[str, Any]]:
    for user_id in range(1, count + 1, 10):
        for offset in range(3):  # 30% of learners passed the core assessment
            yield {
                "id": f"att{user_id + offset}",
                "user_id": user_id + offset,
                "course_slug": "core",
                "course_version": "bench",
                "seed": 1,
                "item_ids": [],
                "item_versions": {},
                "presentation": {},
                "answers": {},
                "started_at": NOW,
                "submitted_at": NOW,
                "score": 9.0,
                "max_score": 10.0,
                "passed": True,
                "results": {},
            }


def _certificates(count: int) -> Iterator[dict[str, Any]]:
    for user_id in range(1, count + 1, 10):  # 10% hold a core certificate
        yield {
            "id": f"CERT{user_id:08d}",
            "user_id": user_id,
            "course_slug": "core",
            "course_version": "bench",
            "course_title": "Core",
            "language": "en",
            "name": f"Learner {user_id}",
            "hours": 1.5,
            "content_areas": [],
            "requirements": [],
            "completed_on": NOW.date(),
            "issued_at": NOW,
            "provider_name": "Bench",
            "provider_approval": "",
            "credential": "x",
            "key_id": "bench",
            "source": "platform",
        }


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy(engine: Engine, table: str, rows: Iterator[dict[str, Any]]) -> None:
    """COPY on PostgreSQL (the fastest bulk load there)."""
    import json

    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        first = True
        columns: list[str] = []
        for chunk in _chunks(rows):
            if first:
                columns = list(chunk[0])
                first = False
            names = ", ".join(columns)
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in chunk:
                    copy.write_row(
                        [
                            json.dumps(row[c]) if isinstance(row[c], (dict, list)) else row[c]
                            for c in columns
                        ]
                    )
        raw.commit()
    finally:
        raw.close()


def _seed_ministry(engine: Engine, units: list[dict[str, Any]]) -> None:
    """The ministry, its units and the police curriculum for everyone, due in the past."""
    with Session(engine) as db:
        db.execute(
            insert(Organisation),
            [
                {
                    "id": 1,
                    "slug": "bench",
                    "name": "Bench Ministry",
                    "kind": "ministry",
                    "created_at": NOW,
                }
            ],
        )
        db.execute(insert(OrgUnit), [{**u, "organisation_id": 1, "created_at": NOW} for u in units])
        db.execute(
            insert(Assignment),
            [
                {
                    "id": 1,
                    "organisation_id": 1,
                    "title": "Police",
                    "curriculum_slug": "police-default",
                    "unit_id": None,
                    "profession": None,
                    "named": False,
                    "due_on": date(2026, 10, 1),
                    "created_at": NOW,
                }
            ],
        )
        db.execute(
            insert(AssignmentCourse),
            [
                {"assignment_id": 1, "course_slug": "core", "position": 0},
                {"assignment_id": 1, "course_slug": "police", "position": 1},
            ],
        )
        db.commit()


def load(engine: Engine, count: int) -> float:
    """Fill an empty, migrated database; return the seconds it took."""
    catalogue = load_catalogue(ROOT / "courses")
    rng = random.Random(20261122)
    started = time.perf_counter()
    units = list(_units())
    stations = [u["id"] for u in units if u["kind"] == "station"]
    _seed_ministry(engine, units)
    tables: list[tuple[Any, Callable[[], Iterator[dict[str, Any]]]]] = [
        (User, lambda: _learners(count, stations)),
        (ModuleCompletion, lambda: _progress(count, catalogue, rng)),
        (Attempt, lambda: _attempts(count)),
        (Certificate, lambda: _certificates(count)),
    ]
    for model, rows in tables:
        if engine.dialect.name == "postgresql":
            _copy(engine, model.__tablename__, rows())
        else:
            with Session(engine) as db:
                for chunk in _chunks(rows()):
                    db.execute(insert(model), chunk)
                db.commit()
    # What autovacuum would have done on a live PostgreSQL: statistics, visibility map.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
        )
    return time.perf_counter() - started


def add_overlapping_assignment(engine: Engine) -> None:
    """Core again, for Region 0 and due earlier: pairs then need de-duplicating."""
    with Session(engine) as db:
        db.execute(
            insert(Assignment),
            [
                {
                    "id": 2,
                    "organisation_id": 1,
                    "title": "Core again",
                    "curriculum_slug": None,
                    "unit_id": 1,
                    "profession": None,
                    "named": False,
                    "due_on": date(2026, 9, 1),
                    "created_at": NOW,
                }
            ],
        )
        db.execute(
            insert(AssignmentCourse), [{"assignment_id": 2, "course_slug": "core", "position": 0}]
        )
        db.commit()


def measure(engine: Engine, rounds: int = 5) -> dict[str, Any]:
    catalogue = load_catalogue(ROOT / "courses")
    today = date(2026, 11, 22)
    timings: dict[str, list[float]] = {
        "completion": [],
        "people": [],
        "completion_region": [],
        "learners_page": [],
    }
    rows: list[Any] = []
    by_person: list[Any] = []
    with Session(engine) as db:
        organisation = db.get(Organisation, 1)
        region = db.get(OrgUnit, 1)
        scope = Scope(organisation)
        for _ in range(rounds):
            started = time.perf_counter()
            rows = completion(db, scope, catalogue, ReportFilters(), today)
            timings["completion"].append(time.perf_counter() - started)
            started = time.perf_counter()
            by_person = people(db, scope, catalogue, ReportFilters(), today)
            timings["people"].append(time.perf_counter() - started)
            started = time.perf_counter()
            completion(db, scope, catalogue, ReportFilters(unit=region), today)
            timings["completion_region"].append(time.perf_counter() - started)
            started = time.perf_counter()
            learners(db, scope, catalogue, ReportFilters(status="overdue"), today, page=3)
            timings["learners_page"].append(time.perf_counter() - started)
    return {
        "median_seconds": {k: round(statistics.median(v), 3) for k, v in timings.items()},
        "best_seconds": {k: round(min(v), 3) for k, v in timings.items()},
        "assigned": sum(r.assigned for r in rows),
        "completed": sum(r.completed for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "certificates": sum(r.certificates for r in rows),
        "people_complete": sum(r.complete for r in by_person),
        "people_overdue": sum(r.overdue for r in by_person),
    }


def run_on(url: str, count: int) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    load_seconds = load(engine, count)
    figures = {"load_seconds": round(load_seconds, 1), **measure(engine)}
    add_overlapping_assignment(engine)
    overlapping = measure(engine, rounds=3)
    figures["with_overlapping_assignments"] = {
        "median_seconds": overlapping["median_seconds"],
        "assigned": overlapping["assigned"],
    }
    with engine.connect() as connection:
        figures["progress_rows"] = connection.execute(
            text("SELECT count(*) FROM module_completions")
        ).scalar()
        figures["learners"] = connection.execute(text("SELECT count(*) FROM users")).scalar()
    slowest = max(
        figures["median_seconds"]["completion"],
        figures["median_seconds"]["people"],
        overlapping["median_seconds"]["completion"],
        overlapping["median_seconds"]["people"],
    )
    figures["within_budget"] = slowest < BUDGET_SECONDS
    engine.dispose()
    print(url.split("@")[-1], figures, flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL to use (its schema is reset)")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "learners": args.learners,
        "progress_rows": args.learners * PROGRESS_PER_LEARNER,
        "budget_seconds": BUDGET_SECONDS,
    }
    with tempfile.TemporaryDirectory(prefix="trainer-bench-") as folder:
        results["sqlite"] = run_on(f"sqlite:///{Path(folder) / 'bench.db'}", args.learners)
    if not args.no_pg:
        name = "trainer_bench_orgs"
        pgdb = [sys.executable, str(ROOT / ".ci" / "pgdb.py")]
        url = args.pg
        if url is None:
            subprocess.run([*pgdb, "create", name], check=True)
            url = f"postgresql://postgres@127.0.0.1:5432/{name}"
        try:
            results["postgresql"] = run_on(url, args.learners)
        finally:
            if args.pg is None:
                subprocess.run([*pgdb, "drop", name], check=False)
    save("completion_report", results)


if __name__ == "__main__":
    main()
