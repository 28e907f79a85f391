"""Outgoing mail through ``TRAINER_SMTP_URL``, or to the log when it is unset.

``trainer serve`` without an SMTP server sets ``MAIL_FOLDER`` (``instance/mail``):
each message is saved there as a readable file and the log gets one line.

URL forms: ``smtp://user:password@host:25`` (STARTTLS when the server offers it),
``smtps://user:password@host:465`` (TLS from the start).
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTPUTF8
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger("trainer.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message, or log it when no SMTP server is configured."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)

    url = config.get("SMTP_URL")
    if not url and config.get("MAIL_FOLDER"):
        saved = save_to_folder(message, body, Path(config["MAIL_FOLDER"]))
        log.info("Mail to %s not sent (TRAINER_SMTP_URL is unset): saved in %s", to, saved)
        return
    if not url:
        log.info("Mail not sent (TRAINER_SMTP_URL is unset):\n%s", message.as_string())
        return
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"TRAINER_SMTP_URL must start with smtp:// or smtps://, not {url!r}")
    host = parts.hostname or "localhost"
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, context=context, timeout=20
        )
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=20)
    with client:
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


def save_to_folder(message: EmailMessage, body: str, folder: Path) -> Path:
    """Write the message as a readable ``.eml`` file (UTF-8, no quoted-printable) in ``folder``.

    For ``trainer serve`` without an SMTP server: a link in the file can be copied
    as it stands, which a quoted-printable log line breaks.
    """
    folder.mkdir(parents=True, exist_ok=True)
    message.set_content(body, cte="8bit")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    handle, name = tempfile.mkstemp(dir=folder, prefix=f"{stamp}-", suffix=".eml")
    with os.fdopen(handle, "wb") as out:
        out.write(message.as_bytes(policy=SMTPUTF8))
    return Path(name)


def send_after_commit(db: Session, to: str, subject: str, body: str) -> None:
    """Send the message once ``db`` commits; drop it if the transaction rolls back.

    So a learner is never told of a certificate that a failed request did not keep.
    """
    db.info.setdefault("outbox", []).append((to, subject, body))


@event.listens_for(Session, "after_commit")
def _send_outbox(db: Session) -> None:
    for message in db.info.pop("outbox", []):
        try:
            send_mail(*message)
        except Exception:  # the commit stands; a lost notice must not fail the request
            log.exception("Could not send mail to %s", message[0])


@event.listens_for(Session, "after_transaction_end")
def _drop_outbox(db: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        db.info.pop("outbox", None)
