"""Every user-visible literal passed to _() has a Chinese translation."""

import ast
from pathlib import Path

from qsales_tui.i18n import _, catalog, set_language

PACKAGE = Path(__file__).resolve().parents[1] / "qsales_tui"


def _literals() -> set[tuple[str, str]]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add((node.args[0].value, f"{path.relative_to(PACKAGE)}:{node.lineno}"))
    return found


def test_every_message_has_a_chinese_translation():
    zh = catalog("zh")
    missing = sorted(f"{where}: {text!r}" for text, where in _literals() if text not in zh)
    assert not missing, "missing zh translations:\n" + "\n".join(missing)


def test_translation_switches_with_language():
    set_language("zh")
    try:
        assert _("Customers") == "客户"
    finally:
        set_language("en")
    assert _("Customers") == "Customers"
