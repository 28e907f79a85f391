"""Done when: nine learners, a fresh install and one with approvals, exactly the rules listed.

Each certificate, the verify page, ``GET /api/v1/verify/{id}`` and the signed
credential list exactly the rules expected, and nothing else.
"""

from __future__ import annotations

import json

import pytest

from tests.progress import approve, finish_and_issue, place
from trainer.certificates.credential import credential_payload
from trainer.certificates.ids import format_certificate_id
from trainer.content.catalogue import catalogue

ALL_RULES = (
    "us-fl-456-0341",
    "us-fl-464-013-nurses",
    "us-mi-licensee-training",
    "us-tx-cosmetology-83-25",
    "us-tx-hhsc-116",
    "us-tx-nurses-216-3",
    "us-tx-physicians-156-060",
)

# (who, profession, region, licence type, course, rules with approvals recorded)
PERSONAS = [
    ("fl-cosmetologist", "licensed", "US-FL", "cosmetologist", "licensed", set()),
    ("fl-nurse", "licensed", "US-FL", "nurse", "licensed", set()),  # 2 hours: no course meets it
    ("tx-nurse", "health", "US-TX", "nurse", "health", {"us-tx-nurses-216-3"}),
    ("tx-physician", "health", "US-TX", "physician", "health", {"us-tx-physicians-156-060"}),
    ("mi-cosmetologist", "licensed", "US-MI", "cosmetologist", "licensed", set()),
    ("mi-nurse", "health", "US-MI", "nurse", "health", {"us-mi-licensee-training"}),
    (
        "mi-social-worker",
        "licensed",
        "US-MI",
        "social-worker",
        "licensed",
        {"us-mi-licensee-training"},
    ),
    ("on-nurse", "health", "CA-ON", "nurse", "health", set()),
    ("ke-police", "police", "KE-110", None, "police", set()),
]


def _approve_everything(app, db):
    for slug in ALL_RULES:
        category = "health-organisation" if slug == "us-mi-licensee-training" else ""
        approve(app, db, slug, category, number=f"N-{slug}", body=f"Body for {slug}")


def _listed(client, app, certificate, verifier_headers):
    """The rule slugs each channel lists, and the titles the verify page shows."""
    cert_id = format_certificate_id(certificate.id)
    api = client.get(f"/api/v1/verify/{cert_id}").json["certificate"]
    batch = client.post(
        "/api/v1/verifications", headers=verifier_headers, json={"ids": [cert_id]}
    ).json["results"][0]["certificate"]
    page = client.get(f"/verify/{cert_id}").get_data(as_text=True)
    with app.app_context():
        titles = {slug: rule.title for slug, rule in catalogue().requirement_sets.items()}
    credential_rules = {
        a["targetCode"] for a in _alignments(credential_payload(certificate.credential))
    }
    on_page = {slug for slug, title in titles.items() if title in page}
    return (
        {r["slug"] for r in certificate.requirements},
        {r["slug"] for r in api["requirements"]},
        {r["slug"] for r in batch["requirements"]},
        on_page,
        credential_rules,
    )


def _alignments(claims):
    """Every ``alignment`` entry in the credential, wherever its format nests it."""
    if isinstance(claims, dict):
        found = (
            list(claims.get("alignment", [])) if isinstance(claims.get("alignment"), list) else []
        )
        for key, value in claims.items():
            if key != "alignment":
                found += _alignments(value)
        return found
    if isinstance(claims, list):
        return [a for item in claims for a in _alignments(item)]
    return []


@pytest.mark.parametrize("approvals", [False, True], ids=["fresh-install", "with-approvals"])
@pytest.mark.parametrize(("who", "profession", "region", "licence", "course", "expected"), PERSONAS)
def test_each_learner_gets_exactly_their_rules(
    app, client, make, db, approvals, who, profession, region, licence, course, expected
):
    if approvals:
        _approve_everything(app, db)
    learner = place(db, make.user(f"{who}@example.org", profession=profession), region, licence)
    with app.test_request_context():
        certificate = finish_and_issue(app, db, learner, catalogue().courses[course])
    wanted = expected if approvals else set()
    verifier = make.api_headers(make.user(f"board-{who}@example.org", role="verifier"))
    for channel in _listed(client, app, certificate, verifier):
        assert channel == wanted, (who, channel)
    if wanted:
        record = certificate.requirements[0]
        assert record["approval"] == {
            "number": f"N-{record['slug']}",
            "body": f"Body for {record['slug']}",
        }
    else:
        assert "None of the licensing rules" in client.get(
            f"/verify/{format_certificate_id(certificate.id)}"
        ).get_data(as_text=True)
    assert "example" not in json.dumps(certificate.requirements).lower()
