"""Key rotation and compromise: what a retired or leaked key signs is refused everywhere."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.certificates.helpers import finish_course, pass_course_via_api
from tests.certificates.test_open_badges import status_bit, verify_with_pyjwt
from trainer.backup.services import instance_files
from trainer.certificates import services
from trainer.certificates.credential import (
    CredentialError,
    build_credential,
    sign_credential,
    verify_credential,
)
from trainer.certificates.keys import key_set, load_site_key
from trainer.certificates.printing import certificate_pdf
from trainer.cli import main
from trainer.content.catalogue import catalogue
from trainer.models import AuditEvent, Certificate, utcnow

BASE = "http://trainer.test"


@pytest.fixture
def run(app, db):
    def run(*args: str):
        return CliRunner().invoke(main, list(args), obj=app)

    return run


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """The app's key in an instance folder of this test's own; everything restored after."""
    monkeypatch.delenv("TRAINER_SIGNING_KEY", raising=False)
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "signing-key.pem").write_text(app.config["SIGNING_KEY_PEM"])
    monkeypatch.setattr(app, "instance_path", str(folder))
    monkeypatch.setitem(app.extensions, services.EXTENSION_KEY, services.issuer_of(app))
    return folder


def jwks(client) -> dict:
    return client.get("/.well-known/jwks.json").json


def published(client, kid: str) -> dict:
    return next(k for k in jwks(client)["keys"] if k["kid"].endswith("/" + kid))


def test_rotation_removes_the_old_private_key_and_keeps_its_public_key(
    app, run, client, db, make, instance
):
    old_certificate = finish_course(app, db, make.user())
    old = services.issuer_of(app).site_key
    (instance / f"signing-key-retired-{'x' * 43}.pem").write_text("archived by an old version")
    result = run("certificates", "rotate-key")
    assert result.exit_code == 0, result.output
    new = load_site_key((instance / "signing-key.pem").read_text())
    assert new.kid != old.kid and new.alg == "ES256"
    assert sorted(p.name for p in instance.iterdir()) == ["signing-key.pem"]
    assert "Removed the retired private key" in result.output and "is gone" in result.output
    backed_up = instance_files(instance, app.config["DATABASE_URL"])
    assert list(backed_up) == ["instance/signing-key.pem"]
    assert backed_up["instance/signing-key.pem"].read_text() != app.config["SIGNING_KEY_PEM"]

    keys = jwks(client)
    assert published(client, old.kid)["retired_at"].endswith("Z")
    assert "retired_at" not in published(client, new.kid)
    assert verify_credential(old_certificate.credential, key_set(keys)).name
    assert verify_with_pyjwt(client, old_certificate.credential)["jti"].endswith(old_certificate.id)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "signing_key.rotate"))
    assert event.target_id == new.kid and event.detail["retired"] == old.kid


def test_a_signature_made_with_a_retired_key_fails_verification(
    app, run, client, db, make, instance
):
    certificate = finish_course(app, db, make.user())
    old = services.issuer_of(app).site_key
    assert run("certificates", "rotate-key").exit_code == 0
    late = Certificate(
        **{
            column: getattr(certificate, column)
            for column in Certificate.__table__.columns.keys()  # noqa: SIM118
        }
    )
    late.issued_at = utcnow() + timedelta(minutes=1)
    token = sign_credential(build_credential(late, BASE), old)
    with pytest.raises(CredentialError, match="after its key was retired"):
        verify_credential(token, key_set(jwks(client)))
    # The site refuses to sign with it at all.
    with app.app_context(), pytest.raises(services.RetiredSigningKey, match="Restart"):
        services.issue_certificate(
            db,
            make.user("late@example.org"),
            catalogue().courses["health"],
            catalogue(),
            services.issuer_of(app),
            completed_on=utcnow().date(),
        )


def test_a_process_started_before_the_rotation_signs_with_the_new_key(
    app, run, client, make, db, instance
):
    old = services.issuer_of(app).site_key
    assert run("certificates", "rotate-key").exit_code == 0
    learner = make.user("late@example.org")
    pass_course_via_api(client, app, make.api_headers(learner))
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    assert certificate is not None and certificate.key_id != old.kid
    assert verify_with_pyjwt(client, certificate.credential)["sub"].startswith("urn:uuid:")


def test_a_compromised_key_invalidates_what_it_signed_since_then_everywhere(
    app, run, client, db, make, instance, tmp_path, monkeypatch
):
    earlier = utcnow() - timedelta(hours=2)
    monkeypatch.setattr(services, "utcnow", lambda: earlier)
    before = finish_course(app, db, make.user("before@example.org"))
    monkeypatch.setattr(services, "utcnow", utcnow)
    after = finish_course(app, db, make.user("after@example.org"))
    since = before.issued_at + timedelta(minutes=30)
    leaked = services.issuer_of(app).site_key
    assert after.key_id == before.key_id == leaked.kid

    refused = run("certificates", "compromised-key", leaked.kid, "--since", "2026-01-01")
    assert refused.exit_code == 1 and "rotate-key" in refused.output
    assert run("certificates", "rotate-key").exit_code == 0
    services.reload_issuer(app)  # as a restarted process would
    stamp = since.strftime("%Y-%m-%dT%H:%M:%S")
    result = run("certificates", "compromised-key", f"{BASE}/keys/{leaked.kid}", "--since", stamp)
    assert result.exit_code == 0, result.output
    db.expire_all()

    # The register: revoked with the reason, pointing to a replacement signed by the new key.
    body = client.get(f"/api/v1/verify/{after.id}").json["certificate"]
    assert body["status"] == "revoked" and "someone else" in body["revoked"]["reason"]
    replacement = db.get(Certificate, after.superseded_by_id)
    assert body["superseded_by"] and replacement.key_id != leaked.kid
    assert client.get(f"/api/v1/verify/{before.id}").json["certificate"]["status"] == "valid"
    page = client.get(f"/verify/{after.id}").get_data(as_text=True)
    assert "someone else" in page and replacement.id[:4] in page.replace("-", "")
    # The status list, for any Open Badges verifier.
    assert status_bit(client, after.credential)[0] is True
    assert status_bit(client, before.credential)[0] is False
    assert status_bit(client, replacement.credential)[0] is False
    # The JWKS, for offline checks.
    assert published(client, leaked.kid)["compromised_since"] == stamp + "Z"
    keys = key_set(jwks(client))
    with pytest.raises(CredentialError, match="compromised"):
        verify_credential(after.credential, keys)
    assert verify_credential(before.credential, keys).name
    assert verify_credential(replacement.credential, keys).name
    # The offline check of the PDF, with the published JWKS.
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(jwks(client)))
    for certificate, status in ((after, 1), (before, 0)):
        pdf = tmp_path / f"{certificate.id}.pdf"
        with app.app_context():
            pdf.write_bytes(certificate_pdf(certificate, catalogue(), BASE, "A4"))
        checked = run("certificates", "verify", str(pdf), "--jwks", str(jwks_file))
        assert checked.exit_code == status, checked.output
        assert ("reported compromised" in checked.output) == (status == 1)

    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "signing_key.compromised"))
    assert event.target_id == leaked.kid and len(event.detail["reissued"]) == 1


def test_marking_refuses_unknown_keys_and_future_times(app, run, db, make, instance):
    finish_course(app, db, make.user())
    assert run("certificates", "compromised-key", "nope", "--since", "2026-01-01").exit_code == 1
    assert run("certificates", "rotate-key").exit_code == 0
    services.reload_issuer(app)
    kid = db.scalar(select(Certificate.key_id))
    future = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%d")
    result = run("certificates", "compromised-key", kid, "--since", future)
    assert result.exit_code == 1 and "future" in result.output


def test_a_key_given_as_pem_text_is_not_reloaded_behind_the_operators_back(app, monkeypatch):
    monkeypatch.setitem(app.extensions, services.EXTENSION_KEY, services.issuer_of(app))
    monkeypatch.setenv("TRAINER_SIGNING_KEY", app.config["SIGNING_KEY_PEM"])
    assert services.reload_issuer(app) is services.issuer_of(app)
