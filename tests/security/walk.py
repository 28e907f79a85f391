"""Walking the URL map: one request per route, method and role, with a body that passes validation.

Each request gets a fresh client (a browser of its own, or an API token), so a
route that signs out or ends sessions cannot disturb the next one. Forms carry a
valid CSRF token, so a status says what authorisation decided, not what CSRF did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD
from tests.security.conftest import STAFF_CSV, World, csv_file, page_csrf_token

#: Methods Flask answers on its own for every route.
AUTOMATIC = {"HEAD", "OPTIONS"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
REASON = "Checked by the access probes"


#: Routes that revoke API tokens: walked last, so the tokens work for everything else.
#: The reset link before the password change, which voids every outstanding link.
LAST = ("accounts.reset_password", "accounts.change_password")


def routes(app: Flask) -> list[Rule]:
    """Every rule, GET-only ones first, so that forms posted later cannot hide a page."""
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    return sorted(
        rules,
        key=lambda r: (
            bool(r.methods & STATE_CHANGING),
            LAST.index(r.endpoint) + 1 if r.endpoint in LAST else 0,
        ),
    )


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - AUTOMATIC)


def is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def _profile(**extra: str) -> dict[str, str]:
    profile = {"full_name": "Probe Person", "profession": "health", "country": "US"}
    return {**profile, "region": "US-MI", "licence_type": "none", **extra}


def _new_password() -> dict[str, str]:
    return {"password": PASSWORD, "confirm": PASSWORD}


# What each state-changing route is sent: enough to pass its validation, so that
# the roles allowed through get the route's success status.
FORMS: dict[str, Callable[[World], dict[str, Any]]] = {
    "accounts.account": lambda w: _profile(),
    "accounts.change_password": lambda w: {"current_password": PASSWORD, **_new_password()},
    "accounts.create_token": lambda w: {"name": "probe", "scope": "read", "days": "7"},
    "accounts.login": lambda w: {"email": "learner@moi.example", "password": PASSWORD},
    "i18n.choose_language": lambda w: {"locale": "en"},
    "accounts.register": lambda w: {
        "email": "newcomer@example.org",
        **_new_password(),
        **_profile(full_name="New Comer"),
    },
    "accounts.request_password_reset": lambda w: {"email": "learner@moi.example"},
    "accounts.reset_password": lambda w: _new_password(),
    "licensing.add": lambda w: {"rule": "us-tx-hhsc-116", "number": "HT-2", "body": "HHSC"},
    "manage_certificates.admin_reissue": lambda w: {"reissue-reason": REASON},
    "manage_certificates.admin_revoke": lambda w: {
        "revoke-reason": REASON,
        "revoke-confirm": "yes",
    },
    "manage_certificates.batch": lambda w: {
        "file": csv_file(f"id\n{w.cert_id}\n".encode(), "ids.csv")
    },
    "orgs.assignments": lambda w: {"curriculum": "police-default", "due": "2099-01-31"},
    "orgs.confirm_enrolment": lambda w: {"upload": w.upload.id},
    "orgs.enrolments": lambda w: {"file": csv_file(STAFF_CSV, "staff.csv")},
    "orgs.member_scope": lambda w: {"unit": str(w.unit.id)},
    "orgs.member_unit": lambda w: {"move-unit": str(w.unit.id)},
    "orgs.move_unit": lambda w: {"move-parent": str(w.other_unit.id)},
    "orgs.rename_unit": lambda w: {"rename-name": "North Region", "rename-kind": "region"},
    "orgs.units": lambda w: {"name": "East", "kind": "region", "parent": ""},
}

API_BODIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "api.assign": lambda w: {"json": {"curriculum": "police-default", "due": "2099-01-31"}},
    "api.create_unit": lambda w: {"json": {"name": "West", "kind": "region"}},
    "api.update_unit": lambda w: {"json": {"name": w.unit.name, "kind": "region"}},
    "api.update_member": lambda w: {"json": {"unit": w.unit.id}},
    "api.grant_member_attempts": lambda w: {"json": {"course": "police", "attempts": 1}},
    "api.update_assignment": lambda w: {"json": {"due": "2099-02-28"}},
    "api.create_token": lambda w: {"json": {"email": "learner@moi.example", "password": PASSWORD}},
    "api.enrol": lambda w: {"data": STAFF_CSV, "content_type": "text/csv"},
    "api.save_answers": lambda w: {"json": {"answers": {}}},
    "api.submit_attempt": lambda w: {"json": {"answers": {}}},
    "api.verifications": lambda w: {"json": {"ids": [w.cert_id]}},
}

#: URL values that differ from the world's defaults for one route.
PARAMS: dict[str, Callable[[World], dict[str, Any]]] = {
    # Setting an admin's scope is about an org admin, not a learner.
    "orgs.member_scope": lambda w: {"user_id": w.org_admin.id},
    # Cancelling and removing destroy what they name: give them their own.
    "orgs.cancel_assignment": lambda w: {"assignment_id": w.spare_assignments[0].id},
    "api.cancel_assignment": lambda w: {"assignment_id": w.spare_assignments[1].id},
    "orgs.member_remove": lambda w: {"user_id": w.users["other_learner"].id},
    "static": lambda w: {"filename": "css/trainer.css"},
}


@dataclass(frozen=True)
class Outcome:
    endpoint: str
    method: str
    path: str
    role: str
    status: int | str  # "login" for a redirect to the sign-in page

    def describe(self) -> str:
        return f"{self.method} {self.path} ({self.endpoint}) as {self.role}"


def path_for(world: World, rule: Rule, values: dict[str, Any] | None = None) -> str:
    chosen = PARAMS[rule.endpoint](world) if rule.endpoint in PARAMS else {}
    values = {**world.url_values(), **chosen, **(values or {})}
    unknown = set(rule.arguments) - set(values)
    assert not unknown, (
        f"{rule.rule}: the probes cannot fill the URL parameter(s) {sorted(unknown)}. "
        "Add a real object for each to World.url_values() in tests/security/conftest.py."
    )
    return rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


def observed(response: TestResponse) -> int | str:
    """The status; ``"login"`` for Flask-Login sending an anonymous visitor to sign in.

    That redirect always carries ``next``; a form that succeeds and then shows the
    sign-in page (a password reset) does not, and counts as a plain 302.
    """
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/login?next="):
        return "login"
    return response.status_code


def send(
    world: World,
    rule: Rule,
    method: str,
    role: str,
    path: str,
    *,
    query: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
) -> TestResponse:
    """One request as ``role``: a browser for pages, an API token for ``/api/``.

    ``query`` goes into the query string; ``form`` adds fields to a page's form.
    """
    response = _open(world, rule, method, role, path, query or {}, form or {})
    response.get_data()  # read it all, then close files that were sent (static, media)
    response.close()
    return response


def _open(
    world: World,
    rule: Rule,
    method: str,
    role: str,
    path: str,
    query: dict[str, str],
    form: dict[str, Any],
) -> TestResponse:
    if is_api(rule):
        client = world.app.test_client()
        kwargs = API_BODIES.get(rule.endpoint, lambda w: {})(world) if method != "GET" else {}
        headers = world.api_headers(role)
        return client.open(path, method=method, headers=headers, query_string=query, **kwargs)
    client = world.browser(role)
    if method == "GET":
        return client.get(path, query_string=query)
    data = {"csrf_token": page_csrf_token(client), **FORMS.get(rule.endpoint, lambda w: {})(world)}
    return client.open(path, method=method, data={**data, **form}, query_string=query)


def walk(world: World, role: str) -> Iterator[tuple[Rule, Outcome]]:
    for rule in routes(world.app):
        path = path_for(world, rule)
        for method in methods(rule):
            response = send(world, rule, method, role, path)
            yield rule, Outcome(rule.endpoint, method, path, role, observed(response))
