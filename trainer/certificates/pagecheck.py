"""Does the page show, visibly and uncovered, exactly what the signed credential says?

Pure: PDF bytes and the credential's claims in, a list of reasons out (empty when
the page is faithful). Each printed fact — id, name, licence number, course, version,
language, hours, dates, provider, approval, rules, verify address — is compared as
*drawn*: invisible glyphs do not count, and anything painted or written over a fact
after it, or an annotation on the page, is a reason of its own.

A page whose field tags are gone (a Ghostscript re-save drops marked content) is
checked by finding each signed fact among the visible lines instead.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pypdf import PdfReader

from trainer.certificates.credential import APPROVAL_IN_ALIGNMENT
from trainer.certificates.ids import InvalidCertificateId, parse_certificate_id
from trainer.certificates.pagedraw import Drawing, Segment, area, overlap
from trainer.certificates.pdf import format_date, format_hours
from trainer.certificates.pdfread import drawing, same_name
from trainer.content.languages import language_label

#: Share of a printed fact's area that, covered by later paint or text, hides it.
COVERED = 0.2
NO_RULES = "None of the listed rules"


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lstrip("•").split())


def _same_text(printed: str, expected: str) -> bool:
    return _plain(printed) == _plain(expected)


def _same_id(printed: str, expected: str) -> bool:
    try:
        return parse_certificate_id(printed) == parse_certificate_id(expected)
    except InvalidCertificateId:
        return False


def _same_hours(printed: str, expected: str) -> bool:
    try:
        return float(printed) == float(expected)
    except ValueError:
        return False


def _has_licence(printed: str, expected: str) -> bool:
    return f"licence no. {expected}" in _plain(printed)


@dataclass(frozen=True)
class Fact:
    """One signed fact and how the page must print it."""

    field: str  # the renderer's field tag
    label: str  # how a reason names it
    expected: str | None  # None: the page must not print this field
    same: Callable[[str, str], bool] = _same_text
    shown_as: str | None = None  # the printed form, when it differs from ``expected``


def signed_facts(credential: dict[str, Any]) -> list[Fact]:
    """What the page must show, from the credential's claims."""
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    issuer = credential["issuer"]
    names = [i for i in subject["identifier"] if i.get("identityType") == "name"]
    number = subject.get("licenseNumber")
    approvals = [i["identifier"] for i in issuer.get("otherIdentifier", [])]
    until = credential.get("validUntil")
    facts = [
        Fact("id", "certificate id", credential["id"].rsplit("/", 1)[-1], _same_id),
        Fact("name", "name", names[0]["identityHash"], same_name),
        Fact("licence", "licence number", number, _has_licence),
        Fact("course_title", "course", achievement["name"]),
        Fact("course_version", "course version", f"Version {achievement['version']}"),
        Fact("hours", "credit hours", format_hours(float(subject["creditsEarned"])), _same_hours),
        Fact("completed_on", "completion date", _day(subject["activityEndDate"])),
        Fact("issued_on", "issue date", _day(credential["validFrom"]), _same_day_anywhere),
        Fact("valid_until", "expiry date", _day(until) if until else None),
        Fact("provider_name", "provider", issuer["name"]),
        Fact("approval", "approval number", approvals[0] if approvals else None),
        Fact("verify_url", "verify address", f"Verify at {credential['id']}"),
    ]
    if achievement.get("inLanguage"):
        language = f"Language: {language_label(achievement['inLanguage'])}"
        facts.append(Fact("language", "language", language))
    return facts


def _same_day_anywhere(printed: str, expected: str) -> bool:
    """The issue moment is signed in UTC; the page may print it in the learner's time zone,
    so a date one day either side is the same moment seen from elsewhere."""
    try:
        seen = datetime.strptime(_plain(printed), "%d %B %Y").date()
        signed = datetime.strptime(_plain(expected), "%d %B %Y").date()
    except ValueError:
        return False
    return abs((seen - signed).days) <= 1


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso[:10]))


def rule_texts(credential: dict[str, Any]) -> list[set[str]]:
    """Each rule the credential says is met, as the ways the page may print it."""
    found = []
    for alignment in credential["credentialSubject"]["achievement"].get("alignment", []):
        described, name = alignment.get("targetDescription", ""), alignment["targetName"]
        # "Authority: citation; provider approval N (body)", printed as
        # "Title (citation); approval N, body" (credential._alignment_description,
        # requirements.requirement_line).
        description, _, approval = described.partition(APPROVAL_IN_ALIGNMENT)
        number, _, body = approval.removesuffix(")").partition(" (")
        relied_on = f"; approval {number}, {body}" if approval else ""
        parts = description.split(": ")
        citations = {": ".join(parts[i:]) for i in range(1, len(parts))} or {description}
        found.append({_plain(f"{name} ({citation}){relied_on}") for citation in citations})
    return found


