"""The main screens, found by looking in ``qsales_tui.ui.screens``.

A screen module that should be one key away defines ``NAV = NavEntry(...)``; the app
makes a mode, a key binding and a command-palette entry from it. Adding a screen needs
no edit to the app.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class NavEntry:
    mode: str
    key: str
    label: str  # English; translated when shown
    order: int
    screen: Callable[[], Screen]
    help: str = ""


def discover() -> list[NavEntry]:
    from qsales_tui.ui import screens

    found = []
    for info in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"{screens.__name__}.{info.name}")
        entry = getattr(module, "NAV", None)
        if isinstance(entry, NavEntry):
            found.append(entry)
    return sorted(found, key=lambda entry: entry.order)
