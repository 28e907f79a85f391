"""Load, kill and SQLite tests: many learners doing the whole journey at once.

    python -m bench.load             # PostgreSQL, two gunicorn masters, 50 learners
    python -m bench.load --kill      # the same; one master is SIGKILLed mid-run, then restarted
    python -m bench.load --sqlite    # SQLite, one gunicorn master, the same 50 learners

The load generator is also the load balancer (``bench/balancer.py``): round-robin
between the processes, failover on connection errors, and a retry only for
requests that are safe to repeat. After the run the database is checked
(``bench/invariants.py``): every learner's progress complete, one graded attempt
and no open one, exactly one certificate per learner and course version, and
every double submit answered the same. Figures go to ``bench/results/load*.json``.

PostgreSQL: ``TRAINER_LOAD_DATABASE_URL`` (default
``postgresql://postgres@127.0.0.1:5432/trainer_load``) is dropped and created
afresh. Rate limits are shared through ``TRAINER_LOAD_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``). ``TRAINER_BENCH_PORTS=5500-5549`` keeps the
servers' ports in a range.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.balancer import Backend, Balancer, Metrics, summary
from bench.invariants import check_run, idle_in_transaction
from bench.journeys import run_journey
from bench.learners import AnswerKey, Learner, Outcome, make_learners
from bench.servers import ROOT, AppServer, Site, postgres_site, sqlite_site
from trainer.content.loader import load_catalogue

RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class LoadConfig:
    learners: int = 50
    backend: str = "postgresql"  # or "sqlite"
    processes: int = 2  # gunicorn masters
    workers: int = 2  # per master
    threads: int = 4  # per worker
    kill: bool = False
    second_wave: int = 10  # learners who start after the killed process is back
    database_url: str = "postgresql://postgres@127.0.0.1:5432/trainer_load"
    ratelimit_url: str = "memory://"


def run(config: LoadConfig, workdir: Path) -> dict[str, Any]:
    """Set up the site and its processes, run the learners, check the database; the figures."""
    site = _site(config, workdir)
    servers = [
        AppServer(name, site, config.workers, config.threads, workdir / f"server-{name}.log")
        for name in "AB"[: config.processes]
    ]
    metrics = Metrics()
    balancer = None
    try:
        for server in servers:
            server.start()
        balancer = Balancer([Backend(s.name, s.port) for s in servers], metrics)
        catalogue = load_catalogue(ROOT / "courses")
        engine = site.engine()
        key = AnswerKey(catalogue, engine)
        started = time.monotonic()
        outcomes, kill = _drive(config, servers, balancer, key)
        seconds = time.monotonic() - started
        left_open = idle_in_transaction(engine)
        problems = check_run(engine, catalogue, outcomes)
        engine.dispose()
    finally:
        if balancer is not None:
            balancer.close()
        for server in servers:
            server.stop()
    return _report(config, metrics, seconds, outcomes, problems, left_open, servers, kill)


def _site(config: LoadConfig, workdir: Path) -> Site:
    if config.backend == "sqlite":
        return sqlite_site(workdir, config.ratelimit_url)
    return postgres_site(workdir, config.database_url, config.ratelimit_url)


def _drive(
    config: LoadConfig, servers: list[AppServer], balancer: Balancer, key: AnswerKey
) -> tuple[list[Outcome], dict[str, Any]]:
    run_id = secrets.token_hex(3)
    first = make_learners(config.learners, run_id)
    outcomes: list[Outcome] = []
    threads = _start(balancer, key, first, outcomes)
    kill: dict[str, Any] = {}
    if config.kill:
        kill = _kill_and_restart(servers[0], balancer, len(first))
        second = make_learners(config.second_wave, run_id, start=config.learners)
        threads += _start(balancer, key, second, outcomes)
    for thread in threads:
        thread.join()
    return outcomes, kill


def _start(
    balancer: Balancer, key: AnswerKey, learners: list[Learner], outcomes: list[Outcome]
) -> list[threading.Thread]:
    """Every learner in a thread of their own, all released at the same instant."""
    barrier = threading.Barrier(len(learners))

    def journey(learner: Learner) -> None:
        barrier.wait()
        outcomes.append(run_journey(balancer, key, learner))

    threads = [threading.Thread(target=journey, args=(lr,)) for lr in learners]
    for thread in threads:
        thread.start()
    return threads


def _kill_and_restart(server: AppServer, balancer: Balancer, learners: int) -> dict[str, Any]:
    """Kill ``server`` once the run is well under way; restart it a few seconds later."""
    metrics = balancer.metrics
    kill_at = 25 * learners  # about a third of the way: learners are reading and answering
    while metrics.total < kill_at:
        time.sleep(0.05)
    metrics.phase = f"{server.name} killed"
    killed_at, before = time.monotonic(), metrics.total
    server.kill()
    time.sleep(5)
    server.start()
    while not next(b for b in balancer.backends if b.name == server.name).up:
        time.sleep(0.05)
    metrics.phase = f"{server.name} restarted"
    return {
        "killed_after_requests": before,
        "down_for_s": round(time.monotonic() - killed_at, 1),
        "requests_while_down": metrics.total - before,
    }


def _report(
    config: LoadConfig,
    metrics: Metrics,
    seconds: float,
    outcomes: list[Outcome],
    problems: list[str],
    left_open: int,
    servers: list[AppServer],
    kill: dict[str, Any],
) -> dict[str, Any]:
    recoveries = Counter(r for o in outcomes for r in o.recoveries)
    return {
        "scenario": _scenario(config),
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "learners": len(outcomes),
        "learners_finished": sum(o.finished for o in outcomes),
        "double_submits": sum(len(o.results_seen) == 2 for o in outcomes),
        **summary(metrics, seconds),
        "journey_recoveries": dict(recoveries),
        "kill": kill,
        "idle_in_transaction_after": left_open,
        "server_logs": {s.name: s.log_counts() for s in servers},
        "invariant_problems": problems,
    }


def _scenario(config: LoadConfig) -> str:
    shape = (
        f"{config.processes} gunicorn master(s) x {config.workers} workers"
        f" x {config.threads} threads"
    )
    kill = ", one master SIGKILLed mid-run and restarted" if config.kill else ""
    return f"{config.backend}, {shape}{kill}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--kill", action="store_true", help="kill one process mid-run")
    parser.add_argument("--sqlite", action="store_true", help="one process on SQLite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    config = LoadConfig(
        learners=args.learners,
        backend="sqlite" if args.sqlite else "postgresql",
        processes=1 if args.sqlite else 2,
        workers=args.workers,
        threads=args.threads,
        kill=args.kill,
        database_url=os.environ.get("TRAINER_LOAD_DATABASE_URL", LoadConfig.database_url),
        ratelimit_url=os.environ.get("TRAINER_LOAD_REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    with tempfile.TemporaryDirectory(prefix="trainer-load-") as workdir:
        report = run(config, Path(workdir))
    name = "load_sqlite" if args.sqlite else "load_kill" if args.kill else "load"
    _save(name, report)
    raise SystemExit(1 if report["invariant_problems"] or report["server_errors_5xx"] else 0)


def _save(name: str, report: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **report}
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
