"""Help in context: every key active on the screen below, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from qsales_tui.i18n import _
from qsales_tui.ui.bindings import Translated


class HelpScreen(Translated, ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 70; max-width: 95%; height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Keys"), classes="section-title")
            yield Static(
                _("ctrl+p opens the command palette: every screen and action by name."),
                classes="muted",
            )
            yield DataTable(cursor_type="row", zebra_stripes=True, id="help-keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Key"), key="key")
        table.add_column(_("Action"), key="action")
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        seen: set[tuple[str, str]] = set()
        # qsales' own keys (they all carry an id) before Textual's built-in ones, and
        # within each the screen's first, then the app's, then the focused widget's.
        rank = {below: 0, self.app: 1}
        ordered = sorted(
            below.active_bindings.items(),
            key=lambda item: (item[1].binding.id is None, rank.get(item[1].node, 2)),
        )
        for key, active in ordered:
            description = active.binding.description
            if not description or (key, description) in seen:
                continue
            seen.add((key, description))
            table.add_row(self.app.get_key_display(active.binding), description)
        table.focus()
