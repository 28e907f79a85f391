"""The Bitstring Status List encoding, checked against the specification's own rules."""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.certificates.statuslist import (
    LIST_SIZE,
    StatusListError,
    decode_list,
    encode_list,
    is_set,
    status_list_credential,
)


def test_index_zero_is_the_leftmost_bit():
    bits = decode_list(encode_list([0, 9]))
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000
    assert len(bits) * 8 == LIST_SIZE == 131_072


def test_the_encoding_is_multibase_base64url_of_gzip_without_padding():
    encoded = encode_list([5])
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == decode_list(encoded)


@given(st.sets(st.integers(min_value=0, max_value=LIST_SIZE - 1), max_size=50))
def test_exactly_the_revoked_indices_read_as_set(revoked):
    bits = decode_list(encode_list(revoked))
    probes = revoked | {0, LIST_SIZE - 1, 12345}
    assert {i for i in probes if is_set(bits, i)} == revoked


def test_a_damaged_list_is_refused_with_a_reason():
    with pytest.raises(StatusListError, match="multibase"):
        decode_list("H4sIAAAA")
    with pytest.raises(StatusListError, match="cannot be decoded"):
        decode_list("unot-gzip")


def test_the_status_list_credential_says_what_it_is():
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    credential = status_list_credential("https://t.example", 3, [7], now)
    assert credential["id"] == "https://t.example/status/revocation/3"
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["issuer"] == "https://t.example/issuer"
    assert credential["validFrom"] == "2026-12-04T12:00:00Z"
    subject = credential["credentialSubject"]
    assert subject["statusPurpose"] == "revocation" and subject["type"] == "BitstringStatusList"
    assert is_set(decode_list(subject["encodedList"]), 7)
