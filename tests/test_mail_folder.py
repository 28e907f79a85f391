"""Without an SMTP server, `trainer serve` and `trainer demo` save mail as readable files."""

from __future__ import annotations

import email
import email.policy
import logging

from trainer.mail import send_mail

LINK = "http://trainer.test/verify/0K7M3QZT9D1V6F8XW2HRNC5YA4H?from=mail&lang=es"


def test_a_message_is_saved_whole_and_the_log_has_one_line(app, tmp_path, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "SMTP_URL", "")
    with app.app_context(), caplog.at_level(logging.INFO, logger="trainer.mail"):
        send_mail("nurse@example.org", "Su certificado — listo", f"Hola Amina,\n\n{LINK}\n")
    (saved,) = (tmp_path / "mail").glob("*.eml")
    raw = saved.read_text(encoding="utf-8")
    assert LINK in raw  # copied as it stands: no quoted-printable soft breaks or =3D
    assert "Hola Amina" in raw and "quoted-printable" not in raw
    message = email.message_from_string(raw, policy=email.policy.default)
    assert message["To"] == "nurse@example.org"
    assert message["Subject"] == "Su certificado — listo"
    assert message.get_content().strip().endswith(LINK)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "trainer.mail"]
    assert (
        line == f"Mail to nurse@example.org not sent (TRAINER_SMTP_URL is unset): saved in {saved}"
    )
