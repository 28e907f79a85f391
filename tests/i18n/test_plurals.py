"""Counts read right in every language: "1 credit hour", never "1 credit hours"."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from tests.i18n.test_pages import text_of
from trainer.i18n.plurals import credit_hours, plural_count

EXPECTED = {
    "en": ("1 credit hour", "1.25 credit hours", "2 credit hours"),
    "fr": ("1 heure de crédit", "1,25 heures de crédit", "2 heures de crédit"),
    "es": ("1 hora de crédito", "1,25 horas de crédito", "2 horas de crédito"),
}


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_credit_hours_take_the_right_form(app, locale):
    with app.test_request_context(), force_locale(locale):
        assert tuple(credit_hours(h) for h in (1.0, 1.25, 2)) == EXPECTED[locale]


def test_a_fraction_is_plural_and_a_whole_number_is_itself():
    assert [plural_count(v) for v in (0, 1, 1.0, 0.5, 1.25, 3.0)] == [0, 1, 1, 2, 2, 3]


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_the_course_list_never_says_1_credit_hours(client, locale):
    page = text_of(client.get("/courses", headers={"Accept-Language": locale}))
    one = EXPECTED[locale][0]
    assert one in page  # the police and media courses give 1 hour
    assert not re.search(r"\b1 (credit hours|heures de crédit|horas de crédito)", page)
