"""The authorisation matrix: every route, method and role against tests/security/matrix.py.

The routes come from the app's URL map, so a new route is probed as soon as it
exists, and fails until its line in the table says who may use it.
"""

from __future__ import annotations

import secrets

import pytest

from tests.security.conftest import ROLES, World
from tests.security.matrix import EXPECTED
from tests.security.walk import (
    API_BODIES,
    is_api,
    methods,
    observed,
    path_for,
    routes,
    send,
    walk,
)
from trainer.certificates.ids import format_certificate_id, new_certificate_id

#: Routes that take a certificate id or a secret by design: anyone holding a real one
#: may use it, and an unknown one answers 404 or 400 (ids are 128 random bits).
LOOKUPS_BY_DESIGN = {"certificates.verify", "api.verify", "accounts.reset_password"}
#: Pages that also take an API token, so that API clients can fetch what pdf_url names.
TOKEN_PAGES = {"certificates.pdf", "certificates.credential"}


def _suggestion(endpoint: str, wanted: list[str]) -> str:
    cells = ", ".join(f'"{m}": everyone(200)' for m in wanted)
    return f'"{endpoint}": {{{cells}}}'


def test_every_route_and_method_has_a_line_in_the_table(app):
    problems = []
    for rule in routes(app):
        lines = EXPECTED.get(rule.endpoint, {})
        missing = [m for m in methods(rule) if m not in lines]
        if missing:
            problems.append(
                f"{','.join(missing)} {rule.rule} (endpoint {rule.endpoint}) has no expected "
                "statuses. Add to EXPECTED in tests/security/matrix.py a line saying what "
                f"each role gets, e.g. {_suggestion(rule.endpoint, methods(rule))}, "
                "with signed_in(), owner(), org_admins(), admins(), verifiers() or Expect(...)."
            )
    known: dict[str, set[str]] = {}
    for rule in routes(app):
        known.setdefault(rule.endpoint, set()).update(methods(rule))
    for endpoint, lines in EXPECTED.items():
        if set(lines) - known.get(endpoint, set()):
            problems.append(f"EXPECTED has {endpoint} {sorted(lines)}: the app has no such route.")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(world: World, role, monkeypatch, app):
    # Every role asks for a reset once; the limit itself is probed in test_rate_limits.py.
    monkeypatch.setitem(app.config, "PASSWORD_RESET_RATE_LIMIT", "100 per minute")
    wrong = []
    count = 0
    for _rule, outcome in walk(world, role):
        count += 1
        line = EXPECTED.get(outcome.endpoint, {}).get(outcome.method)
        if line is None:
            wrong.append(f"{outcome.describe()}: no line in tests/security/matrix.py")
            continue
        expected = getattr(line, role)
        if outcome.status != expected:
            wrong.append(f"{outcome.describe()}: expected {expected}, got {outcome.status}")
    assert count >= 80, "the walk found fewer routes than the app has"
    assert not wrong, "\n".join(wrong)


def _made_up() -> dict[str, object]:
    """Values of the same shape as the world's, naming nothing that exists."""
    return {
        "cert_id": format_certificate_id(new_certificate_id()),
        "attempt_id": secrets.token_hex(16),
        "org_slug": "no-such-organisation",
        "unit_id": 987654,
        "user_id": 987654,
        "assignment_id": 987654,
        "token_id": 987654,
    }


@pytest.mark.parametrize("role", ["other_learner", "foreign_admin", "verifier"])
def test_someone_elses_thing_answers_like_a_missing_one(world: World, role, monkeypatch, app):
    """A refusal never confirms that another learner's or organisation's thing exists."""
    monkeypatch.setitem(app.config, "PASSWORD_RESET_RATE_LIMIT", "100 per minute")
    objects = set(_made_up())
    differ = []
    for rule in routes(app):
        if rule.endpoint in LOOKUPS_BY_DESIGN or not set(rule.arguments) & objects:
            continue
        real, missing = path_for(world, rule), path_for(world, rule, _made_up())
        for method in methods(rule):
            first = send(world, rule, method, role, real).status_code
            second = send(world, rule, method, role, missing).status_code
            if first != second:
                differ.append(f"{method} {rule.rule} as {role}: {first} for a real one, "
                              f"{second} for a made-up one")  # fmt: skip
    assert not differ, "\n".join(differ)


def test_the_api_ignores_browser_cookies(world: World):
    """The API needs no CSRF token because a signed-in browser's cookie opens nothing there."""
    browser = world.browser("admin")
    wrong = []
    for rule in routes(world.app):
        if not is_api(rule):
            continue
        path = path_for(world, rule)
        for method in methods(rule):
            body = API_BODIES.get(rule.endpoint, lambda w: {})(world) if method != "GET" else {}
            status = observed(browser.open(path, method=method, **body))
            expected = EXPECTED[rule.endpoint][method].anonymous
            if status != expected:
                wrong.append(f"{method} {path} with an admin's cookie: {status}, not {expected}")
    assert not wrong, "\n".join(wrong)


def test_a_token_opens_no_page(world: World):
    """Pages go by the browser session; an API token alone is an anonymous visitor there."""
    headers = world.api_headers("admin")
    wrong = []
    for rule in routes(world.app):
        if is_api(rule) or rule.endpoint in TOKEN_PAGES or "GET" not in methods(rule):
            continue
        path = path_for(world, rule)
        response = world.app.test_client().get(path, headers=headers)
        response.close()
        expected = EXPECTED[rule.endpoint]["GET"].anonymous
        if observed(response) != expected:
            wrong.append(f"GET {path} with an admin's API token: {observed(response)}, "
                         f"not {expected}")  # fmt: skip
    assert not wrong, "\n".join(wrong)
    pdf = world.app.test_client().get(f"/certificates/{world.cert_id}.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
