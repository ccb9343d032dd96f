"""Plain-text tables and JSON for the commands, lined up by display width.

A Chinese character takes two terminal cells, so columns are padded with
``rich.cells.cell_len``, not ``len``. Every command prints its tables through here.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import orjson
from rich.cells import cell_len, set_cell_size


def fit(text: str, cells: int, right: bool = False) -> str:
    """``text`` cut (with …) or padded to exactly ``cells`` terminal cells."""
    if cell_len(text) > cells:
        return set_cell_size(text, cells - 1) + "…"
    fill = " " * (cells - cell_len(text))
    return fill + text if right else text + fill


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Collection[int] = (),
    max_cells: Mapping[int, int] | None = None,
) -> str:
    """Columns two spaces apart; ``right`` holds right-aligned column indexes and
    ``max_cells`` caps a column's width (longer text is cut with …)."""
    widths = [max(cell_len(row[c]) for row in [headers, *rows]) for c in range(len(headers))]
    for column, cap in (max_cells or {}).items():
        widths[column] = min(widths[column], cap)
    lines = [
        "  ".join(fit(text, widths[c], c in right) for c, text in enumerate(row)).rstrip()
        for row in [headers, *rows]
    ]
    return "\n".join(lines)


def write_json(document: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
