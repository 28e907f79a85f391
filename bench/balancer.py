"""A load balancer in the load generator: round-robin over app processes, with failover.

The generator plays the part a real balancer (nginx, HAProxy) plays in front of
several Trainer processes: it spreads requests round-robin, takes a process out
of rotation when a connection to it fails, puts it back when a health probe
answers, and adds ``X-Forwarded-For`` for the simulated client.

When a process dies, what may be retried on the other one depends on how far
the request got:

- The connection could not be opened (refused, timed out): nothing reached the
  app, so any request is sent again to the next process.
- The request was sent but no answer came back (reset, closed): the app may
  have acted on it. Only requests that are safe to repeat are sent again
  (:func:`retry_safe`); for the others the caller gets :class:`NoAnswer` and
  decides, as a person at a browser would (look, then try again).
"""

from __future__ import annotations

import http.client
import itertools
import re
import select
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Requests whose repetition changes nothing, by method and path, and why.
#: GET, HEAD and PUT are idempotent by HTTP's own rules (RFC 9110, 9.2.2).
IDEMPOTENT_POSTS: tuple[tuple[str, str], ...] = (
    # A module completion is one row under a unique constraint (idempotent by contract).
    (r"^(/api/v1)?/courses/[^/]+/modules/[^/]+/complete$", "module completion"),
    # Submitting grades once; a repeat returns the stored result (idempotent by contract).
    (r"^(/api/v1)?/attempts/[^/]+/submit$", "submit"),
    # Starting resumes the open attempt; a unique index allows one open attempt.
    (r"^/api/v1/courses/[^/]+/attempts$", "start attempt"),
    (r"^/courses/[^/]+/assessment$", "start attempt"),
)
#: A quiz answer posted from the HTML form sets the item's answer, except that a
#: branching scenario's "choose" appends one more choice to the path: not repeatable.
_ITEM_ANSWER = re.compile(r"^/attempts/[^/]+/items/\d+$")

PASSWORD_CHECKS = ("register", "sign in", "token (API)")  # labels of requests that run argon2
HEALTH_PATH = "/.well-known/jwks.json"  # answered from the database: the app is really up


def retry_safe(method: str, path: str, body: bytes | None = None) -> bool:
    """May this request be sent again when it was sent and no answer came back?"""
    if method in ("GET", "HEAD", "PUT", "OPTIONS"):
        return True
    if method != "POST":
        return False
    path = path.split("?", 1)[0]
    if _ITEM_ANSWER.match(path):
        return b"action=choose" not in (body or b"")
    return any(re.match(pattern, path) for pattern, _why in IDEMPOTENT_POSTS)


class NoAnswer(Exception):
    """The request was sent, no answer came, and it is not safe to send it again."""


class AllDown(Exception):
    """No process is in rotation."""


@dataclass
class Backend:
    name: str
    port: int
    up: bool = True


@dataclass
class Answer:
    status: int
    headers: Mapping[str, str]
    cookies: list[str]
    body: bytes
    backend: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Record:
    """One request as the client saw it, after any failover."""

    label: str
    status: int  # 0: no answer at all
    backend: str
    seconds: float
    phase: str
    tries: int


@dataclass
class Metrics:
    """Everything the run saw, shared by every learner thread."""

    records: list[Record] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=dict)
    phase: str = "run"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)

    def count(self, event: str) -> None:
        with self.lock:
            self.events[event] = self.events.get(event, 0) + 1

    @property
    def total(self) -> int:
        return len(self.records)


