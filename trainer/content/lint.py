"""``trainer content lint``: item-writing flaws that let a test-wise guesser score.

``content check`` says whether the content *works*; lint says whether the bank
*measures*. It reads the raw item files of every course and of its translations and
reports, as ``path:line: error|warning: message``:

- per item (warnings, because each is a judgement an author may overrule for a good
  reason): a key much longer than the distractors, a qualifier only the key carries,
  absolute words only distractors carry, options of very different lengths;
- per item (errors, because they are never right): internal names in learner-facing
  text (notes files, file names, item ids), an item with no content-area or indicator tag;
- per course (errors, because they make the certificate claim less than it says): the
  key is the longest option in more than :data:`MAX_LONGEST_SHARE` of single-choice
  items, a hedge in some classification stems but not all, a strategy of
  :mod:`trainer.content.guessing` that reaches the pass mark; and, as a warning, a
  classification bank whose keys skip one of its labels.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.content.guessing import (
    ABSOLUTES,
    DEFAULT_LABELS,
    HEDGES,
    hedged,
    plain_length,
    strategy_scores,
    words_in,
)
from trainer.content.reading import Source

#: A key longer than this multiple of its distractors' mean length is a cue.
KEY_LENGTH_RATIO = 1.5
#: Options whose longest is more than this multiple of the shortest differ "wildly".
SPREAD_RATIO = 3.0
#: At most this share of single-choice keys may be the longest option of their item.
MAX_LONGEST_SHARE = 0.30
#: Qualifiers test-wise learners know to favour when only the key carries one.
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "en": ("may", "might", "can", "usually", "often", "generally", "some", "possibly",
           "consider", "depending"),
    "es": ("puede", "pueden", "suele", "suelen", "a menudo", "generalmente", "algunos",
           "algunas", "posiblemente", "según"),
    "fr": ("peut", "peuvent", "souvent", "généralement", "certains", "certaines"),
}  # fmt: skip
#: Names of the project's own files and notes, which a learner must never see.
INTERNAL = re.compile(
    r"\bDOMAIN\b|\bDESIGN\.md\b|\bSTYLE\.md\b|\bcourses/|"
    r"\b[\w.-]+\.(?:md|toml|py|json|yaml|yml)\b"
)
RESERVED = {"jurisdictions", "requirements", "curricula", "translations"}
#: A content area a requirement set names needs at least this many items in a course
#: whose certificate can list that set: one item is a single point of failure.
MIN_ITEMS_PER_AREA = 3


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass
class BankReport:
    """One course in one language: its findings and its guessing figures."""

    course: str
    language: str
    pass_mark: int
    items: int = 0
    singles: int = 0
    longest_keys: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def longest_share(self) -> float:
        return self.longest_keys / self.singles if self.singles else 0.0


@dataclass
class _Item:
    raw: dict[str, Any]
    source: Source
    index: int
    shown: str

    def line(self, *path: str | int) -> int:
        return self.source.line_at(("items", self.index, *path))

    @property
    def label(self) -> str:
        return f"item {self.raw.get('id')!r}"


def lint_courses(root: Path) -> list[BankReport]:
    """Every course under ``root`` and every translation of it, in folder order."""
    reports = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in RESERVED):
        manifest = _toml(folder / "course.toml") or {}
        language = manifest.get("language", "en")
        pass_mark = int(manifest.get("pass_mark", 80))
        report = lint_bank(root, folder, folder.name, language, pass_mark)
        report.findings += _coverage_findings(root, folder, manifest)
        reports.append(report)
        for variant in sorted((folder / "translations").glob("*/")):
            reports.append(lint_bank(root, variant, folder.name, variant.name, pass_mark))
        for found in (folder, *sorted((folder / "translations").glob("*/"))):
            reports[-1].findings += _module_findings(root, found)
    return [r for r in reports if r.items or r.findings]


def lint_bank(root: Path, folder: Path, course: str, language: str, pass_mark: int) -> BankReport:
    report = BankReport(course, language, pass_mark)
    items: list[_Item] = []
    for path in sorted((folder / "items").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        data = _toml(path) or {}
        shown = _shown(root, path)
        source = Source(path, text)
        items += [_Item(raw, source, i, shown) for i, raw in enumerate(data.get("items", []))]
    ids = {str(i.raw.get("id")) for i in items}
    for item in items:
        report.findings += _item_findings(item, language, ids)
    report.items = len(items)
    report.singles = sum(1 for i in items if i.raw.get("type") == "single")
    report.longest_keys = sum(1 for i in items if _key_is_longest(i.raw))
    report.scores = strategy_scores([i.raw for i in items], language)
    report.findings += _course_findings(report, items, _shown(root, folder / "course.toml"))
    report.findings.sort()
    return report


def _shown(root: Path, path: Path) -> str:
    """A path as the author types it: from the folder holding ``courses/``."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _toml(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None  # ``trainer content check`` reports it


