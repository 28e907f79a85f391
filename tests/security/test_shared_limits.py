"""Rate limits hold across processes: two gunicorn servers counting in one Redis.

Requests alternate between the two servers; the first request over the limit is
refused whichever server it reaches. Keys carry a prefix unique to the run, and
are deleted afterwards, so runs in parallel do not count each other's requests.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from trainer.certificates.ids import format_certificate_id, new_certificate_id
from trainer.db import make_engine
from trainer.migrate import upgrade

#: Database 4 unless told otherwise; the key prefix keeps parallel runs apart anyway.
REDIS_URL = os.environ.get("TRAINER_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
PORTS = range(5400, 5450)
PROJECT = Path(__file__).resolve().parents[2]
LIMIT = 4


def free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"no {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def wait_until_serving(port: int, process: subprocess.Popen, deadline: float = 120.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server on port {port} exited with {process.returncode}")
        try:
            if call(f"127.0.0.1:{port}", "/.well-known/jwks.json")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server on port {port} did not answer within {deadline} s")


@pytest.fixture(scope="module")
def shared_redis() -> Iterator[tuple[redis.Redis, str]]:
    """Redis database 4 and a key prefix for this run only; its keys are deleted after."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        pytest.skip(f"Redis does not answer at {REDIS_URL} ({error}); start it to run this probe")
    prefix = f"trainer-probe-{secrets.token_hex(8)}"
    yield client, prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, shared_redis) -> Iterator[list[str]]:
    """Two gunicorn processes on one SQLite database and one Redis, for this module's probes."""
    _client, prefix = shared_redis
    tmp_path = tmp_path_factory.mktemp("two-servers")
    database_url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    environment = {
        **os.environ,
        "TRAINER_DATABASE_URL": database_url,
        "TRAINER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRAINER_RATELIMIT_STORAGE_URL": REDIS_URL,
        "TRAINER_BASE_URL": "http://trainer.test",
        "TRAINER_TEST_OVERRIDES": json.dumps(
            {
                "RATELIMIT_KEY_PREFIX": prefix,
                "LOGIN_RATE_LIMIT": f"{LIMIT} per minute",
                "VERIFY_RATE_LIMIT": f"{LIMIT} per minute",
                "ARGON2_TIME_COST": 1,
                "ARGON2_MEMORY_COST": 1024,
            }
        ),
    }
    ports = free_ports(2)
    processes = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.security.serve", str(port)],
            cwd=PROJECT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(port, process)
        yield [f"127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for process in processes:
            process.wait(timeout=30)


def call(server: str, path: str, body: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request to ``server`` (host:port) on loopback; (status, headers, body)."""
    host, port = server.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        if body is None:
            connection.request("GET", path)
        else:
            headers = {"Content-Type": "application/json"}
            connection.request("POST", path, body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_two_processes_share_the_sign_in_limit(two_servers):
    first, second = two_servers
    wrong = {"email": "nobody@example.org", "password": "not the password"}
    answers = [call(server, "/api/v1/tokens", wrong) for server in [first, second] * LIMIT]
    statuses = [status for status, _headers, _body in answers]
    assert statuses[:LIMIT] == [401] * LIMIT
    assert statuses[LIMIT:] == [429] * LIMIT, "the count is shared, whichever server answers"
    _status, headers, body = answers[LIMIT]
    assert int(headers["Retry-After"]) > 0
    assert json.loads(body)["error"]["message"].startswith("Too many attempts")


def test_two_processes_share_the_verify_limit(two_servers):
    """Page on one server, API on the other: one count per client for both."""
    first, second = two_servers
    paths = ["/verify/", "/api/v1/verify/"]
    statuses = []
    for n in range(LIMIT + 2):
        server, path = [first, second][n % 2], paths[n // 2 % 2]
        statuses.append(call(server, path + format_certificate_id(new_certificate_id()))[0])
    assert statuses == [404] * LIMIT + [429, 429]
