"""SMTP can require TLS; reset and invitation links never reach a log.

The penetration test saw STARTTLS used only when offered (so a man in the middle
could strip it and read the SMTP password and every reset link), and reset and
invitation links written in full to the log.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import re
import socket
import ssl
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from gunicorn.config import Config

from tests.conftest import csrf_token
from trainer import mail
from trainer.accounts.signin import wait_for_deliveries
from trainer.mail import MailError, send_mail, tls_policy
from trainer.redaction import redact_secrets
from trainer.serving import RedactingLogger


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[bool, str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((session.ssl is not None, envelope.content.decode()))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def plain_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def starttls_server(tmp_path):
    cert_path, key_path = self_signed(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert_path, key_path)
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), tls_context=server_context,
        require_starttls=True,
    )  # fmt: skip
    controller.start()
    yield inbox, controller.port, cert_path
    controller.stop()


def test_required_tls_sends_nothing_to_a_server_without_starttls(app, plain_server):
    inbox, port = plain_server
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}?tls=required"
    try:
        with app.app_context(), pytest.raises(MailError) as refused:
            send_mail("nurse@example.org", "Reset", "http://trainer.test/account/reset/abc")
    finally:
        app.config["SMTP_URL"] = None
    assert "does not offer STARTTLS, and TRAINER_SMTP_URL requires TLS" in str(refused.value)
    assert inbox.messages == []


def test_a_relay_on_this_machine_may_still_take_mail_in_clear(app, plain_server, caplog):
    inbox, port = plain_server
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    try:
        with app.app_context(), caplog.at_level(logging.WARNING, logger="trainer.mail"):
            send_mail("nurse@example.org", "Hello", "Body")
    finally:
        app.config["SMTP_URL"] = None
    assert len(inbox.messages) == 1 and inbox.messages[0][0] is False
    assert "without TLS" in caplog.text


def test_starttls_with_a_certificate_the_client_trusts(app, starttls_server, monkeypatch):
    inbox, port, cert_path = starttls_server
    trusting = ssl.create_default_context(cafile=cert_path)
    monkeypatch.setattr(mail.ssl, "create_default_context", lambda: trusting)
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}?tls=required"
    try:
        with app.app_context():
            send_mail("nurse@example.org", "Hello", "Body")
    finally:
        app.config["SMTP_URL"] = None
    assert len(inbox.messages) == 1 and inbox.messages[0][0] is True, "sent inside TLS"


def test_an_untrusted_certificate_is_refused(app, starttls_server):
    inbox, port, _cert = starttls_server
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}?tls=required"
    try:
        with app.app_context(), pytest.raises(ssl.SSLCertVerificationError):
            send_mail("nurse@example.org", "Hello", "Body")
    finally:
        app.config["SMTP_URL"] = None
    assert inbox.messages == []


@pytest.mark.parametrize(
    ("url", "policy"),
    [
        ("smtp://mail.example.org:587", "required"),
        ("smtp://user:pw@192.0.2.10", "required"),
        ("smtp://mail.example.org:25?tls=opportunistic", "opportunistic"),
        ("smtp://localhost:25", "opportunistic"),
        ("smtp://[::1]:25", "opportunistic"),
        ("smtp://127.0.0.1:25?tls=required", "required"),
    ],
)
def test_tls_is_required_by_default_except_on_this_machine(url, policy):
    assert tls_policy(urlsplit(url)) == policy


def test_an_unknown_policy_says_which_exist():
    with pytest.raises(ValueError, match="use tls=required or tls=opportunistic"):
        tls_policy(urlsplit("smtp://mail.example.org?tls=maybe"))


TOKEN_IN_LINK = re.compile(r"/account/reset/(?!\[redacted\])[A-Za-z0-9_-]{8,}")


def test_the_mail_log_has_no_reset_link(client, make, caplog, app, db):
    assert not app.config["SMTP_URL"]
    make.user("nurse@example.org")
    make.user("infirmiere@example.org").locale = "fr"  # her mail is French: encoded text
    db.flush()
    with caplog.at_level(logging.INFO, logger="trainer.mail"):
        for email in ("nurse@example.org", "infirmiere@example.org"):
            client.post(
                "/account/reset",
                data={"csrf_token": csrf_token(client, "/account/reset"), "email": email},
            )
        wait_for_deliveries()  # reset mail leaves on its own thread, after the answer
    assert caplog.text.count("Mail not sent") == 2
    assert "/account/reset/[redacted]" in caplog.text
    assert not TOKEN_IN_LINK.search(caplog.text)


def test_the_access_log_redacts_reset_links_and_secret_parameters():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/account/reset/Zx9_secret-token-value?next=/",
        "PATH_INFO": "/account/reset/Zx9_secret-token-value",
        "QUERY_STRING": "token=abc123&x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://trainer.example/account/reset/Zx9_secret-token-value",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="302 FOUND", sent=0, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0))
    line = " ".join(str(value) for value in atoms.values())
    assert "Zx9_secret-token-value" not in line and "abc123" not in line
    assert atoms["r"] == "POST /account/reset/[redacted]?next=/ HTTP/1.1"


def test_redaction_leaves_ordinary_links_alone():
    text = "See https://trainer.example/verify/ABCD-EFGH-JKMN and /courses/health"
    assert redact_secrets(text) == text
