"""Translate binding descriptions per instance, so the footer and help speak the UI language.

Textual copies a class's merged bindings into each node at construction; this
rewrites that copy with translated descriptions. BINDINGS stay in English in the
source (the i18n test checks each has a Chinese entry).
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from qsales_tui.i18n import _


def translate_bindings(node: DOMNode) -> None:
    bindings_map = node._bindings  # Textual's per-instance copy of the class bindings
    for key, bindings in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [
            replace(
                binding,
                description=_(binding.description) if binding.description else "",
                tooltip=_(binding.tooltip) if binding.tooltip else "",
            )
            for binding in bindings
        ]


class Translated:
    """Mixin for screens and widgets: translate this node's bindings on construction."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # type: ignore[arg-type]
