"""Batch verification of 1000 ids against 1000 single lookups, same server, same run.

Budget (DESIGN.md): one batch call is >= 20x faster than 1000 single lookups.
Both go through the real app under gunicorn with the settings `trainer serve`
uses (rate limits off, or the singles would be refused), and both write their
audit records: one per single lookup, one per batch.

Run: .venv/bin/python -m bench.verify_batch
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import median_of, save, server, site_environment, temporary_instance

COUNT = 1000
ROUNDS = 3

SEED = """
import sys
from trainer import create_app, db
from trainer.accounts.services import Profile, create_api_token, create_user
from trainer.certificates import services
from trainer.content.catalogue import catalogue
from datetime import date

app = create_app()
with app.app_context():
    session = db.session()
    board = create_user(session, email="board@example.org", password=None, role="verifier",
                        profile=Profile("Board", None, "US"))
    _, token = create_api_token(session, board)
    course = catalogue().courses["health"]
    ids = []
    for n in range(int(sys.argv[1])):
        user = create_user(session, email=f"nurse{n}@example.org", password=None,
                           profile=Profile(f"Nurse {n}", "health", "US"))
        certificate, _ = services.issue_certificate(
            session, user, course, catalogue(), services.issuer_of(app),
            completed_on=date(2026, 11, 1))
        ids.append(certificate.id)
    session.commit()
    print(token)
    print("\\n".join(ids))
"""


def seed(env: dict[str, str], count: int) -> tuple[str, list[str]]:
    subprocess.run(
        [sys.executable, "-m", "trainer", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    output = subprocess.run(
        [sys.executable, "-c", SEED, str(count)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return output[0], output[1:]


def singles(port: int, ids: list[str]) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    for cid in ids:
        connection.request("GET", f"/api/v1/verify/{cid}")
        response = connection.getresponse()
        body = json.loads(response.read())
        if response.status != 200 or body["certificate"]["status"] != "valid":
            raise RuntimeError(f"single lookup failed: {response.status} {body}")
    return time.perf_counter() - started


def batch(port: int, ids: list[str], token: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request(
        "POST",
        "/api/v1/verifications",
        body=json.dumps({"ids": ids}),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    results = json.loads(response.read())["results"]
    elapsed = time.perf_counter() - started
    if response.status != 200 or [r["status"] for r in results] != ["valid"] * len(ids):
        raise RuntimeError(f"batch failed: {response.status}")
    return elapsed


def main() -> None:
    with temporary_instance() as tmp:
        env = site_environment(Path(tmp))
        token, ids = seed(env, COUNT)
        with server("bench.apps:trainer_without_rate_limits()", env) as port:
            singles(port, ids[:50])  # warm up both paths
            batch(port, ids[:50], token)
            single_seconds = median_of(ROUNDS, lambda: singles(port, ids))
            batch_seconds = median_of(ROUNDS, lambda: batch(port, ids, token))
    save(
        "verify_batch",
        {
            "ids": COUNT,
            "single_lookups_seconds": round(single_seconds, 3),
            "batch_seconds": round(batch_seconds, 3),
            "speed_up": round(single_seconds / batch_seconds, 1),
            "budget": ">= 20x",
            "met": single_seconds / batch_seconds >= 20,
        },
    )


if __name__ == "__main__":
    main()
