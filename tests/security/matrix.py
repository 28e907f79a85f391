"""Who gets what: the expected status of every route, method and role.

One line per endpoint. A route without a line here fails tests/security/test_matrix.py,
which names it and says what to add. Columns, in order: anonymous, learner (owns the
certificate, the attempt, the token), other learner (same unit, owns none of it), org
admin of another organisation, verifier, site admin.

``"login"`` is a redirect to the sign-in page (``/login?next=...``). 404 rather than
403 wherever a 403 would confirm that someone else's thing exists.
"""

from __future__ import annotations

from typing import NamedTuple

Status = int | str


class Expect(NamedTuple):
    anonymous: Status
    learner: Status
    other_learner: Status
    foreign_admin: Status
    verifier: Status
    admin: Status


def everyone(status: Status) -> Expect:
    """Public: the same answer whoever asks."""
    return Expect(status, status, status, status, status, status)


def signed_in(status: Status) -> Expect:
    """Any account; anonymous visitors are sent to sign in."""
    return Expect("login", status, status, status, status, status)


def api_signed_in(status: Status) -> Expect:
    """Any API token; none answers 401."""
    return Expect(401, status, status, status, status, status)


def owner(status: Status, *, admin: Status = 404, anonymous: Status = "login") -> Expect:
    """The learner's own thing: everyone else gets 404, as if it did not exist."""
    return Expect(anonymous, status, 404, 404, 404, admin)


def api_owner(status: Status) -> Expect:
    return owner(status, anonymous=401)


def org_admins(status: Status, *, anonymous: Status = "login") -> Expect:
    """The learner's organisation: its admins and site admins. Another org's admin gets 404."""
    return Expect(anonymous, 403, 403, 404, 403, status)


def api_org_admins(status: Status) -> Expect:
    return org_admins(status, anonymous=401)


def admins(status: Status) -> Expect:
    return Expect("login", 403, 403, 403, 403, status)


def verifiers(status: Status, *, anonymous: Status = "login") -> Expect:
    return Expect(anonymous, 403, 403, 403, status, status)


def signed_out(status: Status) -> Expect:
    """Pages for signing in: a signed-in visitor is sent on to the dashboard (302)."""
    return Expect(status, 302, 302, 302, 302, 302)


