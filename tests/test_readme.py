"""The README's commands and examples, as a newcomer would use them.

The clone test is the issue's "done when": a fresh clone, the README's install
command exactly as written, and a test collection with no error. It is slow (a
virtual environment and every pinned package, from pip's cache) but runs in the
ordinary command and in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from trainer.certificates.ids import InvalidCertificateId, parse_certificate_id

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: An id as the README prints one: 27 symbols, whole or in hyphenated groups of four.
CERTIFICATE_ID = re.compile(r"\b(?:[0-9A-Z]{4}-){6}[0-9A-Z*~$=]{3}\b|\b[0-9A-Z]{26}[0-9A-Z*~$=U]\b")


def fenced_lines(text: str) -> list[str]:
    """Every line inside a fenced code block."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced:
            lines.append(line)
    return lines


def readme_test_command() -> str:
    """The README's test command: the first fenced line that runs pytest (as .ci/run reads it)."""
    return next(line for line in fenced_lines(README.read_text()) if "pytest" in line)


def test_the_test_command_installs_the_pinned_test_and_postgres_extras():
    command = readme_test_command()
    assert "-c constraints.txt" in command
    assert "'.[test,postgres]'" in command
    assert command.endswith("&& .venv/bin/pytest")


def test_ci_runs_the_readme_test_command_it_holds_verbatim():
    script = (ROOT / ".ci" / "run").read_text()
    assert readme_test_command() in script.splitlines()


def test_the_certificate_ids_in_the_readme_pass_their_check_character():
    ids = CERTIFICATE_ID.findall(README.read_text())
    assert ids, "the README shows example certificate ids"
    wrong = []
    for shown in ids:
        try:
            parse_certificate_id(shown)
        except InvalidCertificateId as error:
            wrong.append(f"{shown}: {error}")
    assert wrong == []


def test_constraints_pin_every_package_to_one_version():
    lines = [
        line
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", line) for line in lines), lines
    names = {line.split("==")[0].lower().replace("_", "-") for line in lines}
    assert {"flask", "babel", "psycopg", "pytest", "playwright"} <= names


@pytest.mark.slow
def test_a_fresh_clone_installs_and_collects_with_the_readme_command(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of Trainer")
    clone = tmp_path / "trainer"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)  # noqa: S603,S607
    install = readme_test_command().removesuffix("&& .venv/bin/pytest").strip()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PIP_NO_CACHE")}
    environment.pop("VIRTUAL_ENV", None)
    installed = subprocess.run(  # noqa: S602 - the README's own command, as a user types it
        install, shell=True, cwd=clone, env=environment, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    collected = subprocess.run(
        [".venv/bin/pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert re.search(r"\d+ tests? collected", collected.stdout), collected.stdout[-500:]
