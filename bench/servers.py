"""Sites and app processes for the load tests: a fresh database, gunicorn masters to kill.

Every gunicorn master is started in a process group of its own, so that it can
be killed together with its workers (``SIGKILL`` to the group), as a machine
losing power or the kernel's out-of-memory killer would.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bench.balancer import healthy
from trainer.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
_reserved: set[int] = set()
_reserving = threading.Lock()


def free_port() -> int:
    """A free local port: from ``TRAINER_BENCH_PORTS`` (e.g. ``5500-5549``) when set."""
    spec = os.environ.get("TRAINER_BENCH_PORTS")
    candidates = range(int(spec.split("-")[0]), int(spec.split("-")[1]) + 1) if spec else [0]
    with _reserving:
        for candidate in candidates:
            if candidate in _reserved:
                continue
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", candidate))
                except OSError:
                    continue
                port = probe.getsockname()[1]
            _reserved.add(port)
            return port
    raise RuntimeError(f"no free port in TRAINER_BENCH_PORTS={spec}")


@dataclass
class Site:
    """One installation: its environment, instance folder and database."""

    env: dict[str, str]
    database_url: str
    instance: Path

    def engine(self) -> Engine:
        return make_engine(self.database_url)

    def migrate(self) -> None:
        """``trainer db upgrade``, which also writes the secret and signing keys once."""
        subprocess.run(
            [sys.executable, "-m", "trainer", "db", "upgrade"],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


def site_env(instance: Path, database_url: str, ratelimit_url: str) -> dict[str, str]:
    """The settings every process of the site shares: one instance folder, one database."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TRAINER_INSTANCE_PATH": str(instance),
        "TRAINER_DATABASE_URL": database_url,
        "TRAINER_RATELIMIT_STORAGE_URL": ratelimit_url,
        # The load generator is the load balancer: it sends X-Forwarded-For.
        "TRAINER_TRUSTED_PROXIES": "1",
        "TRAINER_BASE_URL": "http://trainer.load",
        # Simulated learners finish in seconds: time on task would refuse them (409).
        "TRAINER_READING_TIME_SHARE": "0",
    }


def sqlite_site(instance: Path, ratelimit_url: str = "memory://") -> Site:
    url = f"sqlite:///{instance / 'trainer.db'}"
    site = Site(site_env(instance, url, ratelimit_url), url, instance)
    site.migrate()
    return site


def postgres_site(instance: Path, url: str, ratelimit_url: str = "memory://") -> Site:
    """A fresh, migrated PostgreSQL database at ``url`` (dropped first if it exists)."""
    recreate_database(url)
    site = Site(site_env(instance, url, ratelimit_url), url, instance)
    site.migrate()
    return site


def _admin(url: str) -> tuple[str, str]:
    """The maintenance database's address on the same server, and the database's name."""
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False), str(parsed.database)


def recreate_database(url: str) -> None:
    import psycopg  # imported here: the SQLite runs need no PostgreSQL driver

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class AppServer:
    """One gunicorn master and its workers, on a fixed port, restartable after a kill."""

    def __init__(self, name: str, site: Site, workers: int, threads: int, log: Path) -> None:
        self.name = name
        self.site = site
        self.workers = workers
        self.threads = threads
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            *("--workers", str(self.workers), "--threads", str(self.threads)),
            *("--worker-class", "gthread", "--keep-alive", "30", "--timeout", "60"),
            *("--graceful-timeout", "5", "-b", f"127.0.0.1:{self.port}"),
            "trainer.wsgi:app",
        ]

    def start(self, timeout: float = 60) -> None:
        """Start and wait until it answers its health check."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                env=self.site.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed with its workers
            )
        deadline = time.monotonic() + timeout
        while not healthy(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start; see {self.log}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no clean-up runs anywhere."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_counts(self) -> dict[str, Any]:
        """What the server log says went wrong: locked databases, unhandled errors."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        failing = sorted(set(re.findall(r"Unhandled error on (\S+ \S+)", text)))
        errors = sorted(set(re.findall(r"^\w[\w.]*(?:Error|Exception): .*$", text, re.M)))
        return {
            "database is locked": text.count("database is locked"),
            "unhandled errors": text.count("Unhandled error"),
            "tracebacks": text.count("Traceback (most recent call last)"),
            "worker timeouts": text.count("WORKER TIMEOUT"),
            "failing requests": failing[:10],
            "exceptions": [line[:200] for line in errors[:10]],
        }
