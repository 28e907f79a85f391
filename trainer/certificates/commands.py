"""``trainer certificates …``: verify a PDF offline, issue, revoke, rotate the signing key."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime
from pathlib import Path

import click
from cryptography import x509
from flask import current_app
from joserfc.jwk import KeySet
from sqlalchemy import select

from trainer import db
from trainer.certificates import lifecycle, services
from trainer.certificates.ids import (
    InvalidCertificateId,
    format_certificate_id,
    parse_certificate_id,
)
from trainer.certificates.keyring import RetiredSigningKey
from trainer.certificates.keys import (
    SigningKeyError,
    iso_utc,
    key_set,
    load_site_key,
    new_site_key,
)
from trainer.certificates.offline import (
    INVALID,
    RESAVED,
    PdfCheck,
    check_certificate_pdf,
    load_anchors,
    load_jwks,
)
from trainer.certificates.seal import installation_certificates, signer_of
from trainer.certificates.verification import find_certificate
from trainer.cli import fail, main, with_app
from trainer.config import write_once
from trainer.content.catalogue import catalogue
from trainer.models import User, utcnow


@main.group()
def certificates() -> None:
    """Certificates: verify, issue, revoke, and the signing key."""


@certificates.command("verify")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--jwks",
    "jwks_source",
    help="A JWKS file or https address. Default: this installation's published keys.",
)
@click.option(
    "--pdf-cert",
    "pdf_certs",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A PEM certificate trusted to seal the PDF (the issuer's, or its CA). "
    "Default: this installation's own; a seal by a key in the JWKS is trusted too.",
)
def verify(pdf: Path, jwks_source: str | None, pdf_certs: tuple[Path, ...]) -> None:
    """Check a certificate PDF offline: its seal, credential, every printed fact, QR code.

    Exit 0 VALID; 1 INVALID (altered, forged, expired or unreadable) or RESAVED (the
    page no longer carries the issuer's seal but nothing else is wrong: the
    embedded credential is genuine, so check it online).
    """
    try:
        if jwks_source:
            keys, anchors = load_jwks(jwks_source), load_anchors(list(pdf_certs))
        else:
            keys, local = _local_keys()
            anchors = load_anchors(list(pdf_certs)) or local
    except SigningKeyError as error:
        fail(str(error))
        return
    result = check_certificate_pdf(pdf.read_bytes(), keys, anchors)
    if result.status == INVALID:
        click.echo(f"INVALID: {pdf}")
        for problem in result.problems:
            click.echo(f"  - {problem}")
        raise SystemExit(1)
    facts = result.facts
    assert facts is not None
    if result.status == RESAVED:
        _echo_resaved(pdf, result)
    else:
        click.echo(f"VALID: {pdf}")
        click.echo(f"  Sealed by {result.seal.signer}: intact, nothing added after signing.")
    click.echo(f"  Certificate {format_certificate_id(facts.certificate_id)}")
    click.echo(f"  Name:   {facts.name}")
    click.echo(f"  Course: {facts.course_title}")
    click.echo(f"  Hours:  {facts.hours:g}, completed on {facts.completed_on}")
    click.echo(f"  Issuer: {facts.issuer_name} (key {facts.kid})")
    if result.status == RESAVED:
        raise SystemExit(1)  # not proven valid; the first word says why
    click.echo(f"  Revocation cannot be seen offline: see {result.verify_url}")


def _echo_resaved(pdf: Path, result: PdfCheck) -> None:
    if result.seal.state == "absent":
        click.echo(
            f"RESAVED: {pdf} was re-saved after signing (it no longer carries the issuer's "
            "PDF signature), so the page itself cannot be vouched for."
        )
    else:
        click.echo(
            f"RESAVED: {pdf} is sealed by {result.seal.signer}, not a certificate you trust "
            "(give the issuer's with --pdf-cert), so the page itself cannot be vouched for."
        )
    click.echo(f"  The embedded credential is genuine — check online at {result.verify_url}")


@with_app
def _local_keys() -> tuple[KeySet, list[x509.Certificate]]:
    keys = key_set({"keys": services.published_keys(db.session(), _issuer().site_key)})
    signer = signer_of(current_app)
    anchors = installation_certificates(Path(current_app.instance_path))
    return keys, [*anchors, signer.chain[-1]]


def _issuer() -> services.Issuer:
    return services.issuer_of(current_app)


@certificates.command("issue")
@click.option("--email", required=True, help="The learner's account.")
@click.option("--course", "course_slug", required=True)
@click.option("--reason", required=True, help="E.g. 'In-person session, Lansing, 3 May 2026'.")
@click.option(
    "--completed-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="YYYY-MM-DD; default today.",
)
@click.option(
    "--language",
    help="The language the session was given in (a variant of the course); default its own.",
)
@with_app
def issue(
    email: str, course_slug: str, reason: str, completed_on: object, language: str | None
) -> None:
    """Record a completion done outside the platform and issue its certificate."""
    session = db.session()
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    course = catalogue().in_language(language).courses.get(course_slug)
    day = completed_on.date() if completed_on else utcnow().date()  # type: ignore[attr-defined]
    if user is None:
        fail(f"No account with the email {email}. Create it first: trainer users create.")
        return
    if course is None:
        fail(f"No course {course_slug!r}. Courses: {', '.join(catalogue().courses)}.")
        return
    if language is not None and language != course.language:
        fail(f"{course.slug} is available in {', '.join(course.languages)}, not {language!r}.")
        return
    if day > date.today():
        fail(f"--completed-on {day} is in the future.")
    if not reason.strip():
        fail("--reason must say where and how the course was completed.")
    try:
        certificate, created = services.issue_certificate(
            session,
            user,
            course,
            catalogue(),
            _issuer(),
            completed_on=day,
            source="manual",
            reason=reason.strip(),
        )
    except RetiredSigningKey as error:
        fail(str(error))
        return
    if not created:
        click.echo(
            f"{user.email} already holds certificate {format_certificate_id(certificate.id)} "
            f"for this version of {course.slug}; nothing changed."
        )
        return
    services.audit_certificate(
        session,
        "certificate.issue_manual",
        certificate,
        None,
        reason=reason.strip(),
        completed_on=day.isoformat(),
        via="cli",
        operator=getpass.getuser(),
    )
    session.commit()
    click.echo(f"Issued certificate {format_certificate_id(certificate.id)} to {user.email}.")
    click.echo(f"Verify at {_issuer().verify_url(certificate.id)}")


@certificates.command("revoke")
@click.argument("certificate_id")
@click.option("--reason", required=True, help="Shown to everyone who verifies it.")
@with_app
def revoke(certificate_id: str, reason: str) -> None:
    """Revoke a certificate; the verify page and API then say so."""
    session = db.session()
    try:
        certificate = find_certificate(session, parse_certificate_id(certificate_id), lock=True)
    except InvalidCertificateId as error:
        fail(str(error))
        return
    if certificate is None:
        fail(f"No certificate {certificate_id}.")
        return
    try:
        services.revoke_certificate(session, certificate, reason, actor=None)
    except services.CertificateError as error:
        fail(str(error))
    session.commit()
    click.echo(f"Revoked {format_certificate_id(certificate.id)}: {reason.strip()}")


@certificates.command("rotate-key")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the new private key here (needed when TRAINER_SIGNING_KEY is set).",
)
@with_app
def rotate_key(out: Path | None) -> None:
    """Make a new P-256 signing key and retire the old one; its public key stays published."""
    session = db.session()
    old = _issuer().site_key
    pem, new = new_site_key()
    managed = not os.environ.get("TRAINER_SIGNING_KEY")
    if out is None and not managed:
        fail(
            "TRAINER_SIGNING_KEY is set, so the key lives outside the instance folder: "
            "give --out FILE, then point TRAINER_SIGNING_KEY at that file."
        )
    if out is not None and out.exists():
        fail(f"{out} exists; choose a new file for the new key.")
    try:
        lifecycle.rotate(session, old, new, operator=getpass.getuser())
    except RetiredSigningKey as error:
        fail(f"{error} (It was rotated already: restart this process.)")
    session.commit()
    if managed and out is None:
        target = Path(current_app.instance_path) / "signing-key.pem"
        removed = _replace_instance_key(target, pem)
    else:
        target = out  # type: ignore[assignment]
        write_once(target, pem.encode())
        load_site_key(target.read_text())  # refuse to leave an unreadable key behind
        removed = []
    click.echo(f"New signing key {new.kid} ({new.alg}) written to {target}.")
    if managed and out is None:
        click.echo("The old private key was in that file: it is gone from the instance folder.")
    click.echo(
        f"Retired key {old.kid}: its public key stays in /.well-known/jwks.json with "
        "retired_at: what it signed until now still verifies, nothing it signs from now on does."
    )
    for path in removed:
        click.echo(f"Removed the retired private key {path} (new backups will not hold it).")
    if not managed:
        click.echo(
            "The old private key is still where TRAINER_SIGNING_KEY pointed: destroy it, "
            "and every copy, once the processes run with the new key."
        )
    click.echo("Restart every Trainer process so that they sign with the new key.")


def _replace_instance_key(target: Path, pem: str) -> list[Path]:
    """Put the new key in place of the old one, and delete retired private keys.

    The new key is written beside the old and renamed over it, so there is never
    a moment without a readable key. Older versions kept retired keys as
    ``signing-key-retired-*.pem``: those go too.
    """
    staged = target.with_name(f".{target.name}.new")
    staged.unlink(missing_ok=True)
    write_once(staged, pem.encode())
    load_site_key(staged.read_text())  # refuse to leave an unreadable key behind
    os.replace(staged, target)
    removed = []
    for archived in sorted(target.parent.glob("signing-key-retired-*.pem")):
        archived.unlink()
        removed.append(archived)
    return removed


@certificates.command("compromised-key")
@click.argument("kid")
@click.option(
    "--since",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    help="The earliest moment (UTC) the private key may have been in other hands.",
)
@with_app
def compromised_key(kid: str, since: datetime) -> None:
    """Mark a retired key compromised: what it signed since then verifies as invalid."""
    session = db.session()
    moment = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    try:
        result = lifecycle.mark_compromised(
            session, kid, moment, _issuer(), operator=getpass.getuser()
        )
    except (lifecycle.KeyLifecycleError, RetiredSigningKey) as error:
        fail(str(error))
        return
    session.commit()
    click.echo(
        f"Key {result.kid} is marked compromised since {iso_utc(result.since)}: the JWKS "
        "says so, and every check refuses what it signed from then on."
    )
    for old, new in result.replaced:
        click.echo(
            f"  {format_certificate_id(old)} revoked; re-issued as {format_certificate_id(new)} "
            "with the current key (the learner is emailed)."
        )
    for old in result.revoked:
        click.echo(f"  {format_certificate_id(old)} (already replaced) revoked.")
    if not result.replaced and not result.revoked:
        click.echo("  No certificate was issued with it since then.")
