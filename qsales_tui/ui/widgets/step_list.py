"""The wizard's visible step list: done steps ticked, the current one marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StepList(Static):
    """Shows ``titles`` one per line; call :meth:`show` when the step or progress changes."""

    DEFAULT_CSS = """
    StepList { width: 24; height: auto; padding: 0 0 0 1; border-right: solid $primary 50%; }
    """

    def __init__(self, titles: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.titles = titles

    def show(self, current: int, done: set[int]) -> None:
        text = Text()
        for index, title in enumerate(self.titles):
            mark = "▸" if index == current else "✓" if index in done else " "
            style = "bold reverse" if index == current else "" if index in done else "dim"
            text.append(f"{mark} {index + 1} {title}\n", style=style)
        self.update(text)
