"""The load generator's balancer: which requests it repeats when a process dies, and failover.

Real sockets: two small HTTP servers stand in for app processes. One of them
can drop a request without answering, as a process killed mid-request does.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections import Counter
from collections.abc import Iterator

import pytest

from bench.balancer import Backend, Balancer, Metrics, NoAnswer, retry_safe


@pytest.mark.parametrize(
    ("method", "path", "body", "safe"),
    [
        ("GET", "/certificates/X.pdf", None, True),
        ("PUT", "/api/v1/attempts/a1/answers", b"{}", True),
        ("POST", "/courses/health/modules/intro/complete", b"csrf_token=t", True),
        ("POST", "/api/v1/courses/health/modules/intro/complete", None, True),
        ("POST", "/attempts/a1/submit", b"csrf_token=t", True),
        ("POST", "/api/v1/attempts/a1/submit", None, True),
        ("POST", "/courses/health/assessment", b"csrf_token=t", True),
        ("POST", "/api/v1/courses/health/attempts", None, True),
        ("POST", "/attempts/a1/items/3", b"csrf_token=t&answer=b&action=next", True),
        # A scenario choice appends to the path: sent twice, it would choose twice.
        ("POST", "/attempts/a1/items/3", b"csrf_token=t&action=choose&choice=c", False),
        ("POST", "/register", b"email=a", False),
        ("POST", "/login", b"email=a", False),
        ("POST", "/api/v1/tokens", b"{}", False),
        ("DELETE", "/api/v1/tokens/1", None, False),
    ],
)
def test_only_requests_safe_to_repeat_are_sent_again(method, path, body, safe):
    assert retry_safe(method, path, body) is safe


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        while True:
            request_line = self.rfile.readline().decode()
            if not request_line:
                return
            length = 0
            while (line := self.rfile.readline().decode()) not in ("\r\n", ""):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":")[1])
            self.rfile.read(length)
            path = request_line.split()[1]
            with self.server.lock:  # type: ignore[attr-defined]
                self.server.hits[path] += 1  # type: ignore[attr-defined]
                first = self.server.hits[path] == 1  # type: ignore[attr-defined]
            if path in self.server.drop_first and first:  # type: ignore[attr-defined]
                return  # as a killed process: the request arrived, no answer leaves
            body = self.server.name.encode()  # type: ignore[attr-defined]
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def servers() -> Iterator[list[_Server]]:
    started = []
    hits: Counter[str] = Counter()
    lock = threading.Lock()
    for name in "AB":
        server = _Server(("127.0.0.1", 0), _Handler)
        server.name, server.hits, server.lock, server.drop_first = name, hits, lock, set()  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


def _balancer(ports: list[int]) -> Balancer:
    return Balancer([Backend(n, p) for n, p in zip("AB", ports, strict=True)], Metrics(), 5)


def test_requests_go_round_robin(servers):
    balancer = _balancer([s.server_address[1] for s in servers])
    try:
        seen = [balancer.request("GET", "/", label="page").text for _ in range(4)]
    finally:
        balancer.release()
        balancer.close()
    assert seen in (["A", "B", "A", "B"], ["B", "A", "B", "A"])


def test_a_refused_connection_fails_over_whatever_the_request(servers):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]  # nothing listens here once the probe closes
    balancer = _balancer([dead, servers[1].server_address[1]])
    try:
        answers = [balancer.request("POST", "/register", label="register").text for _ in range(3)]
    finally:
        balancer.release()
        balancer.close()
    assert answers == ["B", "B", "B"]
    assert not balancer.backends[0].up
    assert balancer.metrics.events["failover (connection refused): register"] == 1


def test_a_request_left_unanswered_is_repeated_only_when_safe(servers):
    for server in servers:
        server.drop_first = {"/attempts/a1/submit", "/register"}  # type: ignore[attr-defined]
    balancer = _balancer([s.server_address[1] for s in servers])
    try:
        submitted = balancer.request("POST", "/attempts/a1/submit", label="submit")
        with pytest.raises(NoAnswer):
            balancer.request("POST", "/register", label="register")
    finally:
        balancer.release()
        balancer.close()
    hits = servers[0].hits  # type: ignore[attr-defined]
    assert submitted.status == 200 and hits["/attempts/a1/submit"] == 2
    assert hits["/register"] == 1  # sent once, never again
    events = balancer.metrics.events
    assert events["retried (sent, no answer, safe to repeat): submit"] == 1
    assert events["not retried (sent, no answer, not safe to repeat): register"] == 1
