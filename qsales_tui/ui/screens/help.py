"""Help in context: every key active on the screen below, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from qsales_tui.i18n import _
from qsales_tui.ui.bindings import Translated


class HelpScreen(Translated, ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; max-width: 95%; height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: auto; }
    """
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_("Keys"), classes="section-title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="help-keys")
            yield Static(
                _("ctrl+p opens the command palette: every screen and action by name."),
                classes="muted",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Key"), key="key")
        table.add_column(_("Action"), key="action")
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        seen: set[str] = set()
        for key, active in below.active_bindings.items():
            description = active.binding.description
            if not description or (key, description) in seen:
                continue
            seen.add((key, description))
            table.add_row(self.app.get_key_display(active.binding), description)
        table.focus()
