"""Dependency audit: pip-audit over the project's installed packages, with a plain verdict.

Exit 1 when a known vulnerability is found in an installed package. When the
audit cannot run (pip-audit not installable, or no vulnerability database
reachable, which is the case on the project's CI machines: PyPI there answers
only the latest release of each package, and api.osv.dev is out of reach), it
says so in capitals and exits 0: a check that cannot see must not pass itself
off as "no known vulnerabilities", and must not block every merge either. The
packages it could not audit are named, so a reader knows what was not checked.

Usage: python .ci/audit.py PIP_AUDIT SITE_PACKAGES
"""

from __future__ import annotations

import json
import subprocess
import sys

TIMEOUT_SECONDS = 600


def main(pip_audit: str, site_packages: str) -> int:
    command = [pip_audit, "--path", site_packages, "--format", "json", "--progress-spinner", "off"]
    try:
        # The command is two paths given by .ci/run, not outside input.
        run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as error:
        return cannot_run(f"pip-audit did not run: {error}")
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return cannot_run(f"pip-audit gave no report (exit {run.returncode}): {run.stderr[-500:]}")
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            print(f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} "
                  f"(fixed in {fixes})")  # fmt: skip
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        print(f"NOT AUDITED ({len(skipped)} of {len(dependencies)}): {names}")
        print(f"  reason, for example: {skipped[0]['skip_reason']}")
    if vulnerable:
        print(f"dependency audit: FAILED, {len(vulnerable)} vulnerable package(s)")
        return 1
    if not audited:
        return cannot_run("no installed package could be looked up in a vulnerability database")
    print(f"dependency audit: no known vulnerabilities in {len(audited)} audited package(s)")
    return 0


def cannot_run(reason: str) -> int:
    print("DEPENDENCY AUDIT COULD NOT RUN: " + reason)
    print("  Nothing was checked. Run `pip-audit` where PyPI's JSON API or api.osv.dev is")
    print("  reachable (see SECURITY.md, 'Dependencies') before a release.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
