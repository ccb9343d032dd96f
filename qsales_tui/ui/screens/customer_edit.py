"""Add a customer or edit one's profile, with each field checked before anything is saved.

The fields scroll inside the dialog while the error line and the buttons stay below them,
so the form works at 80×24 and a failed save always shows why.

Decisions where the brief is silent:

* Industry and region are picked from the values in use (shown translated, stored as
  written in the data), plus the customer's own value. "Other…" reveals a box for a new
  value; what is typed there is still matched to a known value or its translation
  (``services.customers.canonical_value``), so ``海外`` stays ``International``.
  Choosing "Other…" and typing nothing is refused rather than clearing the field; the
  blank entry (—) clears it.
* A new customer starts as a standard-segment lead owned by the acting rep. A rep cannot
  change the owner (the list is locked to them); a manager may pick anyone or no one.
* When someone else saved the customer meanwhile, nothing is saved; ctrl+r then loads
  their version into the form (the edits made here are dropped) to edit again.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from qsales_tui.domain.models import CUSTOMER_STATUSES, SEGMENTS, RecordError
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.customers import (
    CHOSEN_FIELDS,
    CustomerChanged,
    add_customer,
    canonical_value,
    known_values,
    update_customer,
)
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, label
from qsales_tui.ui.screens.base import FormScreen

OTHER = "\x00other"  # the "Other…" entry of a KnownValuePicker; never stored

# Record fields → the label the form shows, to name a field in an error.
FIELD_LABELS = {
    "name": "Name",
    "segment": "Segment",
    "status": "Status",
    "owner_id": "Owner",
    "industry": "Industry",
    "region": "Region",
    "created_on": "Customer since",
}


class MissingNewValue(ValueError):
    """The "Other…" entry is chosen but no new value typed."""


class KnownValuePicker(Vertical):
    """A Select of the values in use, shown translated, with "Other…" revealing an Input."""

    DEFAULT_CSS = """
    KnownValuePicker { height: auto; }
    KnownValuePicker > Input { display: none; }
    KnownValuePicker.-other > Input { display: block; }
    """

    def __init__(self, known: list[str], current: str, *, id: str) -> None:
        super().__init__(id=id)
        self.known = known
        self.current = current

    def compose(self) -> ComposeResult:
        values = sorted({*self.known, self.current} - {""}, key=label)
        options = [(label(value), value) for value in values] + [(_("Other…"), OTHER)]
        yield Select(options, value=self.current or Select.NULL, prompt=DASH, id=f"{self.id}-pick")
        yield Input(placeholder=_("Type the new value"), id=f"{self.id}-new")

    @property
    def pick(self) -> Select:
        return self.query_one(Select)

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        other = event.value == OTHER
        self.set_class(other, "-other")
        if other:
            self.query_one(Input).focus()

    @property
    def value(self) -> str:
        """The stored code chosen, "" for none; :class:`MissingNewValue` for "Other…" left
        empty."""
        if self.pick.is_blank():
            return ""
        if self.pick.value != OTHER:
            return str(self.pick.value)
        typed = self.query_one(Input).value
        if not typed.strip():
            raise MissingNewValue
        return canonical_value(typed, self.known)

    def focus(self, scroll_visible: bool = True) -> KnownValuePicker:
        """Focus the box for a new value when it is shown, else the list."""
        target = self.query_one(Input) if self.has_class("-other") else self.pick
        target.focus(scroll_visible)
        return self


class CustomerEditScreen(Translated, FormScreen[dict | None]):
    """The customer form: ``CustomerEditScreen(customer)`` edits, ``CustomerEditScreen()``
    adds; it dismisses with the record as saved, or None."""

    DEFAULT_CSS = """
    CustomerEditScreen { align: center middle; }
    CustomerEditScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    CustomerEditScreen #fields { height: auto; max-height: 60vh; }
    CustomerEditScreen .row { height: auto; }
    CustomerEditScreen .row > Label { width: 12; padding: 1 1 0 0; }
    CustomerEditScreen .row > Input, CustomerEditScreen .row > Select,
    CustomerEditScreen .row > KnownValuePicker { width: 1fr; }
    CustomerEditScreen #error { color: $error; height: auto; max-height: 4; }
    CustomerEditScreen #error.-info { color: $text-muted; }
    CustomerEditScreen #buttons { height: auto; align-horizontal: right; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="edit.cancel"),
        Binding("ctrl+s", "save", "Save", id="edit.save", priority=True),
        Binding("ctrl+r", "reload", "Load their version", id="edit.reload", priority=True),
    ]

    def __init__(self, customer: dict | None = None) -> None:
        super().__init__()
        self.customer = customer
        self.stale = False  # someone else saved the customer meanwhile

    @property
    def adding(self) -> bool:
        return self.customer is None

    def shown(self) -> dict[str, Any]:
        """The values the fields start from."""
        if self.customer is not None:
            return self.customer
        rep = self.app.session.rep
        return {
            "name": "",
            "segment": "standard",
            "status": "lead",
            "industry": "",
            "region": "",
            "owner_id": rep["id"] if rep else None,
        }

    def compose(self) -> ComposeResult:
        values = self.shown()
        session = self.app.session
        reps = sorted(session.store.all("reps"), key=lambda rep: rep["name"])
        title = _("Add a customer") if self.adding else _("Edit {name}", name=self.customer["name"])
        with Vertical():
            yield Static(title, classes="section-title")
            with VerticalScroll(id="fields"):
                yield self.row(_("Name"), Input(values["name"], id="name"))
                yield self.row(
                    _("Segment"),
                    Select(
                        [(label(s), s) for s in SEGMENTS],
                        value=values["segment"],
                        id="segment",
                        allow_blank=False,
                    ),
                )
                yield self.row(
                    _("Status"),
                    Select(
                        [(label(s), s) for s in CUSTOMER_STATUSES],
                        value=values["status"],
                        id="status",
                        allow_blank=False,
                    ),
                )
                yield self.row(
                    _("Owner"),
                    Select(
                        [(f"{r['name']} ({r['id']})", r["id"]) for r in reps],
                        value=values.get("owner_id") or Select.NULL,
                        id="owner_id",
                        prompt=DASH,
                        disabled=self.adding and not session.is_manager,
                    ),
                )
                for field in CHOSEN_FIELDS:
                    yield self.row(
                        _(FIELD_LABELS[field]),
                        KnownValuePicker(
                            known_values(session.store, field), values.get(field) or "", id=field
                        ),
                    )
            yield Static("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save") + " (ctrl+s)", variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @staticmethod
    def row(caption: str, widget: Any) -> Horizontal:
        return Horizontal(Label(caption), widget, classes="row")

    def values(self) -> dict[str, Any]:
        """What the fields now say; ``RecordError`` for "Other…" with nothing typed."""
        owner = self.query_one("#owner_id", Select)
        return {
            "name": self.query_one("#name", Input).value,
            "segment": self.query_one("#segment", Select).value,
            "status": self.query_one("#status", Select).value,
            "owner_id": None if owner.is_blank() else owner.value,
            **{field: self._picked(field) for field in CHOSEN_FIELDS},
        }

    def _picked(self, field: str) -> str:
        try:
            return self.query_one(f"#{field}", KnownValuePicker).value
        except MissingNewValue:
            raise RecordError("customers", [(field, "", _("type the new value"))]) from None

    def changes(self) -> dict[str, Any]:
        assert self.customer is not None
        return {
            key: value for key, value in self.values().items() if value != self.customer.get(key)
        }

    def action_save(self) -> None:
        session = self.app.session
        try:
            if self.adding:
                saved = add_customer(session.store, session.rep, self.values(), session.today)
            else:
                changes = self.changes()
                if not changes:
                    self.dismiss(None)
                    return
                saved = update_customer(
                    session.store,
                    session.rep,
                    self.customer["id"],
                    changes,
                    self.customer.get("_v", 1),
                )
        except RecordError as exc:
            self.show_problems(exc.problems)
        except CustomerChanged as exc:
            self.stale = True
            self.refresh_bindings()
            self.show_error(str(exc) + " " + _("Press ctrl+r to load their version."))
        except QsalesError as exc:
            self.show_error(str(exc))
        else:
            self.dismiss(saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.stale if action == "reload" else True

    async def action_reload(self) -> None:
        """Show the customer as now stored, to edit again (what was typed here is dropped)."""
        fresh = self.app.session.store.get("customers", self.customer["id"])
        if fresh is None:
            self.show_error(_("This customer no longer exists."))
            return
        self.customer, self.stale = fresh, False
        self.refresh_bindings()
        await self.recompose()
        self.show_error(_("Their version is loaded; make your changes again."), info=True)
        self.query_one("#name", Input).focus()

    def show_problems(self, problems: list[tuple[str, Any, str]]) -> None:
        lines = []
        for field, value, message in problems:
            name = _(FIELD_LABELS[field]) if field in FIELD_LABELS else field
            shown = "" if value is None or not str(value).strip() else f" ({_cut(value)})"
            lines.append(_("{field}: {reason}", field=name, reason=message) + shown)
        self.show_error("\n".join(lines))
        bad = [field for field, _value, _message in problems]
        for widget in self.query("#fields .row > *"):
            if widget.id in bad:
                widget.focus()
                break

    def show_error(self, text: str, info: bool = False) -> None:
        """Show ``text`` on the error line (muted when ``info``: a notice, not a problem)."""
        line = self.query_one("#error", Static)
        line.set_class(info, "-info")
        line.update(text)


def _cut(value: Any, cells: int = 30) -> str:
    """A value as shown beside its error, cut to ``cells`` cells."""
    from rich.cells import cell_len, set_cell_size

    text = " ".join(str(value).split())
    return text if cell_len(text) <= cells else set_cell_size(text, cells - 1) + "…"
