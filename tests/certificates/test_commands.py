"""``trainer certificates``: offline verification of a PDF, issue, revoke, key rotation."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.certificates.helpers import finish_course
from trainer.certificates import services
from trainer.certificates.credential import build_credential, sign_credential
from trainer.certificates.keys import new_site_key
from trainer.certificates.pdf import render_certificate_pdf
from trainer.certificates.printing import certificate_pdf, printed_certificate
from trainer.cli import main
from trainer.content.catalogue import catalogue
from trainer.models import AuditEvent, Certificate

BASE = "http://trainer.test"


@pytest.fixture
def run(app, db):
    def run(*args: str):
        return CliRunner().invoke(main, list(args), obj=app)

    return run


@pytest.fixture
def issued(app, make, db):
    learner = make.user(full_name="أميرة حداد", licence_number="RN-4410021")
    return finish_course(app, db, learner)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def genuine_pdf(app, certificate):
    with app.app_context():
        return certificate_pdf(certificate, catalogue(), BASE, "A4")


def forged_pdf(app, certificate, credential=None, **printed_changes):
    """A page re-made with edited printed fields, carrying a (possibly other) credential."""
    with app.app_context():
        printed = printed_certificate(certificate, catalogue(), BASE)
    printed = dataclasses.replace(printed, **printed_changes)
    return render_certificate_pdf(printed, credential=credential or certificate.credential)


def test_a_genuine_certificate_verifies_offline(app, run, issued, tmp_path):
    result = run("certificates", "verify", write(tmp_path, "c.pdf", genuine_pdf(app, issued)))
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "أميرة حداد" in result.output


def test_with_a_jwks_file_and_the_published_seal_certificate(app, client, issued, tmp_path):
    jwks = write(tmp_path, "jwks.json", client.get("/.well-known/jwks.json").data)
    seal = write(tmp_path, "seal.pem", client.get("/pdf-signing-certificate.pem").data)
    pdf = write(tmp_path, "c.pdf", genuine_pdf(app, issued))
    args = ["certificates", "verify", pdf, "--jwks", jwks]
    result = CliRunner().invoke(main, [*args, "--pdf-cert", seal])
    assert result.exit_code == 0, result.output
    # Without it, the site's P-256 key in the JWKS vouches for the seal (it sealed the PDF).
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"name": "Someone Else"}, "printed name"),
        ({"hours": 12.0}, "printed credit hours"),
        ({"id": "0000-0000-0000-0000-0000-0000-000"}, "printed certificate id"),
    ],
)
def test_an_edited_page_fails(app, run, issued, tmp_path, changes, reason):
    pdf = write(tmp_path, "edited.pdf", forged_pdf(app, issued, **changes))
    result = run("certificates", "verify", pdf)
    assert result.exit_code == 1 and "INVALID" in result.output
    assert reason in result.output


def test_an_altered_credential_fails(app, run, issued, tmp_path):
    header, payload, signature = issued.credential.split(".")
    altered = ".".join(
        [header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature]
    )
    result = run(
        "certificates", "verify", write(tmp_path, "x.pdf", forged_pdf(app, issued, altered))
    )
    assert result.exit_code == 1
    assert "altered" in result.output or "cannot be read" in result.output


def test_a_credential_signed_by_another_key_fails(app, run, issued, tmp_path):
    other = new_site_key()[1]
    foreign = sign_credential(build_credential(issued, BASE), other)
    result = run(
        "certificates", "verify", write(tmp_path, "x.pdf", forged_pdf(app, issued, foreign))
    )
    assert result.exit_code == 1 and "not in the JWKS" in result.output


def test_a_pdf_without_a_credential_or_not_a_pdf_fails(app, run, issued, tmp_path):
    with app.app_context():
        printed = printed_certificate(issued, catalogue(), BASE)
    bare = write(tmp_path, "bare.pdf", render_certificate_pdf(printed))
    assert "no embedded credential" in run("certificates", "verify", bare).output
    junk = write(tmp_path, "junk.pdf", b"hello")
    result = run("certificates", "verify", junk)
    assert result.exit_code == 1 and "cannot be read" in result.output


def test_issue_records_an_in_person_completion(app, run, make, db):
    make.user("walkin@example.org", full_name="Walk In", profession="licensed")
    day = (date.today() - timedelta(days=3)).isoformat()
    args = ["certificates", "issue", "--email", "walkin@example.org", "--course", "licensed"]
    result = run(*args, "--reason", "In-person session, Lansing", "--completed-on", day)
    assert result.exit_code == 0, result.output
    certificate = db.scalar(select(Certificate).where(Certificate.source == "manual"))
    assert certificate.completed_on.isoformat() == day
    assert certificate.issue_reason == "In-person session, Lansing"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issue_manual"))
    assert event.detail["reason"] == "In-person session, Lansing"
    again = run(*args, "--reason", "In-person session, Lansing")
    assert again.exit_code == 0 and "nothing changed" in again.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--email", "nobody@example.org", "--course", "health"], "No account"),
        (["--email", "walkin@example.org", "--course", "nope"], "No course"),
        (
            ["--email", "walkin@example.org", "--course", "health", "--completed-on", "2999-01-01"],
            "future",
        ),
    ],
)
def test_issue_refuses_with_a_reason(run, make, db, args, says):
    make.user("walkin@example.org")
    result = run("certificates", "issue", *args, "--reason", "session")
    assert result.exit_code == 1 and says in result.output


def test_revoke_from_the_command_line(run, client, issued, db):
    result = run("certificates", "revoke", issued.id, "--reason", "Issued in error")
    assert result.exit_code == 0, result.output
    body = client.get(f"/api/v1/verify/{issued.id}").json["certificate"]
    assert body["status"] == "revoked" and body["revoked"]["reason"] == "Issued in error"
    assert run("certificates", "revoke", issued.id, "--reason", "x").exit_code == 1
    typo = issued.id[:-1] + ("Z" if issued.id[-1] != "Z" else "Y")
    assert "typing mistake" in run("certificates", "revoke", typo, "--reason", "x").output


def test_rotating_the_key_keeps_old_certificates_verifiable(app, run, client, issued, tmp_path):
    old_kid = services.issuer_of(app).site_key.kid
    out = tmp_path / "new-key.pem"
    result = run("certificates", "rotate-key", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    keys = client.get("/.well-known/jwks.json").json["keys"]
    assert len({k["kid"] for k in keys}) == 2
    assert f"{BASE}/keys/{old_kid}" in {k["kid"] for k in keys}
    jwks = write(tmp_path, "jwks.json", json.dumps({"keys": keys}).encode())
    pdf = write(tmp_path, "old.pdf", genuine_pdf(app, issued))
    seal = write(tmp_path, "seal.pem", client.get("/pdf-signing-certificate.pem").data)
    assert run("certificates", "verify", pdf, "--jwks", jwks, "--pdf-cert", seal).exit_code == 0
    assert run("certificates", "rotate-key", "--out", str(out)).exit_code == 1  # never overwrite
