"""New passwords are checked against zxcvbn's breach lists and patterns, not 30 entries."""

from __future__ import annotations

import pytest

from trainer.security import password_problem

TOO_GUESSABLE = [
    "password123",  # on every breach list
    "Password123!",
    "P@ssw0rd2024!",  # l33t and a year: on no list, still found
    "qwertyuiop1",  # a keyboard walk
    "iloveyou12345",
    "trustno1trustno1",
    "abcdefghijk",  # a sequence
    "1q2w3e4r5t",
    "Michael1985!",  # a common name and a year
    "football2020",
    "amina.haddad1",  # the account's own email
]


@pytest.mark.parametrize("password", TOO_GUESSABLE)
def test_common_and_patterned_passwords_are_refused(app, password):
    with app.test_request_context():
        problem = password_problem(password, "amina.haddad@example.org", "Amina Haddad")
    assert problem is not None, password


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "a long and unusual passphrase", "vK7#pQ2!mZ9w"],
)
def test_long_or_random_passwords_pass(app, password):
    with app.test_request_context():
        assert password_problem(password, "amina.haddad@example.org", "Amina Haddad") is None


def test_the_account_name_counts_as_a_known_word(app):
    with app.test_request_context():
        assert password_problem("Haddad2024!", "x@example.org", "Amina Haddad") is not None
        assert password_problem("Haddad2024!", "x@example.org", "Bo Chen") is None
