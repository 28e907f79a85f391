"""Batch-verification results kept for an hour, so the page can show a summary first and the
verifier downloads the file after, with the separator they choose.

Results hold certificate holders' names, so each file is readable by the server's
user only (0600), named by an unguessable token, tied to the verifier who made it,
and deleted after :data:`KEEP_SECONDS` (old files go whenever a new one is saved).
The instance folder is shared by every process, so any of them can serve the download.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from trainer.certificates.batch import BatchResult

KEEP_SECONDS = 3600
FOLDER = "batch-results"


def _folder(instance_path: str) -> Path:
    folder = Path(instance_path) / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _purge(folder: Path, now: float) -> None:
    for old in folder.glob("*.json"):
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()
        except FileNotFoundError:  # another process purged it first
            continue


def save(instance_path: str, user_id: int, result: BatchResult) -> str:
    """Write the result for ``user_id``; returns the token that names it."""
    folder = _folder(instance_path)
    _purge(folder, time.time())
    token = secrets.token_urlsafe(18)
    body = {"user": user_id, "header": result.header, "rows": result.rows}
    descriptor = os.open(folder / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(body, file, ensure_ascii=False)
    return token


def load(instance_path: str, user_id: int, token: str) -> BatchResult | None:
    """The result saved under ``token`` by ``user_id``, if it is still kept."""
    if not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        return None
    path = _folder(instance_path) / f"{token}.json"
    try:
        if time.time() - path.stat().st_mtime > KEEP_SECONDS:
            return None
        body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if body.get("user") != user_id:
        return None
    return BatchResult(body["header"], body["rows"])