EXPECTED: dict[str, dict[str, Expect]] = {
    # Public pages, files and keys.
    "learning.home": {"GET": everyone(200)},
    "learning.courses": {"GET": everyone(200)},
    "learning.course": {"GET": everyone(200)},
    "learning.module": {"GET": everyone(200)},
    # No shipped course has images yet: every name is 404, for everyone alike.
    "learning.media": {"GET": everyone(404)},
    "static": {"GET": everyone(200)},
    "certificates.jwks": {"GET": everyone(200)},
    "published.issuer": {"GET": everyone(200)},
    "published.key": {"GET": everyone(200)},
    "published.status_list": {"GET": everyone(200)},
    "seal.signing_certificate": {"GET": everyone(200)},  # the PDF seal's public certificate
    "certificates.verify_form": {"GET": everyone(200)},
    "certificates.verify": {"GET": everyone(200)},
    # Accounts.
    "accounts.register": {"GET": signed_out(200), "POST": everyone(302)},
    "accounts.login": {"GET": signed_out(200), "POST": everyone(302)},
    "i18n.choose_language": {"POST": everyone(302)},
    "accounts.logout": {"POST": signed_in(302)},
    "accounts.account": {"GET": signed_in(200), "POST": signed_in(302)},
    "accounts.change_password": {"POST": signed_in(302)},
    "accounts.end_other_sessions": {"POST": signed_in(302)},
    # Tokens are for roles whose work needs the API; a learner is not offered the form.
    "accounts.create_token": {"POST": Expect("login", 403, 403, 200, 200, 200)},
    # The code after the password: without a password step just passed, back to sign in.
    "mfa.challenge": {"GET": everyone(302), "POST": everyone(302)},
    "mfa.enrol": {"GET": signed_in(200), "POST": signed_in(400)},
    "mfa.disable": {"POST": signed_in(302)},
    "mfa.new_recovery_codes": {"POST": signed_in(302)},
    "accounts.revoke_token": {"POST": owner(302)},
    # Whoever holds the emailed link may use it; it says nothing about its owner.
    "accounts.request_password_reset": {"GET": everyone(200), "POST": everyone(302)},
    "accounts.reset_password": {"GET": everyone(200), "POST": everyone(302)},
    # Learning and assessments: any account may learn; an attempt is its owner's alone,
    # even for a site admin.
    "learning.dashboard": {"GET": signed_in(200)},
    "learning.protocol_card": {"GET": signed_in(200)},
    "learning.complete": {"POST": signed_in(302)},
    "quizzes.assessment": {"GET": signed_in(200)},
    "quizzes.start": {"POST": signed_in(302)},
    "quizzes.overview": {"GET": owner(200)},
    "quizzes.item": {"GET": owner(200)},
    # Not submitted yet: the review sends the learner back to the overview.
    "quizzes.review": {"GET": owner(302)},
    "quizzes.answer": {"POST": owner(302)},
    "quizzes.submit": {"POST": owner(302)},
    "quizzes.confirm_submit": {"GET": owner(200)},
    # Certificates: the owner and site admins.
    "certificates.index": {"GET": signed_in(200)},
    "certificates.pdf": {"GET": owner(200, admin=200)},
    "certificates.credential": {"GET": owner(200, admin=200, anonymous=401)},
    "manage_certificates.batch": {"GET": verifiers(200), "POST": verifiers(200)},
    # results are kept per verifier: a token nobody saved is 404 for every verifier
    "manage_certificates.batch_download": {"GET": verifiers(404)},
    "manage_certificates.admin_search": {"GET": admins(200)},
    "manage_certificates.admin_certificate": {"GET": admins(200)},
    "manage_certificates.admin_reissue": {"POST": admins(302)},
    "manage_certificates.admin_revoke": {"POST": admins(302)},
    "admin.users": {"GET": admins(200)},
    "admin.organisations": {"GET": admins(200), "POST": admins(400)},
    "admin_attempts.user_attempts": {"GET": admins(200)},
    "admin_attempts.grant": {"POST": admins(302)},
    "admin.security_events": {"GET": admins(200)},
    # The learner's own account page for site admins; a POST without an action is refused.
    "admin.user": {"GET": admins(200), "POST": admins(400)},
    "licensing.index": {"GET": admins(200)},
    "licensing.add": {"POST": admins(302)},
    "licensing.remove": {"POST": admins(302)},
    # The learner's organisation.
    "orgs.overview": {"GET": org_admins(200)},
    "orgs.units": {"GET": org_admins(200), "POST": org_admins(302)},
    "orgs.unit": {"GET": org_admins(200)},
    "orgs.rename_unit": {"POST": org_admins(302)},
    "orgs.move_unit": {"POST": org_admins(302)},
    "orgs.members": {"GET": org_admins(200)},
    "orgs.member": {"GET": org_admins(200)},
    "orgs.member_scope": {"POST": org_admins(302)},
    "orgs.enrolments": {"GET": org_admins(200), "POST": org_admins(200)},
    "orgs.confirm_enrolment": {"POST": org_admins(302)},
    "orgs.assignments": {"GET": org_admins(200), "POST": org_admins(302)},
    "orgs.assignment": {"GET": org_admins(200)},
    "orgs.report": {"GET": org_admins(200)},
    "orgs.report_courses": {"GET": org_admins(200)},
    "orgs.people_export": {"GET": org_admins(200)},
    "orgs.enrolment_template": {"GET": org_admins(200)},
    "orgs.report_learners": {"GET": org_admins(200)},
    "orgs.completion_export": {"GET": org_admins(200)},
    "orgs.learners_export": {"GET": org_admins(200)},
    "orgs.insight": {"GET": org_admins(200)},
    "orgs.audit": {"GET": org_admins(200)},
    # Referral directories: a POST without its fields is refused (400).
    "orgs.referrals": {"GET": org_admins(200), "POST": org_admins(400)},
    "orgs.add_referral_contact": {"POST": org_admins(400)},
    "orgs.set_referral_protocol": {"POST": org_admins(400)},
    "orgs.remove_referral_contact": {"POST": org_admins(400)},
    # An empty unit means the whole organisation: reviewing it (nothing yet) succeeds.
    "orgs.review_referrals": {"POST": org_admins(302)},
    "orgs.assignment_due": {"POST": org_admins(302)},
    "orgs.cancel_assignment": {"GET": org_admins(200), "POST": org_admins(302)},
    "orgs.delete_unit": {"POST": org_admins(302)},
    "orgs.member_unit": {"POST": org_admins(302)},
    "orgs.member_active": {"POST": org_admins(302)},
    "orgs.member_remove": {"GET": org_admins(200), "POST": org_admins(302)},
    "orgs.member_attempts": {"POST": org_admins(302)},
    # JSON API v1: bearer tokens only.
    "api.create_token": {"POST": everyone(201)},
    "api.me": {"GET": api_signed_in(200)},
    "api.courses": {"GET": everyone(200)},
    # Learning by API needs a token of scope "learner": the org admin's and the
    # verifier's probe tokens carry their role's own scope (trainer.accounts.scopes).
    "api.complete_module": {"POST": Expect(401, 201, 201, 403, 403, 201)},
    "api.my_progress": {"GET": api_signed_in(200)},
    "api.module": {"GET": api_signed_in(200)},
    "api.my_certificates": {"GET": api_signed_in(200)},
    # The learner has just submitted through the API: the cool-down answers 409.
    "api.start_attempt": {"POST": Expect(401, 409, 201, 403, 403, 201)},
    "api.get_attempt": {"GET": api_owner(200)},
    "api.save_answers": {"PUT": Expect(401, 200, 404, 403, 403, 404)},
    "api.submit_attempt": {"POST": Expect(401, 200, 404, 403, 403, 404)},
    "api.verify": {"GET": everyone(200)},
    "api.verifications": {"POST": verifiers(200, anonymous=401)},
    "api.enrol": {"POST": api_org_admins(200)},
    "api.assign": {"POST": api_org_admins(201)},
    "api.completion_report": {"GET": api_org_admins(200)},
    "api.people_report": {"GET": api_org_admins(200)},
    "api.people_report_csv": {"GET": api_org_admins(200)},
    "api.completion_report_csv": {"GET": api_org_admins(200)},
    "api.learners_report": {"GET": api_org_admins(200)},
    "api.learners_report_csv": {"GET": api_org_admins(200)},
    "api.list_units": {"GET": api_org_admins(200)},
    "api.create_unit": {"POST": api_org_admins(201)},
    "api.update_unit": {"PATCH": api_org_admins(200)},
    "api.delete_unit": {"DELETE": api_org_admins(409)},  # the probed unit has members
    "api.list_members": {"GET": api_org_admins(200)},
    "api.update_member": {"PATCH": api_org_admins(200)},
    "api.grant_member_attempts": {"POST": api_org_admins(201)},
    "api.list_assignments": {"GET": api_org_admins(200)},
    "api.get_assignment": {"GET": api_org_admins(200)},
    "api.update_assignment": {"PATCH": api_org_admins(200)},
    "api.cancel_assignment": {"DELETE": api_org_admins(204)},
    "api.openapi": {"GET": everyone(200)},
}
