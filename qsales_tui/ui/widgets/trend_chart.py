"""An 8-quarter trend drawn with block characters: a one-line sparkline and a bar chart.

``sparkline(values)`` gives one cell per quarter, scaled between the series' lowest
and highest value (its shape, for a table row). ``TrendChart`` draws bars from a zero
line in eighths of a cell, negative values hanging below it, with the quarter and the
value under each bar; the last bar (the quarter under review) is in the accent colour.
A quarter without a value shows ``·``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from qsales_tui.ui.formatting import DASH

LEVELS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▁▂▃▄▅▆▇█"
MISSING = "·"

Cell = tuple[str, bool]  # (character, drawn inverted: the bar fills the top of the cell)


def sparkline(values: Sequence[float | None]) -> str:
    """One block per value, from ▁ (the lowest) to █ (the highest); ``·`` when missing."""
    known = [value for value in values if value is not None]
    if not known:
        return MISSING * len(values)
    low, high = min(known), max(known)
    span = high - low
    return "".join(
        MISSING
        if value is None
        else LEVELS[round((value - low) / span * (len(LEVELS) - 1)) if span else 3]
        for value in values
    )


def bar_columns(values: Sequence[float | None], rows: int) -> list[list[Cell]]:
    """Each value's column of ``rows`` cells, top to bottom, on a shared zero line.

    Rows are shared between the part above zero and the part below in proportion to
    the largest value on each side; every non-zero value shows at least an eighth.
    """
    known = [value for value in values if value is not None]
    high = max([0.0, *known])
    low = min([0.0, *known])
    span = (high - low) or 1.0
    up = round(rows * high / span)
    if high > 0:
        up = max(up, 1)
    if low < 0 and rows > 1:
        up = min(up, rows - 1)
    down = rows - up
    unit = max(high / up if up else 0.0, -low / down if down else 0.0) or 1.0
    columns = []
    for value in values:
        column: list[Cell] = [(" ", False)] * rows
        if value is None:
            column[max(up - 1, 0)] = (MISSING, False)
        elif value > 0:
            eighths = min(up * 8, max(1, round(value / unit * 8)))
            for k in range(up):  # k-th row above the zero line
                fill = min(8, max(0, eighths - 8 * k))
                column[up - 1 - k] = (EIGHTHS[fill], False)
        elif value < 0:
            eighths = min(down * 8, max(1, round(-value / unit * 8)))
            for k in range(down):  # k-th row below the zero line
                fill = min(8, max(0, eighths - 8 * k))
                column[up + k] = (
                    ("█", False)
                    if fill == 8
                    else ((" ", False) if fill == 0 else (EIGHTHS[8 - fill], True))
                )
        columns.append(column)
    return columns


def quarter_label(name: str, width: int) -> str:
    """``2026-Q4`` as wide as fits: ``2026-Q4``, ``26Q4`` or ``Q4``."""
    for label in (name, f"{name[2:4]}{name[-2:]}", name[-2:]):
        if cell_len(label) <= width:
            return label
    return name[-1:]


def _centre(text: str, width: int) -> str:
    if cell_len(text) > width:
        text = set_cell_size(text, max(width - 1, 0)) + ("…" if width else "")
    pad = width - cell_len(text)
    return " " * (pad // 2) + text + " " * (pad - pad // 2)


class TrendChart(Widget):
    """Call :meth:`show` with ``(quarter, value)`` pairs, oldest first."""

    DEFAULT_CSS = """
    TrendChart { height: 7; background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.trend: tuple[tuple[str, float | None], ...] = ()
        self.format_value: Callable[[float | None], str] = lambda value: DASH

    def show(
        self, trend: Sequence[tuple[str, float | None]], format_value: Callable[[float | None], str]
    ) -> None:
        self.trend = tuple(trend)
        self.format_value = format_value
        self.refresh()

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        if not self.trend or width < len(self.trend) or height < 3:
            return Text("")
        variables = self.app.get_css_variables()
        background = self.background_colors[1].hex
        muted = Style(dim=True)
        slot = width // len(self.trend)
        bar_width = max(1, min(slot - 2, 6))
        rows = height - 2
        columns = bar_columns([value for _, value in self.trend], rows)
        text = Text(no_wrap=True, overflow="crop")
        last = len(self.trend) - 1
        for row in range(rows):
            for index, column in enumerate(columns):
                colour = variables.get("accent" if index == last else "primary")
                char, inverted = column[row]
                style = (
                    Style(color=background, bgcolor=colour)
                    if inverted
                    else muted
                    if char == MISSING
                    else Style(color=colour)
                )
                left = (slot - bar_width) // 2
                text.append(" " * left)
                text.append(char * bar_width, style)
                text.append(" " * (slot - left - bar_width))
            text.append("\n")
        for index, (name, _value) in enumerate(self.trend):
            style = Style(bold=True) if index == last else muted
            text.append(_centre(quarter_label(name, slot - 1), slot), style)
        text.append("\n")
        for index, (_name, value) in enumerate(self.trend):
            style = Style(bold=True) if index == last else Style()
            text.append(_centre(self.format_value(value), slot), style)
        return text
