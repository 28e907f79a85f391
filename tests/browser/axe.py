"""axe-core (from the npm registry, ``npm ci --prefix tests/browser``) run inside a page.

The script goes in through the DevTools protocol rather than a ``<script>`` tag,
so the site's Content-Security-Policy stays on while it is checked.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.1 level A and AA, as the README states.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Impacts that fail a test; minor and moderate ones are recorded and reported.
BLOCKING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return {
    version: axe.version,
    passes: result.passes.length,
    incomplete: result.incomplete.length,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(" ")),
    })),
  };
}"""


@dataclass
class AxeReport:
    """What axe found on one page type."""

    page_type: str
    url: str
    version: str
    passes: int
    incomplete: int
    violations: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(v["impact"] or "minor" for v in self.violations)
        return {impact: found.get(impact, 0) for impact in IMPACTS}

    def blocking(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v["impact"] in BLOCKING]

    def message(self) -> str:
        """A readable failure: rule, impact, the elements and where to read how to fix it."""
        lines = [f"axe: serious or critical violations on {self.page_type} ({self.url}):"]
        for v in self.blocking():
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            lines.append(f"    elements: {', '.join(v['targets'][:8])}")
            lines.append(f"    how to fix: {v['helpUrl']}")
        return "\n".join(lines)


class Axe:
    """Runs axe in pages and keeps every report for the summary."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.reports: list[AxeReport] = []

    def check(self, page: Page, page_type: str) -> AxeReport:
        """Run axe on what the page shows now; fail on serious or critical violations."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source)
        raw = page.evaluate(RUN_AXE, TAGS)
        report = AxeReport(
            page_type,
            page.url,
            raw["version"],
            raw["passes"],
            raw["incomplete"],
            raw["violations"],
        )
        self.reports.append(report)
        assert not report.blocking(), report.message()
        return report

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = [{**asdict(r), "counts": r.counts()} for r in self.reports]
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def summary(self) -> list[str]:
        """A table: one row per page type, violations by impact and the passing rules."""
        if not self.reports:
            return []
        header = f"{'page type':<40} {'crit':>4} {'ser':>4} {'mod':>4} {'min':>4} {'passes':>6}"
        lines = [f"axe-core {self.reports[0].version}, tags {', '.join(TAGS)}", header]
        for r in self.reports:
            c = r.counts()
            lines.append(
                f"{r.page_type:<40} {c['critical']:>4} {c['serious']:>4} "
                f"{c['moderate']:>4} {c['minor']:>4} {r.passes:>6}"
            )
        return lines


def install_axe() -> None:
    """Run ``npm ci --prefix tests/browser`` once, when axe-core is missing and npm is here.

    The README's test command is only ``pip install`` and ``pytest``; installing the
    pinned axe-core from here means the accessibility checks run, rather than skip,
    on any machine that has Chromium and npm.
    """
    npm = shutil.which("npm")
    if AXE_JS.exists() or npm is None:
        return
    folder = AXE_JS.parents[2]
    result = subprocess.run(  # noqa: S603 - a fixed command, no user input
        [npm, "ci", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"npm ci --prefix tests/browser failed:\n{result.stderr}")


def load_axe() -> Axe:
    install_axe()
    if not AXE_JS.exists():
        pytest.skip(
            f"axe-core is not installed ({AXE_JS}) and npm was not found: "
            "install npm, or run npm ci --prefix tests/browser"
        )
    return Axe(AXE_JS.read_text())
