"""Authenticated module page: throughput against a bare Flask endpoint, and page weight.

Budgets (DESIGN.md): throughput >= 30% of the bare endpoint on the same server and
settings; all assets of a module page <= 60 KB, with no JavaScript needed.

Run: .venv/bin/python -m bench.module_page
"""

from __future__ import annotations

import http.client
import re
import shutil
from pathlib import Path

from bench.harness import (
    load,
    login_cookie,
    paired_rounds,
    prepare_site,
    save,
    server,
    temporary_instance,
    throughput,
)

MODULE = "/courses/health/modules/warning-signs"
ROUNDS = 5


def page_weight(port: int, cookie: str) -> dict:
    """Bytes of the page and of every asset it references (stylesheets, scripts, images)."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", MODULE, headers={"Cookie": cookie})
    html = connection.getresponse().read()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    sizes = {}
    for asset in assets:
        connection.request("GET", asset.decode())
        sizes[asset.decode()] = len(connection.getresponse().read())
    return {
        "html_bytes": len(html),
        "assets": sizes,
        "total_bytes": len(html) + sum(sizes.values()),
        "scripts": len(re.findall(rb"<script", html)),
    }


def main() -> None:
    with temporary_instance() as tmp:
        env = prepare_site(Path(tmp))
        with server("bench.apps:bare", env) as bare_port, server("trainer.wsgi:app", env) as port:
            cookie = login_cookie(port)
            headers = {"Cookie": cookie}
            throughput(port, MODULE, headers, seconds=1)  # warm up
            throughput(bare_port, "/", seconds=1)
            rounds = paired_rounds(
                ROUNDS, lambda: load(bare_port, "/"), lambda: load(port, MODULE, headers)
            )
            weight = page_weight(port, cookie)
    ratio = rounds["ratio"]
    save(
        "module_page",
        {
            "load_generator": "wrk" if shutil.which("wrk") else "python threads",
            **rounds,
            "budget_ratio": 0.30,
            "throughput_within_budget": ratio >= 0.30,
            "page_weight": weight,
            "budget_bytes": 60 * 1024,
            "weight_within_budget": weight["total_bytes"] <= 60 * 1024 and weight["scripts"] == 0,
        },
    )


if __name__ == "__main__":
    main()
