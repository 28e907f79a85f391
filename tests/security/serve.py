"""Serve Trainer under gunicorn with test settings, for probes that need real processes.

``python -m tests.security.serve PORT``, with the usual ``TRAINER_*`` environment
and, in ``TRAINER_TEST_OVERRIDES``, a JSON object of app settings that have no
environment variable (short rate limits, a rate-limit key prefix).
"""

from __future__ import annotations

import json
import os
import sys

from trainer import create_app
from trainer.serving import GunicornServer


def main() -> None:
    port = int(sys.argv[1])
    overrides = json.loads(os.environ.get("TRAINER_TEST_OVERRIDES", "{}"))
    app = create_app(overrides)
    options = {
        "bind": f"127.0.0.1:{port}",
        "workers": 1,
        "threads": 2,
        "worker_class": "gthread",
        "loglevel": "warning",
    }
    GunicornServer(app, options).run()


if __name__ == "__main__":
    main()
