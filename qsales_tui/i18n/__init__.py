"""Translation catalog: English text is the message id; ``zh/*.yaml`` map it to Chinese.

    from qsales_tui.i18n import _
    _("Follow-ups")                      # "跟进" when the language is zh
    _("{n} overdue", n=3)                # placeholders use str.format

Each feature keeps its own ``zh/<feature>.yaml`` (a flat mapping English → Chinese), so
features never edit one shared file. ``tests/test_i18n.py`` checks that every literal
passed to ``_()`` in the package has a Chinese entry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

_CATALOG_DIR = Path(__file__).resolve().parent
LANGUAGES = ("en", "zh")
_current = "en"


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    merged: dict[str, str] = {}
    for path in sorted((_CATALOG_DIR / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged.update({str(k): str(v) for k, v in data.items()})
    return merged


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (use en or zh)")
    _current = lang


def current_language() -> str:
    return _current


def _(message: str, /, **values: object) -> str:
    text = catalog(_current).get(message, message)
    return text.format(**values) if values else text


def translate_to(lang: str, message: str, /, **values: object) -> str:
    text = catalog(lang).get(message, message)
    return text.format(**values) if values else text
