"""What several screens do the same way: a search box over a table, a modal form with
Save and Cancel, and undoing the last action.

The key bindings stay with each screen (their ids are the screen's, for user key maps);
the behaviour behind them is here once.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.widgets import Button, DataTable, Input

from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.undo import UndoHistory


class SearchScreen(Screen[ScreenResultType]):
    """A screen with an ``#search`` Input over its DataTable.

    Typing calls :meth:`search_changed`; enter goes back to the table; the actions
    ``focus_search`` and ``clear_search`` are for the screen's bindings.
    """

    def search_changed(self) -> None:
        """Show the rows matching the search as it now reads."""
        raise NotImplementedError

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.search_changed()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        self.query_one("#search", Input).value = ""
        self.query_one(DataTable).focus()


class FormScreen(ModalScreen[ScreenResultType]):
    """A modal form: the ``#save`` button runs :meth:`action_save`, ``#cancel`` dismisses
    with None."""

    def action_save(self) -> None:
        raise NotImplementedError

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


def undo_last(screen: Screen, undo: UndoHistory, store: Any) -> bool:
    """Undo the last action, telling the user what was undone or why not.

    True when something was undone (the caller then reloads what it shows).
    """
    try:
        undone = undo.undo_last(store)
    except QsalesError as exc:
        screen.notify(str(exc), severity="error")
        return False
    if undone is None:
        screen.notify(_("Nothing to undo."), severity="warning")
        return False
    screen.notify(_("Undone: {action}", action=undone.label))
    return True
