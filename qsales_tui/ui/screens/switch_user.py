"""Demo only: act as any rep of the demo company to see what they see."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qsales_tui.i18n import _
from qsales_tui.services.session import Session
from qsales_tui.ui.bindings import Translated


class SwitchUserScreen(Translated, ModalScreen[str | None]):
    DEFAULT_CSS = """
    SwitchUserScreen { align: center middle; }
    SwitchUserScreen > Vertical {
        width: 60; max-width: 95%; height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="user.cancel")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Act as"), classes="section-title")
            reps = sorted(self.session.store.all("reps"), key=lambda rep: (rep["role"], rep["id"]))
            yield OptionList(
                *(
                    Option(f"{rep['name']}  · {_(rep['role'])} · {rep['id']}", id=rep["id"])
                    for rep in reps
                    if rep.get("active", True)
                )
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
