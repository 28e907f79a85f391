"""Outgoing mail through ``TRAINER_SMTP_URL``, or to the log when it is unset.

``trainer serve`` without an SMTP server sets ``MAIL_FOLDER`` (``instance/mail``):
each message is saved there as a readable file and the log gets one line.

URL forms:

- ``smtps://user:password@host:465``: TLS from the first byte.
- ``smtp://user:password@host:587``: STARTTLS, **required** when the host is
  another machine: a server that does not offer it gets nothing, not even the
  password, and the message fails with the reason.
- ``smtp://host:25?tls=opportunistic``: STARTTLS when offered, else in clear.
  This is the default only for a relay on this machine (``localhost``,
  ``127.0.0.1``, ``::1``), where the mail does not cross a network before the
  relay takes it; ``?tls=required`` makes even that one require STARTTLS.

The certificate of the server is checked against the system's trust store, and
its name against the host in the URL. Messages written to the log (no URL set)
have their reset and invitation links redacted.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import smtplib
import ssl
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTPUTF8
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from trainer.redaction import redact_secrets

log = logging.getLogger("trainer.mail")

TLS_POLICIES = ("required", "opportunistic")


class MailError(RuntimeError):
    """The message could not be sent safely; says why."""


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message, or log it (secrets redacted) when no SMTP server is set."""
    url = current_app.config.get("SMTP_URL")
    if not url and current_app.config.get("MAIL_FOLDER"):
        saved = save_to_folder(
            _message(to, subject, body), body, Path(current_app.config["MAIL_FOLDER"])
        )
        log.info("Mail to %s not sent (TRAINER_SMTP_URL is unset): saved in %s", to, saved)
        return
    if not url:
        logged = _message(to, subject, redact_secrets(body)).as_string()
        log.info("Mail not sent (TRAINER_SMTP_URL is unset):\n%s", logged)
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
        if parts.scheme == "smtp":
            _start_tls(client, parts, context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(_message(to, subject, body))


def tls_policy(parts: SplitResult) -> str:
    """``required`` or ``opportunistic``, from ``?tls=`` or, by default, from the host."""
    asked = parse_qs(parts.query).get("tls", [""])[-1].lower()
    if asked:
        if asked not in TLS_POLICIES:
            raise ValueError(
                f"TRAINER_SMTP_URL: tls={asked!r} is not a policy; use tls=required or "
                "tls=opportunistic (or smtps:// for TLS from the start)."
            )
        return asked
    return "opportunistic" if _is_loopback(parts.hostname or "localhost") else "required"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _start_tls(client: smtplib.SMTP, parts: SplitResult, context: ssl.SSLContext) -> None:
    client.ehlo()
    if client.has_extn("starttls"):
        client.starttls(context=context)
        return
    if tls_policy(parts) == "required":
        raise MailError(
            f"The SMTP server {parts.hostname}:{parts.port or 25} does not offer STARTTLS, and "
            "TRAINER_SMTP_URL requires TLS: nothing was sent. Use smtps://, a server that offers "
            "STARTTLS, or add ?tls=opportunistic to send in clear."
        )
    log.warning("Sending mail to %s without TLS: the server does not offer it.", parts.hostname)


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
