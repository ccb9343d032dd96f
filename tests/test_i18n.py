"""Every user-visible literal passed to _() has a Chinese translation."""

import ast
from pathlib import Path

from qsales_tui.i18n import _, catalog, set_language

PACKAGE = Path(__file__).resolve().parents[1] / "qsales_tui"


# Calls whose string arguments are shown to users: _() itself, the binding descriptions
# (translated per instance by ui/bindings.py) and the navigation labels.
_TRANSLATED_POSITIONS = {"_": (0,), "Binding": (2,), "NavEntry": ()}
_TRANSLATED_KEYWORDS = {"Binding": ("description",), "NavEntry": ("label", "help")}


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def _literals() -> set[tuple[str, str]]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name not in _TRANSLATED_POSITIONS:
                continue
            values = [node.args[i] for i in _TRANSLATED_POSITIONS[name] if i < len(node.args)]
            keywords = _TRANSLATED_KEYWORDS.get(name, ())
            values += [k.value for k in node.keywords if k.arg in keywords]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                    found.add((value.value, f"{path.relative_to(PACKAGE)}:{node.lineno}"))
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
