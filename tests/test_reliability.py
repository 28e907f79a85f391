"""The load test in small: learners doing the whole journey at once against real servers.

The same generator and checks as ``python -m bench.load`` (see bench/load.py):
registration, every module, the assessment with some double clicks, the
certificate PDF verified offline and on the site; then the database is checked.
On PostgreSQL two gunicorn masters share a database of their own (created and
dropped here) behind the generator's round-robin; on SQLite one master with two
worker processes shares the file.
"""

from __future__ import annotations

from pathlib import Path

from bench.load import LoadConfig, run
from tests.databases import scratch_database

LEARNERS = 8


def test_learners_at_once_lose_nothing_and_duplicate_nothing(
    database_url: str, tmp_path: Path
) -> None:
    with scratch_database(database_url, "load", tmp_path / "site") as url:
        if url.startswith("postgresql"):
            config = LoadConfig(
                learners=LEARNERS, backend="postgresql", processes=2, workers=1, database_url=url
            )
        else:
            config = LoadConfig(learners=LEARNERS, backend="sqlite", processes=1, workers=2)
        report = run(config, tmp_path / "site")

    assert report["invariant_problems"] == []
    assert report["learners_finished"] == LEARNERS
    assert report["server_errors_5xx"] == 0
    assert report["double_submits"] >= 2  # learners 0, 3 and 6 click twice
    for name, log in report["server_logs"].items():
        assert log["database is locked"] == 0, (name, log)
        assert log["unhandled errors"] == 0, (name, log)
    served = {key.split(" ")[0] for key in report["by_backend_and_phase"]}
    assert served == {"A", "B"} if config.processes == 2 else {"A"}
    assert report["idle_in_transaction_after"] == 0