class Balancer:
    """Round-robin over ``backends`` with keep-alive connections per thread."""

    def __init__(self, backends: list[Backend], metrics: Metrics, timeout: float = 60) -> None:
        self.backends = backends
        self.metrics = metrics
        self.timeout = timeout
        self._turn = itertools.count()
        self._local = threading.local()
        self._stop = threading.Event()
        self._probe = threading.Thread(target=self._probe_loop, daemon=True)
        self._probe.start()

    def close(self) -> None:
        self._stop.set()
        self._probe.join()

    def release(self) -> None:
        """Close the calling thread's connections (each learner's thread, when it is done)."""
        for connection in self._connections().values():
            connection.close()
        self._connections().clear()

    def request(
        self,
        method: str,
        path: str,
        *,
        label: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Send to the next process in rotation; fail over as the module docstring says."""
        started, safe = time.monotonic(), retry_safe(method, path, body)
        tries, backend = 0, None
        while True:
            tries += 1
            backend = self._next_backend(started)
            try:
                answer = self._send(backend, method, path, body, headers or {})
            except _NotSent:
                self.metrics.count(f"failover (connection refused): {label}")
                continue
            except _Sent as error:
                if safe and tries < 6:
                    self.metrics.count(f"retried (sent, no answer, safe to repeat): {label}")
                    continue
                self.metrics.count(f"not retried (sent, no answer, not safe to repeat): {label}")
                self._record(label, 0, backend.name, started, tries)
                raise NoAnswer(f"{method} {path}: {error}") from error
            self._record(label, answer.status, backend.name, started, tries)
            return answer

    def _record(self, label: str, status: int, backend: str, started: float, tries: int) -> None:
        seconds = time.monotonic() - started
        self.metrics.add(Record(label, status, backend, seconds, self.metrics.phase, tries))

    def _next_backend(self, started: float) -> Backend:
        while True:
            for _ in range(len(self.backends)):
                backend = self.backends[next(self._turn) % len(self.backends)]
                if backend.up:
                    return backend
            if time.monotonic() - started > self.timeout:
                raise AllDown("no process answered for a whole timeout")
            time.sleep(0.05)

    def _connections(self) -> dict[str, http.client.HTTPConnection]:
        if not hasattr(self._local, "connections"):
            self._local.connections = {}
        return self._local.connections

    def _connection(self, backend: Backend) -> http.client.HTTPConnection:
        """A keep-alive connection, reopened when the process closed it meanwhile."""
        connections = self._connections()
        connection = connections.get(backend.name)
        if connection is not None and connection.sock is not None and _closed(connection.sock):
            connection.close()
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", backend.port, timeout=self.timeout)
            connections[backend.name] = connection
        if connection.sock is None:
            try:
                connection.connect()
            except OSError as error:
                connection.close()
                backend.up = False
                raise _NotSent(str(error)) from error
        return connection

    def _send(
        self, backend: Backend, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Answer:
        connection = self._connection(backend)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            backend.up = False
            raise _Sent(str(error) or type(error).__name__) from error
        if response.will_close:
            connection.close()
        names = {k.lower(): v for k, v in response.getheaders()}
        cookies = response.msg.get_all("Set-Cookie") or []
        return Answer(response.status, names, cookies, payload, backend.name)

    def _probe_loop(self) -> None:
        """Put a process back into rotation once it answers a health check."""
        while not self._stop.wait(0.2):
            for backend in self.backends:
                if not backend.up and healthy(backend.port):
                    backend.up = True
                    self.metrics.count(f"back in rotation: {backend.name}")


class _NotSent(Exception):
    pass


class _Sent(Exception):
    pass


def _closed(sock: socket.socket) -> bool:
    """True when the peer closed an idle keep-alive connection (it reads as ready)."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def healthy(port: int) -> bool:
    """Does the app on ``port`` answer its health check (a page read from the database)?"""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", HEALTH_PATH)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(metrics: Metrics, seconds: float) -> dict[str, Any]:
    """Requests, latency percentiles, statuses and errors by kind, per label and backend."""
    records = metrics.records
    by_label: dict[str, list[Record]] = {}
    for record in records:
        by_label.setdefault(record.label, []).append(record)
    statuses: dict[str, int] = {}
    backends: dict[str, dict[str, int]] = {}
    for record in records:
        statuses[str(record.status)] = statuses.get(str(record.status), 0) + 1
        counts = backends.setdefault(f"{record.backend} ({record.phase})", {})
        counts[str(record.status)] = counts.get(str(record.status), 0) + 1
    return {
        "requests": len(records),
        "duration_s": round(seconds, 1),
        "requests_per_s": round(len(records) / seconds, 1) if seconds else 0,
        "latency_ms": _latency([r.seconds for r in records]),
        # Registering, signing in and asking for a token each run argon2 (64 MiB, 3 passes):
        # the figure without them says how the rest of the site held up beside them.
        "latency_ms_without_password_checks": _latency(
            [r.seconds for r in records if r.label not in PASSWORD_CHECKS]
        ),
        "server_errors_5xx": sum(1 for r in records if r.status >= 500),
        "statuses": dict(sorted(statuses.items())),
        "by_backend_and_phase": backends,
        "events": dict(sorted(metrics.events.items())),
        "by_request": {
            label: {"count": len(rs), **_latency([r.seconds for r in rs])}
            for label, rs in sorted(by_label.items())
        },
    }


def _latency(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(1000 * percentile(values, 0.5), 1),
        "p95_ms": round(1000 * percentile(values, 0.95), 1),
        "max_ms": round(1000 * max(values, default=0), 1),
    }
