"""Every page type of the site, and how a person gets to it, for the accessibility checks.

Each entry names the account that signs in (an attribute of :class:`Site`, or
None) and what to do in the page: open it, or send a form with mistakes so
that its errors show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.browser.site import COURSE, Site
from trainer.certificates.ids import format_certificate_id, new_certificate_id

if TYPE_CHECKING:
    from playwright.sync_api import Page

Visit = Callable[["Page", Site], object]


@dataclass(frozen=True)
class PageType:
    name: str
    who: str | None
    visit: Visit


def goto(path: str | Callable[[Site], str]) -> Visit:
    return lambda page, site: page.goto(path(site) if callable(path) else path)


def item(kind: str) -> Visit:
    """The first question of a type in the quiz taker's attempt."""
    return goto(lambda s: f"/attempts/{s.attempt_id}/items/{s.item_numbers[kind]}")


def org(path: str) -> Visit:
    return goto(lambda s: f"/orgs/{s.ministry.slug}/{path}")


def login_with_error(page: Page, _site: Site) -> None:
    page.goto("/login")
    page.fill("#email", "nobody@example.org")
    page.fill("#password", "not the password")
    page.click("main form button[type=submit]")


def register_with_errors(page: Page, _site: Site) -> None:
    page.goto("/register")
    page.fill("#email", "not an email")
    page.fill("#password", "short")
    page.click("main form button[type=submit]")


def ordering_with_error(page: Page, site: Site) -> None:
    """Two steps given the same position: the page explains and keeps the question."""
    item(kind="ordering")(page, site)
    for select in page.locator("select[name^=position-]").all():
        select.select_option("1")
    page.click("button[name=action][value=next]")


def upload(path: str, content: str) -> Callable[[Page, Site], None]:
    def visit(page: Page, site: Site) -> None:
        page.goto(path.format(org=f"/orgs/{site.ministry.slug}"))
        file = {"name": "list.csv", "mimeType": "text/csv", "buffer": content.encode()}
        page.set_input_files("#file", files=[file])
        page.click("main form button[type=submit]")

    return visit


BAD_STAFF = (
    "email,full_name,profession,unit\n"
    "ok@moh.example,Ama Owusu,health,Capital Region\n"
    "not-an-email,,pilot,Atlantis\n"
)
GOOD_STAFF = (
    "email,full_name,profession,unit\nnew.nurse@moh.example,Efua Ansah,health,North Region\n"
)
#: Licence numbers a spreadsheet changed: the preview warns about two of them.
MANGLED_STAFF = (
    "email,full_name,profession,unit,licence_type,licence_number\n"
    "a.nurse@moh.example,Ama Nurse,health,North Region,nurse,000471\n"
    "b.nurse@moh.example,Bo Nurse,health,North Region,nurse,471\n"
    "c.nurse@moh.example,Cy Nurse,health,North Region,nurse,1.23457E+17\n"
)
#: A clerk's file: their own reference column, one id that is not a certificate id.
BATCH = "ref;id\nA1;0K7M-3QZT-OOPS\nA2;not an id\n"

PAGE_TYPES = [
    PageType("home", None, goto("/")),
    PageType("catalogue", None, goto("/courses?profession=health")),
    PageType("course", "learner", goto(f"/courses/{COURSE}")),
    PageType("module", "learner", goto("/courses/core/modules/responding-safely")),
    PageType("login with error", None, login_with_error),
    PageType("register with errors", None, register_with_errors),
    PageType("password reset request", None, goto("/account/reset")),
    PageType("page not found", None, goto("/no-such-page")),
    PageType("dashboard", "learner", goto("/dashboard")),
    PageType("certificate list", "learner", goto("/certificates")),
    PageType("account", "learner", goto("/account")),
    PageType("assessment start", "quiz_taker", goto(f"/courses/{COURSE}/assessment")),
    PageType("assessment: single choice", "quiz_taker", item("single")),
    PageType("assessment: multiple select", "quiz_taker", item("multiple")),
    PageType("assessment: classification", "quiz_taker", item("classification")),
    PageType("assessment: ordering", "quiz_taker", item("ordering")),
    PageType("assessment: ordering with error", "quiz_taker", ordering_with_error),
    PageType("assessment: branching", "quiz_taker", item("branching")),
    PageType(
        "assessment: branching under way",
        "scenario_taker",
        goto(lambda s: f"/attempts/{s.scenario_attempt_id}/items/{s.scenario_number}"),
    ),
    PageType("assessment overview", "quiz_taker", goto(lambda s: f"/attempts/{s.attempt_id}")),
    PageType(
        "submit: confirm unanswered",
        "quiz_taker",
        goto(lambda s: f"/attempts/{s.attempt_id}/confirm"),
    ),
    PageType("review", "reviewer", goto(lambda s: f"/attempts/{s.review_attempt_id}/review")),
    PageType("verify form", None, goto("/verify")),
    PageType("verify form with error", None, goto("/verify?id=0K7M-3QZT-OOPS")),
    PageType("verify: valid", None, goto(lambda s: f"/verify/{s.valid_certificate}")),
    PageType("verify: revoked", None, goto(lambda s: f"/verify/{s.revoked_certificate}")),
    PageType(
        "verify: not found",
        None,
        goto(lambda _s: f"/verify/{format_certificate_id(new_certificate_id())}"),
    ),
    PageType("batch verify", "verifier", goto("/verify/batch")),
    PageType("batch verify with error", "verifier", upload("/verify/batch", "name\nnobody\n")),
    PageType("batch verify: summary", "verifier", upload("/verify/batch", BATCH)),
    PageType("org overview", "org_admin", org("")),
    PageType("org report", "org_admin", org("reports")),
    PageType("org report: learners", "org_admin", org("reports/learners")),
    PageType("org report: by course", "org_admin", org("reports/courses")),
    PageType("org units", "org_admin", org("units")),
    PageType("org members", "org_admin", org("members")),
    PageType(
        "org member",
        "org_admin",
        goto(lambda s: f"/orgs/{s.ministry.slug}/members/{s.learner.id}"),
    ),
    PageType(
        "org member: an admin",
        "org_admin",
        goto(lambda s: f"/orgs/{s.ministry.slug}/members/{s.org_admin.id}"),
    ),
    PageType(
        "org member: confirm removal",
        "org_admin",
        goto(lambda s: f"/orgs/{s.ministry.slug}/members/{s.learner.id}/remove"),
    ),
    PageType("org assignments", "org_admin", org("assignments")),
    PageType("org quiz insight", "org_admin", org("insight")),
    PageType("org audit log", "org_admin", org("audit")),
    PageType("enrolment", "org_admin", org("enrolments")),
    PageType("enrolment with row errors", "org_admin", upload("{org}/enrolments", BAD_STAFF)),
    PageType("enrolment preview", "org_admin", upload("{org}/enrolments", GOOD_STAFF)),
    PageType(
        "enrolment preview: licence warnings",
        "org_admin",
        upload("{org}/enrolments", MANGLED_STAFF),
    ),
    PageType(
        "admin certificates",
        "admin",
        goto(lambda s: f"/admin/certificates?q={s.valid_certificate}"),
    ),
    PageType(
        "admin certificate", "admin", goto(lambda s: f"/admin/certificates/{s.valid_certificate}")
    ),
    PageType("admin accounts", "admin", goto("/admin/users")),
    PageType("admin organisations", "admin", goto("/admin/organisations")),
    PageType(
        "admin: assessment attempts",
        "admin",
        goto(lambda s: f"/admin/users/{s.reviewer.id}/attempts"),
    ),
]