def _key_is_longest(raw: dict[str, Any]) -> bool:
    if raw.get("type") != "single":
        return False
    lengths = [plain_length(o.get("text", "")) for o in raw.get("options", [])]
    keys = [plain_length(o.get("text", "")) for o in raw["options"] if o.get("correct") is True]
    return bool(keys) and keys[0] == max(lengths)


# -- per item -----------------------------------------------------------------------------


def _item_findings(item: _Item, language: str, ids: set[str]) -> list[Finding]:
    found: list[Finding] = []

    def add(line: int, severity: str, message: str) -> None:
        found.append(Finding(item.shown, line, severity, f"{item.label}: {message}"))

    raw = item.raw
    if not raw.get("content_areas") and not raw.get("indicators"):
        add(item.line("id"), "error", "no content-area or indicator tag: tag what it tests")
    for where, text in _learner_texts(raw):
        for name in _internal_names(text, ids):
            add(item.line(*where), "error", f"learner-facing text names {name!r}, an internal name")
    if raw.get("type") in ("single", "multiple"):
        for line, message in _option_flaws(raw.get("options", []), language):
            add(item.line("options", line, "id"), "warning", message)
    return found


def _learner_texts(raw: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text the learner reads, with its place in the item."""
    texts: list[tuple[tuple[str | int, ...], str]] = [
        (("stem",), raw.get("stem", "")),
        (("explanation",), raw.get("explanation", "")),
    ]
    for key in ("options", "steps"):
        for n, entry in enumerate(raw.get(key, [])):
            texts += [
                ((key, n, "text"), entry.get("text", "")),
                ((key, n, "feedback"), entry.get("feedback", "")),
            ]
    feedback = raw.get("feedback")
    if isinstance(feedback, dict):
        texts += [(("feedback", label), str(text)) for label, text in feedback.items()]
    for n, node in enumerate(raw.get("nodes", [])):
        texts.append((("nodes", n, "text"), node.get("text", "")))
        for c, choice in enumerate(node.get("choices", [])):
            for key in ("text", "feedback"):
                texts.append((("nodes", n, "choices", c, key), choice.get(key, "")))
    return texts


def _internal_names(text: str, ids: set[str]) -> list[str]:
    text = re.sub(r"\]\([^)]*\)|https?://\S+", "", str(text))  # link targets are not read
    names = [m.group(0) for m in INTERNAL.finditer(text)]
    names += [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    return names


def _option_flaws(options: list[dict[str, Any]], language: str) -> list[tuple[int, str]]:
    keys = [(n, o) for n, o in enumerate(options) if o.get("correct") is True]
    wrong = [o for o in options if o.get("correct") is not True]
    if not keys or not wrong:
        return []
    lengths = [plain_length(o.get("text", "")) for o in options]
    key_mean = sum(plain_length(o["text"]) for _, o in keys) / len(keys)
    wrong_mean = sum(plain_length(o.get("text", "")) for o in wrong) / len(wrong)
    first = keys[0][0]
    flaws = []
    if wrong_mean and key_mean > KEY_LENGTH_RATIO * wrong_mean:
        ratio = key_mean / wrong_mean
        message = f"the key is {ratio:.1f} times the distractors' mean length"
        flaws.append((first, f"{message} (limit {KEY_LENGTH_RATIO}): shorten it or lengthen them"))
    if min(lengths) and max(lengths) > SPREAD_RATIO * min(lengths):
        message = f"options run from {min(lengths)} to {max(lengths)} characters"
        flaws.append((lengths.index(max(lengths)), f"{message}: make them alike"))
    absolutes = ABSOLUTES.get(language, ())
    key_words = {w for _, o in keys for w in words_in(o["text"], absolutes)}
    for n, option in enumerate(options):
        if option in wrong and (extra := set(words_in(option["text"], absolutes)) - key_words):
            flaws.append((n, f"absolute word(s) {sorted(extra)} only in a distractor: a cue"))
    qualifiers = QUALIFIERS.get(language, ())
    wrong_words = {w for o in wrong for w in words_in(o.get("text", ""), qualifiers)}
    for n, option in keys:
        if extra := set(words_in(option["text"], qualifiers)) - wrong_words:
            flaws.append((n, f"qualifier(s) {sorted(extra)} only in the key: a cue to pick it"))
    return flaws


# -- per course ---------------------------------------------------------------------------


def _course_findings(report: BankReport, items: list[_Item], where: str) -> list[Finding]:
    found: list[Finding] = []
    if report.singles and report.longest_share > MAX_LONGEST_SHARE:
        message = (
            f"the key is the longest option in {report.longest_keys} of {report.singles} "
            f"single-choice items ({report.longest_share:.0%}; at most {MAX_LONGEST_SHARE:.0%})"
        )
        found.append(Finding(where, 1, "error", message))
    for name in _passing_strategies(report):
        score = report.scores[name]
        message = (
            f"guessing '{name}' scores {score:.0%}, reaching the pass mark {report.pass_mark}%"
        )
        found.append(Finding(where, 1, "error", message))
    classified = [i for i in items if i.raw.get("type") == "classification"]
    hedges = HEDGES.get(report.language, ())
    marked = [i for i in classified if hedged(i.raw, report.language)]
    if marked and len(marked) < len(classified):
        for item in marked:
            words = words_in(item.raw.get("stem", ""), hedges)
            message = (
                f"{item.label}: hedge {words} in {len(marked)} of {len(classified)} classification "
                "stems: a cue for 'not enough information'; hedge every stem or none"
            )
            found.append(Finding(item.shown, item.line("stem"), "error", message))
    default = [i for i in classified if not i.raw.get("labels")]
    if len(default) >= len(DEFAULT_LABELS):
        keyed = {i.raw.get("answer") for i in default}
        missing = [label for label in DEFAULT_LABELS if label not in keyed]
        if missing:
            message = f"no classification item is keyed {missing}: every label should be a key"
            found.append(Finding(default[0].shown, default[0].line("id"), "warning", message))
    return found


def _module_findings(root: Path, folder: Path) -> list[Finding]:
    """Internal names in a module's text, line by line (link targets are not read)."""
    found = []
    for path in sorted((folder / "modules").glob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name in _internal_names(line, set()):
                message = f"learner-facing text names {name!r}, an internal name"
                found.append(Finding(_shown(root, path), number, "error", message))
    return found


def _coverage_findings(root: Path, folder: Path, manifest: dict[str, Any]) -> list[Finding]:
    """Each area of a requirement set the course's certificate can list, tested by enough items.

    A set can be listed when it names one of the course's professions, the modules teach
    every area it names and the course claims its hours (as the certificate checks).
    """
    taught: set[str] = set()
    for module in sorted((folder / "modules").glob("*.md")):
        parts = module.read_text(encoding="utf-8").split("+++")
        front = _toml_text(parts[1]) if len(parts) > 2 else None
        taught.update((front or {}).get("content_areas", []))
    tested: dict[str, int] = {}
    for path in sorted((folder / "items").glob("*.toml")):
        for raw in (_toml(path) or {}).get("items", []):
            for area in raw.get("content_areas", []):
                tested[area] = tested.get(area, 0) + 1
    if not tested:
        return []
    found = []
    for path in sorted((root / "requirements").glob("*.toml")):
        rule = _toml(path) or {}
        areas = rule.get("content_areas", [])
        applies = set(rule.get("professions", [])) & set(manifest.get("professions", []))
        hours = float(manifest.get("credit_hours", 0)) >= float(rule.get("min_hours", 0))
        if not (applies and hours and areas and set(areas) <= taught):
            continue
        for area in areas:
            if tested.get(area, 0) < MIN_ITEMS_PER_AREA:
                message = (
                    f"{rule.get('slug')} names {area!r}, which {tested.get(area, 0)} item(s) "
                    f"test; write at least {MIN_ITEMS_PER_AREA}"
                )
                found.append(Finding(_shown(root, folder / "course.toml"), 1, "error", message))
    return found


def _toml_text(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def summary_lines(report: BankReport) -> list[str]:
    """The per-course block printed after the findings."""
    lines = [
        f"{report.course} ({report.language}): {report.items} items, pass mark {report.pass_mark}%",
        f"  key is the longest option: {report.longest_keys} of {report.singles} single-choice "
        f"items ({report.longest_share:.0%}, limit {MAX_LONGEST_SHARE:.0%})",
    ]
    passing = _passing_strategies(report)
    for name, score in report.scores.items():
        flag = "  <- reaches the pass mark" if name in passing else ""
        lines.append(f"  {name}: {score:.0%} of the maximum score{flag}")
    return lines


def _passing_strategies(report: BankReport) -> list[str]:
    """Strategies (not random answering, which no author can prevent) at the pass mark."""
    return [
        name
        for name, score in report.scores.items()
        if name != "random answers" and score * 100 >= report.pass_mark
    ]
