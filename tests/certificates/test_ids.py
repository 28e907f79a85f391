"""Certificate ids: random, readable, forgiving to type, and typos caught."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.certificates.ids import (
    ALPHABET,
    InvalidCertificateId,
    _encode,
    format_certificate_id,
    new_certificate_id,
    parse_certificate_id,
)


def test_a_new_id_is_27_symbols_and_parses_back():
    cid = new_certificate_id()
    assert len(cid) == 27
    assert parse_certificate_id(cid) == cid
    assert parse_certificate_id(format_certificate_id(cid)) == cid


def test_ids_do_not_repeat():
    assert len({new_certificate_id() for _ in range(2000)}) == 2000


def test_printed_form_is_grouped_in_fours():
    grouped = format_certificate_id(new_certificate_id())
    assert [len(g) for g in grouped.split("-")] == [4, 4, 4, 4, 4, 4, 3]


def test_people_may_type_it_loosely():
    cid = _encode(0x0123456789ABCDEF0123456789ABCDEF)
    loose = " " + format_certificate_id(cid).lower().replace("-", " - ") + " "
    assert parse_certificate_id(loose) == cid
    with_letters = cid.replace("0", "O").replace("1", "I")
    assert parse_certificate_id(with_letters) == cid


@given(st.integers(min_value=0, max_value=2**128 - 1), st.data())
def test_every_single_typo_is_caught(value, data):
    cid = _encode(value)
    position = data.draw(st.integers(min_value=0, max_value=25))
    replacement = data.draw(st.sampled_from(ALPHABET))
    if replacement == cid[position] or (position == 0 and replacement not in ALPHABET[:8]):
        return
    typo = cid[:position] + replacement + cid[position + 1 :]
    with pytest.raises(InvalidCertificateId, match="typing mistake"):
        parse_certificate_id(typo)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "27 characters"),
        ("ABC", "27 characters"),
        ("Z" * 27, "not a certificate id"),
        ("0" * 26 + "#", "only digits"),
        ("<script>alert(1)</script>xx", "only digits"),
    ],
)
def test_malformed_ids_say_what_is_wrong(text, says):
    with pytest.raises(InvalidCertificateId, match=says):
        parse_certificate_id(text)
