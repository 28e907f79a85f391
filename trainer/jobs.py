"""Background jobs with Huey: invitations after an import, reminders and digests daily.

Where the queue lives (``QUEUE_URL``, from ``TRAINER_QUEUE_URL``, else the rate-limit
storage URL when that is ``redis://``):

- unset / ``sqlite``: a :class:`huey.SqliteHuey` file ``jobs.sqlite3`` in the instance
  folder, for one machine;
- ``redis://…``: a :class:`huey.RedisHuey`, so that several machines share one queue;
- ``immediate``: tasks run in the calling thread (unit tests of tasks only).

The Huey instance is built on first use per app and kept in ``app.extensions``, so
that an app that never enqueues anything never opens the queue. Tasks run in an
app context of the app that built them. Mail failures raise, and Huey retries the
task with a growing delay; an invitation is marked sent only once it went out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Task, TaskWrapper
from huey.consumer import Consumer

log = logging.getLogger("trainer.jobs")

#: Retries of a mail task: 60 s, then doubled each time (about 17 hours in all).
MAIL_RETRIES = 10
MAIL_RETRY_DELAY = 60
MAIL_RETRY_BACKOFF = 2.0
#: Reminders and digests go out once a day at this hour (UTC).
DAILY_HOUR = 6


@dataclass(frozen=True)
class Jobs:
    """The queue of one app and its tasks."""

    huey: Huey
    send_invitations: TaskWrapper
    daily_reminders: TaskWrapper


def queue_url(config: dict[str, Any]) -> str:
    """The queue's URL: explicit, else the shared Redis of the rate limits, else SQLite."""
    url = str(config.get("QUEUE_URL") or "")
    if url:
        return url
    limits = str(config.get("RATELIMIT_STORAGE_URI") or "")
    return limits if limits.startswith(("redis://", "rediss://")) else "sqlite"


def _make_huey(app: Flask) -> Huey:
    url = queue_url(app.config)
    name = str(app.config.get("QUEUE_NAME") or "trainer")
    if url == "immediate":
        return MemoryHuey(name, immediate=True)
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey(name, url=url)
    if url not in ("sqlite", ""):
        raise ValueError(f"TRAINER_QUEUE_URL must be redis://…, sqlite or immediate, not {url!r}")
    path = Path(app.instance_path) / "jobs.sqlite3"
    return SqliteHuey(name, filename=str(path))


def _register(app: Flask, huey: Huey) -> Jobs:
    retry = {
        "retries": MAIL_RETRIES,
        "retry_delay": int(app.config.get("QUEUE_RETRY_DELAY") or MAIL_RETRY_DELAY),
        "retry_backoff": MAIL_RETRY_BACKOFF,
    }

    @huey.task(name="send_invitations", **retry)
    def send_invitations(organisation_id: int | None = None) -> list[str]:
        from trainer import db
        from trainer.orgs.invitations import send_invitations as send

        with app.app_context():
            session = db.session()
            try:
                return send(session, organisation_id=organisation_id)
            finally:
                session.close()

    @huey.periodic_task(crontab(hour=str(DAILY_HOUR), minute="0"), name="daily_reminders")
    def daily_reminders() -> None:
        run_daily(app, date.today())

    return Jobs(huey, send_invitations, daily_reminders)


def run_daily(app: Flask, today: date) -> int:
    """Pending invitations, then due-soon/overdue reminders and digests; messages sent."""
    from trainer import db
    from trainer.content.catalogue import catalogue
    from trainer.orgs.invitations import send_invitations
    from trainer.orgs.reminders import send_reminders

    with app.app_context():
        session = db.session()
        try:
            invited = send_invitations(session)
            reminded = send_reminders(session, catalogue(), today=today)
        finally:
            session.close()
    log.info("daily run: %d invitations, %d reminders", len(invited), len(reminded))
    return len(invited) + len(reminded)


def jobs(app: Flask) -> Jobs:
    """The app's queue and tasks, built on first use."""
    found = app.extensions.get("trainer_jobs")
    if found is None:
        found = _register(app, _make_huey(app))
        app.extensions["trainer_jobs"] = found
    return found


def enqueue_invitations(app: Flask, organisation_id: int) -> Task | None:
    """Queue the organisation's pending invitations; call after the import committed."""
    return jobs(app).send_invitations(organisation_id)


def consumer(app: Flask, *, workers: int = 2, periodic: bool = True) -> Consumer:
    """A consumer (worker threads and, when ``periodic``, the scheduler) for the app's queue.

    ``start()`` runs it in background threads of this process; ``run()`` blocks.
    """
    return jobs(app).huey.create_consumer(
        workers=workers, worker_type="thread", periodic=periodic, check_worker_health=True
    )
