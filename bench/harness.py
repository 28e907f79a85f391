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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
            # A learner in the US needs a state since issue 20 (licensing rules follow it).
            "--region",
            "US-MI",
            "--password-stdin",
        ],
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return env


#: The gunicorn master serving on each port, for :func:`server_cpu_seconds`.
_SERVERS: dict[int, int] = {}
_TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def server(app: str, env: dict[str, str]) -> Iterator[int]:
    """Serve ``app`` (a gunicorn app spec) on a free port until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *GUNICORN, "-b", f"127.0.0.1:{port}", app],
        env=env,
        cwd=ROOT,
    )
    _SERVERS[port] = process.pid
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
        _SERVERS.pop(port, None)
        process.terminate()
        process.wait(timeout=10)


def server_cpu_seconds(port: int) -> float:
    """CPU time used so far by the server on ``port``: its master and workers, user and system."""
    pending, total = [_SERVERS[port]], 0
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue  # exited meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime
        pending += [int(child) for child in children]
    return total / _TICKS


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> dict[str, str]:
    """Every cookie the answer sets, on top of ``jar`` (signing in sets two: device, session)."""
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        jar[name.strip()] = value
    return jar


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def login_cookie(port: int, email: str = "bench@example.org") -> str:
    """Sign in through the real form and return the Cookie header to send."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    jar = _cookies(response, {})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = f"csrf_token={token}&email={email}&password={PASSWORD.replace(' ', '+')}"
    connection.request(
        "POST",
        "/login",
        body=body,
        headers={
            "Cookie": _cookie_header(jar),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login failed: {response.status}")
    _cookies(response, jar)
    # A browser keeps the cookie each answer sets. The first page after signing in
    # adds the session's CSRF secret; a load generator replaying the cookie from
    # before that would make every request mint a secret and re-sign the cookie.
    connection.request("GET", "/dashboard", headers={"Cookie": _cookie_header(jar)})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"the dashboard after signing in answered {response.status}")
    return _cookie_header(_cookies(response, jar))


@dataclass(frozen=True)
class Load:
    """One load run against a server: what the client saw and what the server spent."""

    requests: int
    seconds: float
    server_cpu_seconds: float

    @property
    def rps(self) -> float:
        """Requests per second, as the load generator counted them."""
        return self.requests / self.seconds

    @property
    def rps_per_cpu(self) -> float:
        """Requests per CPU-second of the server: its throughput with a core to itself.

        On a shared machine other processes take the CPU in bursts, so the
        client's rate swings with them; the server's CPU time per request does not.
        """
        return self.requests / self.server_cpu_seconds if self.server_cpu_seconds else 0.0


def load(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    seconds: float = 4.0,
    clients: int = 8,
    wrk_script: Path | None = None,
) -> Load:
    """Run ``clients`` keep-alive connections against ``path``; every answer must be 2xx.

    Uses wrk when it is installed (Debian package `wrk`): a Python client can
    itself be the bottleneck against a fast baseline, which would flatter the ratio.
    ``wrk_script`` (a Lua file) makes the requests instead; it needs wrk.
    """
    cpu = server_cpu_seconds(port)
    if shutil.which("wrk"):
        requests, elapsed = _wrk(port, path, headers or {}, seconds, clients, wrk_script)
    else:
        if wrk_script is not None:
            raise RuntimeError("this benchmark needs wrk (Debian package `wrk`)")
        requests, elapsed = _python_client(port, path, headers or {}, seconds, clients)
    return Load(requests, elapsed, server_cpu_seconds(port) - cpu)


def throughput(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    seconds: float = 4.0,
    clients: int = 8,
) -> float:
    """Requests per second answered 200 by ``path``, from ``clients`` keep-alive connections."""
    return load(port, path, headers, seconds, clients).rps


def _wrk(
    port: int,
    path: str,
    headers: dict[str, str],
    seconds: float,
    clients: int,
    script: Path | None,
) -> tuple[int, float]:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{max(int(seconds), 1)}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{path}: some requests failed\n{output}")
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    elapsed = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    return int(done.group(1)), elapsed


def _python_client(
    port: int, path: str, headers: dict[str, str], seconds: float, clients: int
) -> tuple[int, float]:
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
    return sum(counts), time.monotonic() - started


def median_of(rounds: int, measure) -> float:
    return statistics.median(measure() for _ in range(rounds))


def paired_rounds(
    rounds: int, baseline: Callable[[], Load], measured: Callable[[], Load]
) -> dict[str, Any]:
    """Baseline and measured load, back to back each round, summarised.

    On a shared machine the load changes from one second to the next. Measured
    in pairs, each ratio compares two figures taken under the same conditions.
    Two ratios come out: of the rates wrk saw, and of the rates per CPU-second
    of the server (see :attr:`Load.rps_per_cpu`), which the budget is judged on.
    """
    pairs = [(baseline(), measured()) for _ in range(rounds)]
    wrk = [m.rps / b.rps for b, m in pairs]
    cpu = [m.rps_per_cpu / b.rps_per_cpu for b, m in pairs]
    return {
        "baseline_rps": round(statistics.median(b.rps for b, _ in pairs), 1),
        "measured_rps": round(statistics.median(m.rps for _, m in pairs), 1),
        "ratio_wrk": round(statistics.median(wrk), 3),
        "ratio_wrk_per_round": [round(r, 3) for r in wrk],
        "baseline_rps_per_cpu_second": round(statistics.median(b.rps_per_cpu for b, _ in pairs)),
        "measured_rps_per_cpu_second": round(statistics.median(m.rps_per_cpu for _, m in pairs)),
        "baseline_cpu_ms_per_request": round(
            statistics.median(1000 / b.rps_per_cpu for b, _ in pairs), 3
        ),
        "measured_cpu_ms_per_request": round(
            statistics.median(1000 / m.rps_per_cpu for _, m in pairs), 3
        ),
        "ratio": round(statistics.median(cpu), 3),
        "ratio_per_round": [round(r, 3) for r in cpu],
    }


def save(name: str, figures: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures = {"measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


def temporary_instance() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="trainer-bench-")
