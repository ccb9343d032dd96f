"""Edit a customer's profile, with each field checked before anything is saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from qsales_tui.domain.models import RecordError
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.customers import update_customer
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.screens.base import FormScreen

SEGMENTS = ("key", "growth", "standard")
STATUSES = ("lead", "active", "churned")


class CustomerEditScreen(Translated, FormScreen[dict | None]):
    DEFAULT_CSS = """
    CustomerEditScreen { align: center middle; }
    CustomerEditScreen > Vertical {
        width: 72; max-width: 98%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    CustomerEditScreen Label { margin-top: 1; }
    CustomerEditScreen #error { color: $error; height: auto; }
    CustomerEditScreen #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="edit.cancel"),
        Binding("ctrl+s", "save", "Save", id="edit.save", priority=True),
    ]

    def __init__(self, customer: dict) -> None:
        super().__init__()
        self.customer = customer

    def compose(self) -> ComposeResult:
        customer = self.customer
        reps = sorted(self.app.session.store.all("reps"), key=lambda rep: rep["name"])
        with Vertical():
            yield Static(_("Edit {name}", name=customer["name"]), classes="section-title")
            yield Label(_("Name"))
            yield Input(customer["name"], id="name")
            yield Label(_("Segment"))
            yield Select([(_(s), s) for s in SEGMENTS], value=customer["segment"], id="segment",
                         allow_blank=False)
            yield Label(_("Status"))
            yield Select([(_(s), s) for s in STATUSES], value=customer["status"], id="status",
                         allow_blank=False)
            yield Label(_("Owner"))
            yield Select([(f"{r['name']} ({r['id']})", r["id"]) for r in reps],
                         value=customer.get("owner_id") or Select.BLANK, id="owner_id")
            yield Label(_("Industry"))
            yield Input(customer.get("industry", ""), id="industry")
            yield Label(_("Region"))
            yield Input(customer.get("region", ""), id="region")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save"), variant="primary", id="save")

    def changes(self) -> dict:
        owner = self.query_one("#owner_id", Select)
        values = {
            "name": self.query_one("#name", Input).value,
            "segment": self.query_one("#segment", Select).value,
            "status": self.query_one("#status", Select).value,
            "owner_id": None if owner.is_blank() else owner.value,
            "industry": self.query_one("#industry", Input).value,
            "region": self.query_one("#region", Input).value,
        }
        return {key: value for key, value in values.items() if value != self.customer.get(key)}

    def action_save(self) -> None:
        changes = self.changes()
        if not changes:
            self.dismiss(None)
            return
        session = self.app.session
        try:
            saved = update_customer(
                session.store, session.rep, self.customer["id"], changes, self.customer.get("_v", 1)
            )
        except RecordError as exc:
            self.show_error(
                "\n".join(
                    f"{_(field.capitalize())}: {message}" for field, _v, message in exc.problems
                )
            )
            return
        except QsalesError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(saved)

    def show_error(self, text: str) -> None:
        self.query_one("#error", Static).update(text)
