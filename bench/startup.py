"""Start-up: ``create_app`` in a fresh process, with the content cache cold and warm, same run.

Budget (DESIGN.md): start-up with all content validated takes < 2 s, whatever the
amount of content. A cold start reads and checks every file of ``courses/`` and
stores the validated catalogue in the instance folder; a warm start (content and
code unchanged) reads it back (``trainer/content/cache.py``). Each round runs one
cold and one warm start back to back, so both are measured under the same load
on a shared machine. Figures are the process's own CPU time (imports included)
and wall time, and the time spent in the catalogue's loading alone.

Run: .venv/bin/python -m bench.startup [rounds]
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from bench.harness import save, site_environment, temporary_instance

ROUNDS = 5

START = """
import json, time
wall, cpu = time.perf_counter(), time.process_time()
from trainer.content import loader
measured = {}
real_load = loader.load_catalogue
def timed_load(*args, **kwargs):
    began = time.process_time()
    try:
        return real_load(*args, **kwargs)
    finally:
        measured["content_cpu_s"] = time.process_time() - began
loader.load_catalogue = timed_load
from trainer import create_app
create_app()
measured["cpu_s"] = time.process_time() - cpu
measured["wall_s"] = time.perf_counter() - wall
print(json.dumps(measured))
"""


def start_once(env: dict[str, str]) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", START], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def summary(starts: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(s[key] for s in starts), 3) for key in starts[0]}


def main(rounds: int = ROUNDS) -> None:
    with temporary_instance() as folder:
        instance = Path(folder)
        env = site_environment(instance)
        cache = instance / "cache"
        start_once(env)  # the secret and signing keys, written once, outside the figures
        cold, warm = [], []
        for _ in range(rounds):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(start_once(env))
            warm.append(start_once(env))
    cold_figures, warm_figures = summary(cold), summary(warm)
    save(
        "startup",
        {
            "rounds": rounds,
            "courses_files": sum(1 for p in Path("courses").rglob("*") if p.is_file()),
            "uncached": cold_figures,
            "cached": warm_figures,
            "cached_cpu_per_round": [round(w["cpu_s"], 3) for w in warm],
            "uncached_cpu_per_round": [round(c["cpu_s"], 3) for c in cold],
            "ratio_cpu": round(warm_figures["cpu_s"] / cold_figures["cpu_s"], 3),
            "budget_s": 2.0,
            "within_budget": warm_figures["cpu_s"] < 2.0,
        },
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
