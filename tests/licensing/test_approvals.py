"""Provider approvals: deployment data, managed from the CLI and the admin page, audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.progress import approve, finish_and_issue, place
from trainer.certificates.requirements import Approval, Completion, check_requirement
from trainer.cli import main
from trainer.content.catalogue import catalogue
from trainer.content.model import RequirementSet
from trainer.models import AuditEvent, ProviderApproval


@pytest.fixture
def run(app, db):
    def run(*args: str):
        return CliRunner().invoke(main, list(args), obj=app)

    return run


def test_a_fresh_install_holds_no_approvals(run, db):
    assert db.scalars(select(ProviderApproval)).all() == []
    assert "No approvals recorded" in run("approvals", "list").output


def test_the_cli_adds_lists_and_removes_and_each_change_is_audited(run, db):
    added = run(
        "approvals", "add", "--rule", "us-tx-hhsc-116", "--number", "HT-2026-017",
        "--body", "Texas HHSC", "--valid-from", "2026-01-01", "--valid-until", "2027-12-31",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = run("approvals", "list").output
    assert "us-tx-hhsc-116\tHT-2026-017\tTexas HHSC\t2026-01-01 to 2027-12-31\tany course" in listed
    approval_id = db.scalar(select(ProviderApproval.id))
    assert run("approvals", "remove", str(approval_id)).exit_code == 0
    assert db.scalars(select(ProviderApproval)).all() == []
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["approval.add", "approval.remove"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "nope"], "No requirement set 'nope'"),
        (["--rule", "us-tx-hhsc-116", "--valid-from", "2027-01-01", "--valid-until", "2026-01-01"],
         "ends before it starts"),
        (["--rule", "us-mi-licensee-training", "--category", "ce-vendor"],
         "accepts only these provider categories"),
        (["--rule", "us-tx-hhsc-116", "--valid-from", "soon"], "write YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_the_cli_says_what_to_fix(run, db, args, message):
    result = run("approvals", "add", "--number", "1", "--body", "B", *args)
    assert result.exit_code != 0 and message in result.output
    assert db.scalars(select(ProviderApproval)).all() == []


def test_an_approval_counts_only_on_the_days_it_is_valid():
    day = date(2026, 6, 1)
    completion = Completion(
        frozenset({"health"}), 1.25, frozenset({"sex-trafficking"}), "nurse",
        completed_on=day, region="US-XX", personal=True,
    )  # fmt: skip
    rule = RequirementSet(
        "x", "X", "A", "US-XX", "c", ("health",), 1, ("sex-trafficking",), licence_types=("nurse",)
    )
    valid = Approval("x", "N1", "Board", valid_from=day - timedelta(days=1), valid_until=day)
    lapsed = Approval("x", "N0", "Board", valid_until=day - timedelta(days=1))
    other = Approval("y", "N2", "Board")
    assert check_requirement(rule, completion, [valid]).satisfied
    assert check_requirement(rule, completion, [lapsed, other]).aligned
    assert not check_requirement(rule, completion, [lapsed, other]).satisfied
    assert "not an approved provider" in check_requirement(rule, completion).missing()


def test_a_lapsed_approval_is_not_printed_as_satisfied(app, make, db):
    approve(app, db, "us-mi-licensee-training", "health-organisation",
            valid_until=date.today() - timedelta(days=1))  # fmt: skip
    nurse = place(db, make.user(), "US-MI", "nurse")
    with app.test_request_context():
        certificate = finish_and_issue(app, db, nurse, catalogue().courses["health"])
    assert certificate.requirements == []


def test_the_admin_page_records_and_removes_with_csrf_and_audit(app, client, make, auth, db):
    make.user("admin@example.org", role="admin")
    auth.login("admin@example.org")
    token = csrf_token(client, "/admin/approvals")
    assert client.post("/admin/approvals", data={"rule": "us-tx-hhsc-116"}).status_code == 400
    response = client.post(
        "/admin/approvals",
        data={
            "csrf_token": token, "rule": "us-tx-hhsc-116", "number": "HT-1",
            "body": "Texas HHSC", "category": "", "valid_from": "", "valid_until": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/admin/approvals").get_data(as_text=True)
    assert "HT-1" in page and "Texas HHSC" in page
    row = db.scalar(select(ProviderApproval))
    bad = client.post(
        "/admin/approvals",
        data={"csrf_token": token, "rule": "us-mi-licensee-training", "number": "M-1",
              "body": "LARA", "category": "vendor"},
    )  # fmt: skip
    assert bad.status_code == 400 and "accepts only these provider categories" in bad.get_data(
        as_text=True
    )
    assert client.post(f"/admin/approvals/{row.id}/remove").status_code == 400  # no CSRF
    removed = client.post(f"/admin/approvals/{row.id}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    assert db.scalars(select(ProviderApproval)).all() == []
    events = db.scalars(select(AuditEvent).where(AuditEvent.action.like("approval.%"))).all()
    assert [(e.action, e.detail["via"]) for e in events] == [
        ("approval.add", "web"),
        ("approval.remove", "web"),
    ]


def test_only_site_admins_see_the_approvals_page(client, make, auth):
    make.user("org@example.org", role="verifier")
    auth.login("org@example.org")
    assert client.get("/admin/approvals").status_code in (403, 404)


def test_an_approval_naming_a_course_counts_only_for_that_course(app, make, db):
    approve(app, db, "us-tx-cosmetology-83-25", number="TDLR-9", course_slug="licensed")
    cosmetologist = place(db, make.user(profession="licensed"), "US-TX", "cosmetologist")
    with app.test_request_context():
        core = finish_and_issue(app, db, cosmetologist, catalogue().courses["core"])
        licensed = finish_and_issue(app, db, cosmetologist, catalogue().courses["licensed"])
    assert core.requirements == []  # the core course meets the content, but is not the one approved
    assert [r["slug"] for r in licensed.requirements] == ["us-tx-cosmetology-83-25"]


def test_the_cli_refuses_an_unknown_course(run, db):
    result = run("approvals", "add", "--rule", "us-tx-hhsc-116", "--number", "1", "--body", "B",
                 "--course", "nope")  # fmt: skip
    assert result.exit_code != 0 and "No course 'nope'" in result.output
