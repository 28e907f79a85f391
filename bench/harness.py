"""Shared pieces for the benchmarks: a site in a temporary instance, servers, a load generator.

The load generator is plain Python (threads with keep-alive connections), so
the benchmarks need nothing beyond the project's own dependencies.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PASSWORD = "long enough passphrase for load"
#: The settings `trainer serve` uses, applied to every server measured.
GUNICORN = [
    "--workers",
    "1",
    "--threads",
    "4",
    "--worker-class",
    "gthread",
    "--log-level",
    "warning",
]


def free_port() -> int:
    """A free loopback port: from ``TRAINER_BENCH_PORTS`` ("5600-5649") when set, else any.

    On a shared machine each user of the benchmarks keeps to its own range.
    """
    first, _, last = os.environ.get("TRAINER_BENCH_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in TRAINER_BENCH_PORTS={first}-{last}")


def site_environment(instance: Path) -> dict[str, str]:
    return {**os.environ, "TRAINER_INSTANCE_PATH": str(instance), "PYTHONPATH": str(ROOT)}


def prepare_site(instance: Path, email: str = "bench@example.org") -> dict[str, str]:
    """Migrate a fresh SQLite site and create one learner; return the environment to serve it."""
    env = site_environment(instance)
    trainer = [sys.executable, "-m", "trainer"]
    subprocess.run([*trainer, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            *trainer,
            "users",
            "create",
            "--email",
            email,
            "--name",
            "Bench Learner",
            "--profession",
            "health",
            "--country",
            "US",
            "--password-stdin",
        ],
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return env


@contextmanager
def server(app: str, env: dict[str, str]) -> Iterator[int]:
    """Serve ``app`` (a gunicorn app spec) on a free port until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *GUNICORN, "-b", f"127.0.0.1:{port}", app],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{app} did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def login_cookie(port: int, email: str = "bench@example.org") -> str:
    """Sign in through the real form and return the Cookie header to send."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = f"csrf_token={token}&email={email}&password={PASSWORD.replace(' ', '+')}"
    connection.request(
        "POST",
        "/login",
        body=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login failed: {response.status}")
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    # A browser keeps the cookie each answer sets. The first page after signing in
    # adds the session's CSRF secret; a load generator replaying the cookie from
    # before that would make every request mint a secret and re-sign the cookie.
    connection.request("GET", "/dashboard", headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    return (response.getheader("Set-Cookie") or cookie).split(";")[0]


def throughput(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    seconds: float = 4.0,
    clients: int = 8,
) -> float:
    """Requests per second answered 200 by ``path``, from ``clients`` keep-alive connections.

    Uses wrk when it is installed (Debian package `wrk`): a Python client can
    itself be the bottleneck against a fast baseline, which would flatter the ratio.
    """
    if shutil.which("wrk"):
        return _wrk(port, path, headers or {}, seconds, clients)
    return _python_client(port, path, headers or {}, seconds, clients)


def _wrk(port: int, path: str, headers: dict[str, str], seconds: float, clients: int) -> float:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{max(int(seconds), 1)}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{path}: some answers were not 200\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _python_client(
    port: int, path: str, headers: dict[str, str], seconds: float, clients: int
) -> float:
    stop = time.monotonic() + seconds
    counts = [0] * clients
    errors: list[str] = []

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path}: {response.status}")
                return
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(counts) / (time.monotonic() - started)


def median_of(rounds: int, measure) -> float:
    return statistics.median(measure() for _ in range(rounds))


def save(name: str, figures: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures = {"measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


def temporary_instance() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="trainer-bench-")
