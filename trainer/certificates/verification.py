"""What a verifier is told about a certificate, one at a time or in batches.

The public answer carries the minimum to trust a certificate: status, the name
as printed, course, hours, dates, provider, the rules satisfied and a masked
licence number. Never an email address, never the PDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.certificates.ids import (
    InvalidCertificateId,
    format_certificate_id,
    parse_certificate_id,
)
from trainer.certificates.services import licence_key
from trainer.models import Certificate

BATCH_LIMIT = 1000
_QUERY_CHUNK = 500  # ids per IN (...) query, well under every database's limit


class BatchError(ValueError):
    """A batch request that cannot be answered at all; the message says what to fix."""


def mask_licence_number(number: str | None) -> str | None:
    """Enough for a board to recognise its own licensee, too little to copy: ``*****4821``."""
    if not number:
        return None
    visible = 4 if len(number) >= 8 else 2
    return "*" * (len(number) - visible) + number[-visible:]


def public_view(certificate: Certificate, today: date, base_url: str) -> dict[str, Any]:
    """The verify page and API's answer for one certificate."""
    status = certificate.status(today)
    view: dict[str, Any] = {
        "id": format_certificate_id(certificate.id),
        "status": status,
        "name": certificate.name,
        "course": {
            "slug": certificate.course_slug,
            "title": certificate.course_title,
            "version": certificate.course_version,
            "language": certificate.language,
        },
        "hours": certificate.hours,
        "content_areas": list(certificate.content_areas),
        "completed_on": certificate.completed_on.isoformat(),
        "issued_on": certificate.issued_at.date().isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "provider": {
            "name": certificate.provider_name,
            "approval": certificate.provider_approval or None,
        },
        "requirements": [_requirement_view(r, today) for r in certificate.requirements],
        "license": {
            "type": certificate.licence_type,
            "number": mask_licence_number(certificate.licence_number),
            "board": certificate.licence_board,
        }
        if certificate.licence_number
        else None,
        "verify_url": f"{base_url}/verify/{certificate.id}",
    }
    if status == "revoked" and certificate.revoked_at is not None:
        view["revoked"] = {
            "on": certificate.revoked_at.date().isoformat(),
            "reason": certificate.revocation_reason,
        }
    # A certificate revoked because its key was compromised was replaced first:
    # the verifier is pointed to the replacement either way.
    if status == "superseded" or (status == "revoked" and certificate.superseded_by_id):
        view["superseded_by"] = (
            format_certificate_id(certificate.superseded_by_id)
            if certificate.superseded_by_id
            else None
        )
    return view


def _requirement_view(record: dict[str, Any], today: date) -> dict[str, Any]:
    due = record.get("valid_until")
    return {
        "slug": record["slug"],
        "title": record["title"],
        "authority": record["authority"],
        "citation": record["citation"],
        "valid_until": due,
        "current": due is None or date.fromisoformat(due) >= today,
        # The provider approval the rule was satisfied under (None: the rule needs none).
        "approval": record.get("approval"),
    }


def find_certificate(db: Session, canonical_id: str, *, lock: bool = False) -> Certificate | None:
    """The certificate, optionally locked for update (revoking, re-issuing)."""
    return db.get(Certificate, canonical_id, with_for_update=lock or None)


@dataclass(frozen=True)
class LicenceQuery:
    number: str
    board: str


def parse_batch(body: Any) -> list[str] | list[LicenceQuery]:
    """Read ``{"ids": [...]}`` or ``{"licenses": [{"number", "board"}]}``; raise BatchError."""
    if not isinstance(body, dict) or ("ids" in body) == ("licenses" in body):
        raise BatchError(
            'Send either {"ids": ["…", …]} or {"licenses": [{"number": "…", "board": "…"}, …]}.'
        )
    items = body.get("ids", body.get("licenses"))
    if not isinstance(items, list) or not items:
        raise BatchError("The list is empty or not a list.")
    if len(items) > BATCH_LIMIT:
        raise BatchError(
            f"{len(items)} items sent; at most {BATCH_LIMIT} per call. Split the list."
        )
    if "ids" in body:
        if not all(isinstance(i, str) for i in items):
            raise BatchError("Every id must be a string.")
        return list(items)
    queries = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item[k].strip() for k in ("number", "board")
        ):
            raise BatchError(f'License {position}: give "number" and "board" as text.')
        queries.append(LicenceQuery(item["number"], item["board"]))
    return queries


def verify_ids(db: Session, ids: Sequence[str], today: date, base_url: str) -> list[dict[str, Any]]:
    """One result per id, in the order given, from a handful of queries."""
    canonical: list[str | None] = []
    errors: dict[int, str] = {}
    for position, text in enumerate(ids):
        try:
            canonical.append(parse_certificate_id(text))
        except InvalidCertificateId as error:
            canonical.append(None)
            errors[position] = str(error)
    found = {c.id: c for c in _load(db, {c for c in canonical if c})}
    results = []
    for position, (text, cid) in enumerate(zip(ids, canonical, strict=True)):
        if cid is None:
            results.append({"query": text, "status": "invalid_id", "message": errors[position]})
        elif cid not in found:
            results.append({"query": text, "status": "not_found"})
        else:
            view = public_view(found[cid], today, base_url)
            results.append({"query": text, "status": view["status"], "certificate": view})
    return results


def _load(db: Session, ids: Iterable[str]) -> list[Certificate]:
    ids = sorted(ids)
    loaded: list[Certificate] = []
    for start in range(0, len(ids), _QUERY_CHUNK):
        chunk = ids[start : start + _QUERY_CHUNK]
        loaded.extend(db.scalars(select(Certificate).where(Certificate.id.in_(chunk))))
    return loaded


def verify_licences(
    db: Session, queries: Sequence[LicenceQuery], today: date, base_url: str
) -> list[dict[str, Any]]:
    """Per licence: every certificate recorded under that number and board."""
    keys = {licence_key(q.number) for q in queries} - {None}
    by_key: dict[str, list[Certificate]] = {}
    ordered = sorted(k for k in keys if k)
    for start in range(0, len(ordered), _QUERY_CHUNK):
        chunk = ordered[start : start + _QUERY_CHUNK]
        statement = (
            select(Certificate)
            .where(Certificate.licence_key.in_(chunk))
            .order_by(Certificate.issued_at.desc())
        )
        for certificate in db.scalars(statement):
            by_key.setdefault(certificate.licence_key or "", []).append(certificate)
    results = []
    for query in queries:
        matches = [
            c
            for c in by_key.get(licence_key(query.number) or "", [])
            if _same_board(c.licence_board, query.board)
        ]
        views = [public_view(c, today, base_url) for c in matches]
        results.append(
            {
                "query": {"number": query.number, "board": query.board},
                "status": "found" if views else "not_found",
                "certificates": views,
            }
        )
    return results


def _same_board(recorded: str | None, asked: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    return recorded is not None and norm(recorded) == norm(asked)
