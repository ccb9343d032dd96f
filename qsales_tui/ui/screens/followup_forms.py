"""Modal forms for the follow-up actions and need notes, used by the queue and the customer
detail.

Each form collects input, calls one service action and dismisses with what it returned
(an ``ActionResult``, or the saved need note). On bad input the service raises before
writing anything; the form then names the field, marks its widget and stays open. A due
date in the past asks for confirmation first and is saved only on "yes".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from qsales_tui.domain.followups import (
    CHANNELS,
    QUICK_PICKS,
    InvalidInput,
    NeedsConfirmation,
    quick_pick,
)
from qsales_tui.domain.models import RecordError
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.customers import add_need
from qsales_tui.services.followups import (
    PRIORITIES,
    ActionResult,
    Desk,
    add_followup,
    log_interaction,
    mark_done,
    reassign,
    reschedule,
)
from qsales_tui.storage.errors import ConflictError
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import label
from qsales_tui.ui.screens.base import FormScreen


@dataclass(frozen=True)
class Target:
    """What a form acts on: a customer, and the open follow-up when there is one."""

    customer_id: str
    customer_name: str
    followup_id: str | None = None
    version: int | None = None  # the follow-up's ``_v`` as the queue showed it
    rep_id: str | None = None  # whom the follow-up (or the customer) is with


# Field names used by the services and the record models → the label the form shows.
FIELD_LABELS = {
    "channel": "Channel",
    "note": "Note",
    "outcome": "Outcome",
    "csat": "CSAT",
    "nps": "NPS",
    "due": "Due date",
    "priority": "Priority",
    "rep": "Rep",
    "text": "Note",
    "tags": "Tags",
    "followup": "Follow-up",
    "customer": "Customer",
}


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


class ConfirmScreen(Translated, ModalScreen[bool]):
    """A yes/no question; y or enter on Yes confirms, n or escape declines."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > VerticalScroll {
        width: 60; max-width: 95%; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen #buttons { height: auto; align-horizontal: right; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "dismiss(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "dismiss(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.question, id="question")
            with Horizontal(id="buttons"):
                yield Button(_("No"), id="no")
                yield Button(_("Yes"), variant="warning", id="yes")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ActionForm(Translated, FormScreen[Any]):
    """A form that runs one service call on ctrl+s; subclasses give the fields and the call."""

    DEFAULT_CSS = """
    ActionForm { align: center middle; }
    ActionForm > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ActionForm .title { text-style: bold; color: $primary; }
    ActionForm .row { height: auto; }
    ActionForm .row > Label { width: 12; padding: 1 1 0 0; }
    ActionForm .row > Input, ActionForm .row > Select { width: 1fr; }
    ActionForm .row > .small { width: 10; }
    ActionForm .row > .gap { width: 2; }
    ActionForm .row > Label.inline { width: auto; }
    ActionForm TextArea { height: 5; width: 1fr; }
    ActionForm .hint { color: $text-muted; }
    ActionForm .-invalid { border: tall $error; }
    ActionForm #error { color: $error; height: auto; }
    ActionForm #buttons { height: auto; align-horizontal: right; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
    ]
    heading = ""  # English; shown translated with the customer's name

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_(self.heading, customer=self.target.customer_name), classes="title")
            yield from self.fields()
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save") + " (ctrl+s)", variant="primary", id="save")

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def submit(self, desk: Desk, confirm_past: bool) -> Any:
        """Run the service call; raise on bad input (nothing is written then)."""
        raise NotImplementedError

    @staticmethod
    def row(caption: str, *widgets: Widget) -> Horizontal:
        return Horizontal(Label(caption), *widgets, classes="row")

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def action_save(self, confirm_past: bool = False) -> None:
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        try:
            result = self.submit(Desk.from_context(self.app.session.ctx), confirm_past)
        except NeedsConfirmation as exc:
            self.app.push_screen(
                ConfirmScreen(str(exc)), lambda yes: self.action_save(True) if yes else None
            )
        except InvalidInput as exc:
            self.show_problem(exc.field, exc.value, exc.reason)
        except RecordError as exc:
            for field, value, message in exc.problems:
                self.show_problem(field, value, message)
        except QsalesError as exc:
            self.show_error(str(exc))
        else:
            self.dismiss(result)

    def show_problem(self, field: str, value: Any, reason: str) -> None:
        shown = "" if value is None or value == "" else f" ({value})"
        self.show_error(
            _("{field}: {reason}", field=field_label(field), reason=reason) + shown, append=True
        )
        for widget in self.query(f"#{field}"):
            widget.add_class("-invalid")

    def show_error(self, text: str, append: bool = False) -> None:
        error = self.query_one("#error", Static)
        before = str(error.render()) if append else ""
        error.update(f"{before}\n{text}" if before else text)


class LogInteractionForm(ActionForm):
    """Log a contact; on a follow-up, saving also marks it done (see services.followups)."""

    heading = "Log a contact with {customer}"

    def fields(self) -> ComposeResult:
        yield self.row(
            _("Channel"),
            Select(
                [(label(c), c) for c in CHANNELS], value="call", allow_blank=False, id="channel"
            ),
        )
        yield Label(_("Note"))
        yield TextArea(id="note", soft_wrap=True, tab_behavior="focus")
        yield self.row(_("Outcome"), Input(placeholder=_("how it went"), id="outcome"))
        yield self.row(
            _("CSAT"),
            Input(placeholder="1–5", id="csat", classes="small"),
            Static("", classes="gap"),
            Label(_("NPS"), classes="inline"),
            Input(placeholder="0–10", id="nps", classes="small"),
        )
        if self.target.followup_id:
            yield Static(
                _(
                    "Saving finishes follow-up {id} and plans the next one by the cadence.",
                    id=self.target.followup_id,
                ),
                classes="hint",
                id="followup-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    def submit(self, desk: Desk, confirm_past: bool) -> ActionResult:
        followup_id = self.target.followup_id
        try:
            return log_interaction(
                desk,
                self.target.customer_id,
                str(self.query_one("#channel", Select).value),
                note=self.query_one("#note", TextArea).text,
                outcome=self.value("outcome").strip(),
                csat=self.value("csat").strip(),
                nps=self.value("nps").strip(),
                followup_id=followup_id,
                expected_version=self.target.version,
            )
        except (InvalidInput, ConflictError) as exc:
            gone = isinstance(exc, ConflictError) or exc.field == "followup"
            if not followup_id or not gone:
                raise
        # Someone finished or changed the follow-up while this form was open: keep what
        # was typed and offer to save it as a contact on its own.
        self.target = replace(self.target, followup_id=None, version=None)
        hint = _(
            "Follow-up {id} was finished or changed by someone else meanwhile. Your "
            "note is kept: press ctrl+s again to save it as a contact on its own.",
            id=followup_id,
        )
        for widget in self.query("#followup-hint"):
            widget.update(hint)
        raise QsalesError(hint)


class DoneForm(ActionForm):
    heading = "Finish the follow-up with {customer}"

    def fields(self) -> ComposeResult:
        yield self.row(_("Outcome"), Input(placeholder=_("how it went"), id="outcome"))
        yield Static(_("The next follow-up is planned by the cadence."), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#outcome", Input).focus()

    @on(Input.Submitted, "#outcome")
    def _submitted(self) -> None:
        self.action_save()

    def submit(self, desk: Desk, confirm_past: bool) -> ActionResult:
        return mark_done(
            desk,
            str(self.target.followup_id),
            self.value("outcome"),
            expected_version=self.target.version,
        )


class RescheduleForm(ActionForm):
    """Pick tomorrow, +3 days or next week (enter), or type a date and press ctrl+s.

    A customer due by cadence has no follow-up to move: snoozing it adds one on that day.
    """

    heading = "Snooze or reschedule {customer}"
    PICK_LABELS: ClassVar[dict[str, str]] = {
        "tomorrow": "Tomorrow",
        "+3": "In 3 days",
        "next-week": "Next week",
    }

    def __init__(self, target: Target, today: date) -> None:
        super().__init__(target)
        self.today = today

    def fields(self) -> ComposeResult:
        yield OptionList(
            *(
                Option(
                    f"{_(self.PICK_LABELS[pick])}  {quick_pick(pick, self.today).isoformat()}",
                    id=pick,
                )
                for pick in QUICK_PICKS
            ),
            id="picks",
        )
        yield self.row(_("Due date"), Input(placeholder=_("YYYY-MM-DD or +N days"), id="due"))

    def on_mount(self) -> None:
        self.query_one("#picks", OptionList).focus()

    @on(OptionList.OptionSelected, "#picks")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#due", Input).value = str(event.option.id)
        self.action_save()

    @on(Input.Submitted, "#due")
    def _submitted(self) -> None:
        self.action_save()

    def submit(self, desk: Desk, confirm_past: bool) -> ActionResult:
        due = self.value("due")
        if self.target.followup_id is None:
            return add_followup(desk, self.target.customer_id, due, confirm_past=confirm_past)
        return reschedule(
            desk,
            self.target.followup_id,
            due,
            expected_version=self.target.version,
            confirm_past=confirm_past,
        )


class AddFollowupForm(ActionForm):
    """A new follow-up; managers may give it to another rep (default: the customer's owner)."""

    heading = "Add a follow-up for {customer}"

    def fields(self) -> ComposeResult:
        yield self.row(
            _("Due date"), Input(placeholder=_("YYYY-MM-DD, tomorrow, +3, next-week"), id="due")
        )
        yield self.row(
            _("Priority"),
            Select(
                [(label(p), p) for p in PRIORITIES],
                value="normal",
                allow_blank=False,
                id="priority",
            ),
        )
        if self.app.session.is_manager:
            yield self.row(
                _("Rep"),
                Select(
                    _rep_options(self.app.session.store), prompt=_("the customer's owner"), id="rep"
                ),
            )

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    def submit(self, desk: Desk, confirm_past: bool) -> ActionResult:
        reps = self.query("#rep")
        rep = reps.first(Select) if reps else None
        return add_followup(
            desk,
            self.target.customer_id,
            self.value("due"),
            priority=str(self.query_one("#priority", Select).value),
            rep_id=None if rep is None or rep.is_blank() else str(rep.value),
            confirm_past=confirm_past,
        )


class ReassignForm(ActionForm):
    heading = "Give the follow-up with {customer} to another rep"

    def fields(self) -> ComposeResult:
        options = [
            option
            for option in _rep_options(self.app.session.store)
            if option[1] != self.target.rep_id
        ]
        yield self.row(_("Rep"), Select(options, prompt=_("choose a rep"), id="rep"))

    def on_mount(self) -> None:
        self.query_one("#rep", Select).focus()

    def submit(self, desk: Desk, confirm_past: bool) -> ActionResult:
        rep = self.query_one("#rep", Select)
        if rep.is_blank():
            raise InvalidInput("rep", "", _("choose a rep"))
        return reassign(
            desk, str(self.target.followup_id), str(rep.value), expected_version=self.target.version
        )


class NeedNoteForm(ActionForm):
    """A customer-need note (product section 4.1) with tags."""

    heading = "Note a need of {customer}"

    def fields(self) -> ComposeResult:
        yield Label(_("Note"))
        yield TextArea(id="text", soft_wrap=True, tab_behavior="focus")
        yield self.row(_("Tags"), Input(placeholder=_("price, delivery, 售后 …"), id="tags"))

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()

    def submit(self, desk: Desk, confirm_past: bool) -> dict:
        return add_need(
            desk.store,
            desk.actor,
            self.target.customer_id,
            self.query_one("#text", TextArea).text,
            self.value("tags"),
            desk.now,
        )


def _rep_options(store: Any) -> list[tuple[str, str]]:
    reps = sorted(
        (rep for rep in store.all("reps") if rep.get("active", True)), key=lambda rep: rep["id"]
    )
    return [(f"{rep['name']} · {label(rep['role'])} · {rep['id']}", rep["id"]) for rep in reps]
