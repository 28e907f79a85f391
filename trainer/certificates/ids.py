"""Certificate ids: 128 random bits in Crockford base32 with its mod-37 check symbol.

The id holds no personal data and cannot be guessed. It is printed in groups of
four (``4TQ9-…``) and read back forgivingly: case, hyphens and spaces are
ignored, and the letters people confuse with digits (I, L, O) are taken as the
digits they look like. A typo is caught by the check symbol before any lookup.
"""

from __future__ import annotations

import secrets

from flask_babel import gettext as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Crockford's check symbols: the alphabet plus five more for values 32 to 36.
CHECK_SYMBOLS = ALPHABET + "*~$=U"
BITS = 128
LENGTH = 26  # symbols for 128 bits (the first one carries only 3)
GROUP = 4

_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})


class InvalidCertificateId(ValueError):
    """Not a certificate id: wrong length, characters or check symbol."""


def new_certificate_id() -> str:
    """A fresh id in canonical form (27 symbols, no hyphens)."""
    return _encode(secrets.randbits(BITS))


def _encode(value: int) -> str:
    symbols = []
    for _position in range(LENGTH):
        value, digit = divmod(value, 32)
        symbols.append(ALPHABET[digit])
    body = "".join(reversed(symbols))
    return body + CHECK_SYMBOLS[_decode(body) % 37]


def _decode(body: str) -> int:
    value = 0
    for symbol in body:
        value = value * 32 + ALPHABET.index(symbol)
    return value


def parse_certificate_id(text: str) -> str:
    """The canonical form of ``text``; raises InvalidCertificateId saying what is wrong."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_ALIASES)
    if len(cleaned) != LENGTH + 1:
        raise InvalidCertificateId(
            _(
                "A certificate id has %(expected)d characters (hyphens and spaces aside); "
                "this one has %(count)d.",
                expected=LENGTH + 1,
                count=len(cleaned),
            )
        )
    body, check = cleaned[:-1], cleaned[-1]
    if any(symbol not in ALPHABET for symbol in body) or check not in CHECK_SYMBOLS:
        raise InvalidCertificateId(_("A certificate id uses only digits and the letters A to Z."))
    if body[0] not in ALPHABET[:8]:
        raise InvalidCertificateId(_("This is not a certificate id."))
    if CHECK_SYMBOLS[_decode(body) % 37] != check:
        raise InvalidCertificateId(
            _(
                "This id has a typing mistake (its last character does not match): check it "
                "against the certificate."
            )
        )
    return cleaned


def format_certificate_id(canonical: str) -> str:
    """The printed form: groups of four separated by hyphens."""
    return "-".join(canonical[i : i + GROUP] for i in range(0, len(canonical), GROUP))
