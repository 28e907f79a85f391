"""What an API token may do: its scope, checked on every API route.

A token has one scope, chosen when it is made, among those its owner's role
allows. ``read`` reads what the role may read; ``learner`` also learns and
takes assessments; ``org_admin`` also enrols, assigns and reads reports;
``verifier`` also verifies in bulk. ``full`` (everything the role allows) is
kept for site admins and for tokens made before scopes existed.

An API endpoint missing from :data:`ENDPOINT_SCOPES` is refused to every token,
and tests/security/test_scopes.py fails until it is added: nothing is open by omission.
"""

from __future__ import annotations

SCOPES = ("read", "learner", "org_admin", "verifier")
FULL = "full"
_ANY = frozenset({*SCOPES, FULL})

#: The scopes a role may give its tokens, the default first.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    "learner": ("learner", "read"),
    "org_admin": ("org_admin", "read", "learner"),
    "verifier": ("verifier", "read", "learner"),
    "admin": (FULL, "read", "learner", "org_admin", "verifier"),
}

#: Scopes accepted by each API endpoint (``full`` is accepted everywhere).
ENDPOINT_SCOPES: dict[str, frozenset[str]] = {
    # Open to anyone, token or not; a token of any scope is fine.
    "api.create_token": _ANY,
    "api.courses": _ANY,
    # Reading a module (and starting its reading clock for time on task).
    "api.module": _ANY,
    "api.verify": _ANY,
    # Reading one's own account and learning.
    "api.me": _ANY,
    "api.my_progress": _ANY,
    "api.my_certificates": _ANY,
    "api.get_attempt": _ANY,
    # Learning and assessments.
    "api.complete_module": frozenset({"learner"}),
    "api.start_attempt": frozenset({"learner"}),
    "api.save_answers": frozenset({"learner"}),
    "api.submit_attempt": frozenset({"learner"}),
    # The organisation: reports may be read with a read token.
    "api.enrol": frozenset({"org_admin"}),
    "api.assign": frozenset({"org_admin"}),
    "api.completion_report": frozenset({"org_admin", "read"}),
    "api.completion_report_csv": frozenset({"org_admin", "read"}),
    "api.learners_report": frozenset({"org_admin", "read"}),
    "api.people_report": frozenset({"org_admin", "read"}),
    "api.people_report_csv": frozenset({"org_admin", "read"}),
    "api.learners_report_csv": frozenset({"org_admin", "read"}),
    # Managing the organisation (trainer/api/manage.py): lists may be read with a read token.
    "api.list_units": frozenset({"org_admin", "read"}),
    "api.create_unit": frozenset({"org_admin"}),
    "api.update_unit": frozenset({"org_admin"}),
    "api.delete_unit": frozenset({"org_admin"}),
    "api.list_members": frozenset({"org_admin", "read"}),
    "api.update_member": frozenset({"org_admin"}),
    "api.grant_member_attempts": frozenset({"org_admin"}),
    "api.list_assignments": frozenset({"org_admin", "read"}),
    "api.get_assignment": frozenset({"org_admin", "read"}),
    "api.update_assignment": frozenset({"org_admin"}),
    "api.cancel_assignment": frozenset({"org_admin"}),
    # The API's description.
    "api.openapi": _ANY,
    # Pages that also take a token: one's certificate (PDF, credential), the verify page.
    "certificates.pdf": _ANY,
    "certificates.credential": _ANY,
    "certificates.verify": _ANY,
    # Bulk verification.
    "api.verifications": frozenset({"verifier"}),
}


def scopes_for(role: str) -> tuple[str, ...]:
    return ROLE_SCOPES.get(role, ("read",))


def allows(scope: str, endpoint: str | None) -> bool:
    """Whether a token of ``scope`` may call ``endpoint``."""
    accepted = ENDPOINT_SCOPES.get(endpoint or "")
    if accepted is None:
        return False
    return scope == FULL or scope in accepted


def needed(endpoint: str | None) -> str:
    """The scopes that would do, in words for an error message."""
    accepted = ENDPOINT_SCOPES.get(endpoint or "", frozenset())
    return " or ".join(sorted(accepted - {FULL})) or "none"
