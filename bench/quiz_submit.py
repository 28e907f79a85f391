"""Quiz submission: 20 items graded and stored, against a bare Flask endpoint.

Budget (DESIGN.md): submission throughput >= 20% of the bare endpoint on the same
server and settings. Submitting is idempotent, so every request needs an attempt
of its own: the script first creates one learner, token and open attempt per
request it will send, then replays them with wrk (a Lua script; wrk is needed here).

Run: .venv/bin/python -m bench.quiz_submit
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.harness import (
    Load,
    load,
    paired_rounds,
    save,
    server,
    site_environment,
    temporary_instance,
)

COURSE = "core"
ROUNDS = 5
SECONDS = 3
#: Enough for every round at 600 submissions a second; a round that runs out fails.
ATTEMPTS = 12000

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
        [sys.executable, "-c", script, str(target)], env=site_environment(instance), check=True
    )
    return target


def submit_load(port: int, lines: list[str], seconds: float, workdir: Path) -> Load:
    """Submissions, each to a fresh attempt, for ``seconds``; wrk replays them from a file."""
    data = workdir / f"round-{len(list(workdir.glob('round-*.tsv')))}.tsv"
    data.write_text("\n".join(lines) + "\n")
    script = data.with_suffix(".lua")
    script.write_text(LUA % data)
    measured = load(port, "/", seconds=seconds, wrk_script=script)
    if measured.requests > len(lines):
        raise RuntimeError(f"ran out of attempts: {measured.requests} sent, {len(lines)} prepared")
    return measured


def main() -> None:
    with temporary_instance() as tmp:
        instance = Path(tmp)
        lines = prepare_attempts(instance, ATTEMPTS).read_text().splitlines()
        env = site_environment(instance)
        chunk = len(lines) // (ROUNDS + 1)
        rounds = iter(lines[i * chunk : (i + 1) * chunk] for i in range(ROUNDS + 1))
        with server("bench.apps:bare", env) as bare_port, server("trainer.wsgi:app", env) as port:
            submit_load(port, next(rounds), 1, instance)  # warm up
            load(bare_port, "/", seconds=1)
            figures = paired_rounds(
                ROUNDS,
                lambda: load(bare_port, "/", seconds=SECONDS),
                lambda: submit_load(port, next(rounds), SECONDS, instance),
            )
            sample = json.loads(lines[0].split("\t", 2)[2])
    save(
        "quiz_submit",
        {
            "load_generator": "wrk",
            "course": COURSE,
            "items_per_submission": len(sample["answers"]),
            **figures,
            "budget_ratio": 0.20,
            "within_budget": figures["ratio"] >= 0.20,
        },
    )


if __name__ == "__main__":
    main()
