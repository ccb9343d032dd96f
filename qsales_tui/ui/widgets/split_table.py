"""An editable table of amounts: one row per period or person, the amount in an Input.

A cell is committed when the user presses Enter or leaves it; the table then posts
:class:`AmountTable.Edited` with the text as typed, and the screen decides what it
means (rebalance, show the gap, or refuse it). Setting values from code never posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static


@dataclass(frozen=True)
class AmountRow:
    key: str
    label: str
    amount: str  # as shown in the cell
    notes: tuple[str, ...] = ()


class AmountTable(Vertical):
    DEFAULT_CSS = """
    AmountTable { height: auto; }
    AmountTable Horizontal { height: 1; }
    AmountTable .label { width: 11; }
    AmountTable Input { width: 18; background: $boost; }
    AmountTable Input:focus { background: $primary 30%; }
    AmountTable .note { width: 11; text-align: right; }
    AmountTable .header { text-style: bold; color: $text-muted; }
    AmountTable .header-amount { width: 18; padding-left: 1; }
    """

    @dataclass
    class Edited(Message):
        table: AmountTable
        key: str
        text: str

        @property
        def control(self) -> AmountTable:
            return self.table

    def __init__(self, headers: Sequence[str], rows: Sequence[AmountRow], **kwargs) -> None:
        super().__init__(**kwargs)
        self.headers = list(headers)  # label, amount, then one per note
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        label, amount, *notes = self.headers
        with Horizontal(classes="header"):
            yield Label(label, classes="label")
            yield Label(amount, classes="header-amount")
            for note in notes:
                yield Label(note, classes="note")
        for index, row in enumerate(self.rows):
            with Horizontal():
                yield Label(row.label, classes="label", markup=False)
                yield Input(row.amount, compact=True, id=f"cell-{index}")
                for column, note in enumerate(row.notes):
                    yield Static(note, classes="note", id=f"note-{index}-{column}")

    async def set_rows(self, rows: Sequence[AmountRow]) -> None:
        """Show new values; the rows are rebuilt only when the keys or columns change."""
        rows = list(rows)
        same_shape = [(r.key, len(r.notes)) for r in rows] == [
            (r.key, len(r.notes)) for r in self.rows
        ]
        self.rows = rows
        if not same_shape:
            await self.recompose()
            return
        for index, row in enumerate(rows):
            self.query_one(f"#cell-{index}", Input).value = row.amount
            for column, note in enumerate(row.notes):
                self.query_one(f"#note-{index}-{column}", Static).update(note)

    def pending(self) -> list[tuple[str, str]]:
        """(key, text) of the cells whose text differs from what the table shows."""
        cells = [self.query_one(f"#cell-{index}", Input) for index in range(len(self.rows))]
        return [
            (row.key, cell.value)
            for row, cell in zip(self.rows, cells, strict=True)
            if cell.value.strip() != row.amount.strip()
        ]

    def _commit(self, cell: Input) -> None:
        index = int(str(cell.id).removeprefix("cell-"))
        if not self.is_attached or index >= len(self.rows):
            return
        row = self.rows[index]
        if cell.value.strip() != row.amount.strip():
            self.post_message(self.Edited(self, row.key, cell.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._commit(event.input)

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self._commit(event.input)
