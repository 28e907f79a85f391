"""E-mail addresses that imitate others: mixed alphabets, look-alike letter forms, and IDNA.

"admin@example.org" with a Cyrillic "a" (U+0430) is a different mailbox from
"admin@example.org", and looks the same on every page and in every list an
admin reads. So an address is refused when its local part, or any label of its
domain, mixes letters of different scripts, following the "highly restrictive"
level of Unicode's UTS #39 (section 5.2): one script, or Latin with Han and
Japanese kana, with Han and Bopomofo, or with Han and Hangul, which is how
Japanese, Chinese and Korean are written. Addresses written wholly in another
script ("пример@почта.рф") are fine. Compatibility forms that stand for other
letters (full-width U+FF41, mathematical bold U+1D41A, ligatures) are refused too.

Domains: "bücher.de" and its ASCII form "xn--bcher-kva.de" are one domain. The
address is kept with the ASCII form (IDNA 2008 with UTS #46 mapping, through
email-validator), so both spellings find one account and mail goes out without
needing the receiving server to understand Unicode domains; the Unicode form is
what is checked for mixed scripts, so punycode cannot hide a look-alike.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from trainer.text_safety import describe_character

#: Script sets that may share one word (UTS #39, "highly restrictive").
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)


def script_of(character: str) -> str | None:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A"); None otherwise."""
    if not unicodedata.category(character).startswith("L"):
        return None  # digits, dots, hyphens, marks: shared by every script
    name = unicodedata.name(character, "")
    if name.startswith(("CJK ", "IDEOGRAPHIC")):
        return "HAN"
    if name.startswith("KATAKANA-HIRAGANA"):
        return None
    return name.split(" ", 1)[0] or None


def _mixed_scripts(part: str) -> tuple[list[str], str] | None:
    """The scripts in ``part`` and the first letter of its rarest one, if the mix is refused."""
    letters: dict[str, list[str]] = {}
    for character in part:
        script = script_of(character)
        if script is not None:
            letters.setdefault(script, []).append(character)
    scripts = set(letters)
    if len(scripts) <= 1 or any(scripts <= allowed for allowed in _ALLOWED_MIXES):
        return None
    rarest = min(letters, key=lambda s: len(letters[s]))
    return sorted(s.title() for s in scripts), letters[rarest][0]


def ascii_domain(domain: str) -> str | None:
    """The domain's ASCII (A-label) form, or None when it is not a valid domain name."""
    try:
        result = validate_email(f"x@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return None
    return result.ascii_domain


def unicode_domain(domain: str) -> str:
    """The domain as people read it: ``xn--bcher-kva.de`` becomes ``bücher.de``."""
    try:
        return validate_email(f"x@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return domain


def canonical_email(email: str) -> str:
    """Trimmed, lower-case, and the domain in its ASCII form, so one mailbox has one spelling."""
    email = email.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or (domain.isascii() and "xn--" not in domain):
        return email
    return f"{local}@{ascii_domain(domain) or domain}"


def email_problem(email: str) -> str | None:
    """Why ``email`` could pass for another address, or None. Says which letter and where."""
    local, _at, domain = email.strip().rpartition("@")
    for part in (local, *unicode_domain(domain).split(".")):
        if unicodedata.normalize("NFKC", part) != part:
            odd = next(c for c in part if unicodedata.normalize("NFKC", c) != c)
            return _(
                "The email address uses %(character)s in “%(part)s”, a look-alike form of "
                "another character. Type the address with ordinary letters.",
                character=describe_character(odd),
                part=part,
            )
        mixed = _mixed_scripts(part)
        if mixed is not None:
            scripts, odd = mixed
            return _(
                "The email address mixes alphabets (%(scripts)s) in “%(part)s”: "
                "%(character)s stands among letters of another alphabet, so the address can "
                "pass for a different one. Type it again in one alphabet.",
                scripts=", ".join(scripts),
                part=part,
                character=describe_character(odd),
            )
    return None
