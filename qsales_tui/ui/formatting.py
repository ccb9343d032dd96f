"""Display helpers shared by screens: money, percentages and dates as the UI shows them."""

from __future__ import annotations

from rich.text import Text

from qsales_tui.domain.money import format_money
from qsales_tui.i18n import _

DASH = "—"


def money(minor: int | None, currency: str, *, compact: bool = False) -> str:
    return format_money(minor, currency, compact=compact)


def percent(ratio: float | None, places: int = 0) -> str:
    return DASH if ratio is None else f"{ratio * 100:.{places}f}%"


def label(value: str) -> str:
    """Translate a stored code (segment, status, role) for display."""
    return _(value) if value else DASH


def number_cell(text: str) -> Text:
    """A table cell for an amount or a figure: right-aligned, so digits line up."""
    return Text(text, justify="right")