@dataclass
class _Page:
    drawn: Drawing
    tagged: bool

    def pieces(self, field: str) -> list[Segment]:
        return [s for s in self.drawn.segments if s.field == field]

    def find(self, expected: str, same: Callable[[str, str], bool]) -> list[Segment]:
        """Visible consecutive lines (up to three) that together print ``expected``."""
        lines = [s for s in self.drawn.segments if s.text and not s.hidden]
        for start in range(len(lines)):
            for end in range(start + 1, min(start + 4, len(lines) + 1)):
                if same(" ".join(s.text for s in lines[start:end]), expected):
                    return lines[start:end]
        return []


def page_problems(pdf: bytes, credential: dict[str, Any]) -> list[str]:
    """Every way the page differs from ``credential`` or hides what it prints."""
    reader = PdfReader(io.BytesIO(pdf))
    problems = _page_level(reader)
    drawn = drawing(pdf)
    page = _Page(drawn, any(s.field for s in drawn.segments))
    shown: list[tuple[str, Segment]] = []
    for fact in signed_facts(credential):
        found, problem = _check_fact(page, fact)
        problems += problem
        shown += [(fact.label, s) for s in found]
    found, problem = _check_rules(page, credential)
    problems += problem
    shown += [("rules", s) for s in found]
    problems += _covered(drawn, shown)
    return list(dict.fromkeys(problems))


def _page_level(reader: PdfReader) -> list[str]:
    problems = []
    if len(reader.pages) != 1:
        problems.append(f"The file has {len(reader.pages)} pages; a certificate has one.")
    for annotation in reader.pages[0].get("/Annots") or []:
        annotation = annotation.get_object()
        subtype = str(annotation.get("/Subtype", "/unknown"))[1:]
        rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
        empty = area((rect[0], rect[1], rect[2], rect[3])) == 0
        if subtype == "Widget" and empty and annotation.get("/FT") == "/Sig":
            continue  # the seal's own invisible signature field
        problems.append(
            f"The page carries a {subtype} annotation, added after issue: "
            "an annotation can cover or replace what is printed."
        )
    return problems


def _check_fact(page: _Page, fact: Fact) -> tuple[list[Segment], list[str]]:
    if not page.tagged:
        if fact.expected is None:
            return [], []
        found = page.find(fact.expected, fact.same)
        if found:
            return found, []
        return [], [
            f"The signed {fact.label} ({fact.expected}) is not printed visibly on the page."
        ]
    pieces = page.pieces(fact.field)
    hidden = [f"The printed {fact.label} is {s.hidden}." for s in pieces if s.hidden]
    printed = ("\n" if fact.field == "name" else " ").join(s.text for s in pieces if s.text)
    if fact.expected is None:
        if printed and (fact.field != "licence" or "licence no." in printed):
            return pieces, [
                f"The page prints a {fact.label} ({printed}) the credential does not have."
            ]
        return pieces, hidden
    if not printed or not fact.same(printed, fact.expected):
        return pieces, [
            *hidden,
            f"The printed {fact.label} ({printed or 'none found'}) is not the signed "
            f"{fact.label} ({fact.expected}).",
        ]
    return pieces, hidden


def _check_rules(page: _Page, credential: dict[str, Any]) -> tuple[list[Segment], list[str]]:
    """The rules printed are the rules signed (the page may say "and N more")."""
    rules = rule_texts(credential)
    if not page.tagged:
        found = []
        for ways in rules or [{NO_RULES}]:
            lines = next(
                (page.find(way, _same_text) for way in ways if page.find(way, _same_text)), []
            )
            found += lines
        return found, []  # a shortened list cannot be told from an edited one without tags
    pieces = page.pieces("requirement")
    problems = [f"A printed rule is {s.hidden}." for s in pieces if s.hidden]
    printed = [_plain(s.text) for s in pieces if s.text]
    more = " ".join(s.text for s in page.pieces("requirement_more"))
    shown_more = int("".join(c for c in more if c.isdigit()) or 0)
    if not rules:
        if printed != [NO_RULES]:
            problems.append(
                f"The page prints rules met ({'; '.join(printed) or 'none found'}); "
                "the credential names none."
            )
        return pieces, problems
    unknown = [p for p in printed if not any(p in ways for ways in rules)]
    if unknown:
        problems.append(
            f"The page prints rules the credential does not name: {'; '.join(unknown)}."
        )
    elif len(set(printed)) + shown_more != len(rules):
        problems.append(
            f"The page lists {len(printed) + shown_more} rules met; "
            f"the credential names {len(rules)}."
        )
    return pieces, problems


def _covered(drawn: Drawing, shown: list[tuple[str, Segment]]) -> list[str]:
    problems = []
    for label, piece in shown:
        if piece.box is None or area(piece.box) == 0:
            continue
        share = COVERED * area(piece.box)
        for paint in drawn.paints:
            if paint.order > piece.order and overlap(piece.box, paint.box) > share:
                problems.append(f"Something is painted over the printed {label}: {paint.what}.")
        for other in drawn.segments:
            if (
                other is not piece
                and other.order > piece.order
                and other.text
                and not other.hidden
                and other.box is not None
                and overlap(piece.box, other.box) > share
            ):
                problems.append(f"Other text ({other.text}) is drawn over the printed {label}.")
    return problems
