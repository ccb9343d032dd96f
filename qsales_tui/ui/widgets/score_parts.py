"""The panel under the queue: why the selected row sits where it does.

Shows each score part (name, points, the facts behind it), the customer's last contact
and its next planned follow-up, so a rep can trust the order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from rich.cells import set_cell_size
from rich.markup import escape
from textual.widgets import Static

from qsales_tui.domain.followups import CustomerStats, QueueItem, part_label
from qsales_tui.i18n import _
from qsales_tui.ui.formatting import DASH, label


class ScoreParts(Static):
    """Render with :meth:`show`; an empty queue shows a hint instead."""

    DEFAULT_CSS = """
    ScoreParts {
        height: auto; max-height: 9; padding: 0 1;
        border-top: solid $primary; background: $surface;
    }
    """

    def show(
        self,
        item: QueueItem | None,
        stats: CustomerStats | None,
        next_open: Mapping[str, Any] | None,
        today: date,
    ) -> None:
        if item is None:
            self.update(
                _("Nothing due. Press a to add a follow-up, or o / m to widen the filters.")
            )
            return
        lines = [
            f"[b]{escape(item.customer_name)}[/b] {item.customer_id} · {label(item.segment)} · "
            + _("score {score}", score=item.score)
        ]
        for part in item.parts:
            name = part_label(part.name)
            shown = escape(set_cell_size(name, 14))
            lines.append(f"[b]{part.points:>+4}[/b]  {shown} {escape(part.why)}")
        if not item.parts:
            lines.append(_("no score parts: nothing is pressing"))
        last = stats.last_contact if stats else None
        contact = (
            DASH
            if last is None
            else _("{date} ({days} days ago)", date=last.isoformat(), days=(today - last).days)
        )
        planned = (
            DASH
            if next_open is None
            else _("{id} due {due}", id=next_open["id"], due=next_open["due"])
        )
        lines.append(
            _(
                "Last contact: {contact} · Next follow-up: {planned}",
                contact=contact,
                planned=planned,
            )
        )
        self.update("\n".join(lines))
