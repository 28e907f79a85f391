"""Quiz submission: 20 items graded and stored, against a bare Flask endpoint.

Budget (DESIGN.md): submission throughput >= 20% of the bare endpoint on the same
server and settings. Submitting is idempotent, so every request needs an attempt
of its own: the script first creates one learner, token and open attempt per
request it will send, then replays them (wrk with a Lua script, or Python threads).

Run: .venv/bin/python -m bench.quiz_submit
"""

from __future__ import annotations

import http.client
import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

from bench.harness import (
    median_of,
    save,
    server,
    site_environment,
    temporary_instance,
    throughput,
)

COURSE = "core"
ROUNDS = 3
SECONDS = 4
ATTEMPTS = 6000

LUA = """
local lines = {}
for line in io.lines("%s") do lines[#lines + 1] = line end
local index = 0
request = function()
  index = index + 1
  local id, token, body = lines[index]:match("([^\\t]+)\\t([^\\t]+)\\t(.+)")
  return wrk.format("POST", "/api/v1/attempts/" .. id .. "/submit",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
"""


def prepare_attempts(instance: Path, count: int) -> Path:
    """Create ``count`` learners, each with a token and an open attempt; write them to a file."""
    script = f"""
import secrets, sys
from trainer import create_app, db
from trainer.content.catalogue import catalogue
from trainer.migrate import upgrade
from trainer.models import ApiToken, User
from trainer.quizzes.services import start_attempt
from trainer.security import token_digest
app = create_app()
with app.app_context():
    upgrade(db.database().engine)
    session = db.session()
    course = catalogue().courses[{COURSE!r}]
    out = open(sys.argv[1], "w")
    for n in range({count}):
        user = User(email=f"bench{{n}}@example.org", full_name=f"Learner {{n}}", role="learner")
        session.add(user)
        session.flush()
        token = "trn_" + secrets.token_urlsafe(24)
        session.add(ApiToken(user=user, prefix=token[:10], token_hash=token_digest(token)))
        attempt, _ = start_attempt(session, user, course)
        answers = {{}}
        for item_id in attempt.item_ids:
            item = course.item(item_id)
            key = item.item_type.key(item)
            answers[item_id] = key[0] if item.type == "single" else key
        import json
        out.write(f"{{attempt.id}}\\t{{token}}\\t{{json.dumps({{'answers': answers}})}}\\n")
        if n % 500 == 0:
            session.commit()
    session.commit()
    out.close()
"""
    target = instance / "attempts.tsv"
    subprocess.run(
        [".venv/bin/python", "-c", script, str(target)], env=site_environment(instance), check=True
    )
    return target


def submit_throughput(port: int, lines: list[str], seconds: float, workdir: Path) -> float:
    """Submissions per second, each to a fresh attempt."""
    if shutil.which("wrk"):
        data = workdir / f"round-{len(list(workdir.glob('round-*.tsv')))}.tsv"
        data.write_text("\n".join(lines) + "\n")
        script = data.with_suffix(".lua")
        script.write_text(LUA % data)
        output = subprocess.run(
            [
                shutil.which("wrk") or "wrk",
                "-t1",
                "-c8",
                f"-d{int(seconds)}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "Non-2xx" in output:
            raise RuntimeError(output)
        return float(output.split("Requests/sec:")[1].split()[0])
    return _python_submits(port, lines, seconds)


def _python_submits(port: int, lines: list[str], seconds: float) -> float:
    work: queue.Queue[str] = queue.Queue()
    for line in lines:
        work.put(line)
    stop, done = time.monotonic() + seconds, [0]
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            attempt_id, token, body = work.get_nowait().split("\t", 2)
            connection.request(
                "POST",
                f"/api/v1/attempts/{attempt_id}/submit",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(response.status)
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started)


def main() -> None:
    with temporary_instance() as tmp:
        instance = Path(tmp)
        lines = prepare_attempts(instance, ATTEMPTS).read_text().splitlines()
        env = site_environment(instance)
        chunk = len(lines) // (ROUNDS + 1)
        rounds = iter(lines[i * chunk : (i + 1) * chunk] for i in range(ROUNDS + 1))
        with server("bench.apps:bare", env) as bare_port, server("trainer.wsgi:app", env) as port:
            submit_throughput(port, next(rounds), 1, instance)  # warm up
            throughput(bare_port, "/", seconds=1)
            bare = median_of(ROUNDS, lambda: throughput(bare_port, "/", seconds=SECONDS))
            submits = median_of(
                ROUNDS, lambda: submit_throughput(port, next(rounds), SECONDS, instance)
            )
            sample = json.loads(lines[0].split("\t", 2)[2])
    ratio = submits / bare
    save(
        "quiz_submit",
        {
            "load_generator": "wrk" if shutil.which("wrk") else "python threads",
            "course": COURSE,
            "items_per_submission": len(sample["answers"]),
            "bare_flask_rps": round(bare, 1),
            "submissions_per_second": round(submits, 1),
            "ratio": round(ratio, 3),
            "budget_ratio": 0.20,
            "within_budget": ratio >= 0.20,
        },
    )


if __name__ == "__main__":
    main()
