"""Messages the views show people go through gettext, never as bare English literals.

The JSON API (``trainer/api``) and the ``trainer`` command speak English on
purpose: their readers are programs and operators.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "trainer"
ENGLISH_ON_PURPOSE = {"api", "cli.py"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != ""
    )


def bare_messages(source: str) -> list[str]:
    """``flash("…")`` and ``abort(400, "…")`` calls whose message is a plain literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        message = None
        if name == "flash" and node.args:
            message = node.args[0]
        elif name == "abort" and len(node.args) > 1:
            message = node.args[1]
        if message is not None and _literal(message):
            found.append(f"line {node.lineno}: {name}({ast.unparse(message)})")
    return found


def test_views_flash_and_abort_with_translated_messages():
    found = {
        str(path.relative_to(PACKAGE)): bare
        for path in PACKAGE.rglob("*.py")
        if not ENGLISH_ON_PURPOSE.intersection(path.relative_to(PACKAGE).parts)
        and (bare := bare_messages(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_finds_bare_messages():
    source = 'flash(f"Unit {name} created.")\nabort(403, "No.")\nflash(_("Fine"))\nabort(404)\n'
    assert bare_messages(source) == [
        "line 1: flash(f'Unit {name} created.')",
        "line 2: abort('No.')",
    ]
