"""One customer: profile, open deals, need notes, contacts, purchases over 8 quarters and
the full contact history, newest first. Keys log a contact, note a need or add a
follow-up without leaving the customer; ctrl+z undoes the last of them once (need notes
excepted: delete those by hand)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Sparkline, Static

from qsales_tui.i18n import _
from qsales_tui.services.customers import CustomerDetail, customer_detail
from qsales_tui.services.followups import ActionResult
from qsales_tui.services.undo import UndoHistory
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, label, money
from qsales_tui.ui.screens.base import undo_last
from qsales_tui.ui.screens.followup_forms import (
    AddFollowupForm,
    LogInteractionForm,
    NeedNoteForm,
    Target,
)

NOTE_CELLS = 60


class CustomerDetailScreen(Translated, Screen[None]):
    DEFAULT_CSS = """
    CustomerDetailScreen #profile { padding: 0 1; height: auto; }
    CustomerDetailScreen #purchases-row { height: 3; padding: 0 1; }
    CustomerDetailScreen Sparkline { width: 1fr; height: 2; }
    CustomerDetailScreen #purchases-label { width: auto; padding-right: 1; }
    CustomerDetailScreen DataTable { height: auto; max-height: 12; }
    CustomerDetailScreen #needs { padding: 0 1; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Back", id="customer.back"),
        Binding("l", "log", "Log contact", id="customer.log"),
        Binding("n", "need", "Note a need", id="customer.need"),
        Binding("a", "add_followup", "Add follow-up", id="customer.add"),
        Binding("e", "edit", "Edit profile", id="customer.edit"),
        Binding("ctrl+z", "undo", "Undo", id="customer.undo"),
    ]

    def __init__(self, customer_id: str, undo: UndoHistory | None = None) -> None:
        """``undo`` is shared with the screen that opened this one (the queue), if any."""
        super().__init__()
        self.customer_id = customer_id
        self.detail: CustomerDetail | None = None
        self.undo = undo or UndoHistory()

    def compose(self) -> ComposeResult:
        yield Header()
        yield LoadingIndicator()
        with VerticalScroll():
            yield Static("", id="profile")
            yield Static(_("Open deals"), classes="section-title")
            yield DataTable(id="deals", cursor_type="row")
            yield Static(_("Needs"), classes="section-title")
            yield Static("", id="needs")
            yield Static(_("Contacts"), classes="section-title")
            yield DataTable(id="contacts", cursor_type="row")
            yield Static(_("Purchases, last 8 quarters"), classes="section-title")
            with Horizontal(id="purchases-row"):
                yield Static("", id="purchases-label")
                yield Sparkline([], id="purchases-spark")
            yield DataTable(id="purchases", cursor_type="row")
            yield Static(_("Contact history"), classes="section-title")
            yield DataTable(id="history", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._columns("purchases", ("Quarter", "Amount"))
        self._columns("deals", ("Deal", "Stage", "Amount", "Probability", "Expected close"))
        self._columns("contacts", ("Name", "Title", "Phone", "Email"))
        self._columns("history", ("When", "Channel", "Note", "Outcome", "CSAT", "NPS", "By"))
        self.app.data_changed.subscribe(self, lambda _token: self.load())
        self.load()

    def _columns(self, table_id: str, titles: tuple[str, ...]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        for title in titles:
            table.add_column(_(title), key=title)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        session = self.app.session
        detail = customer_detail(session.store, session.calendar, session.today, self.customer_id)
        self.app.call_from_thread(self._show, detail)

    def _show(self, detail: CustomerDetail) -> None:
        self.detail = detail
        self.query_one(LoadingIndicator).display = False
        currency = self.app.session.currency
        customer = detail.customer
        planned = detail.open_followups[0] if detail.open_followups else None
        self.query_one("#profile", Static).update(
            f"[b]{escape(customer['name'])}[/b]  {customer['id']}\n"
            + _("Segment")
            + f": {label(customer['segment'])}   "
            + _("Status")
            + f": {label(customer['status'])}   "
            + _("Owner")
            + f": {escape(detail.owner_name or DASH)}\n"
            + _("Industry")
            + f": {escape(label(customer.get('industry', '')))}   "
            + _("Region")
            + f": {escape(label(customer.get('region', '')))}   "
            + _("Customer since")
            + f": {customer.get('created_on', DASH)}\n"
            + _("Next follow-up")
            + ": "
            + (
                DASH
                if planned is None
                else _("{id} due {due}", id=planned["id"], due=planned["due"])
            )
        )
        amounts = [amount for _quarter, amount in detail.purchases]
        self.query_one("#purchases-spark", Sparkline).data = [a / 100 for a in amounts]
        first, last = detail.purchases[0][0], detail.purchases[-1][0]
        self.query_one("#purchases-label", Static).update(f"{first} → {last}")
        self._fill(
            "purchases",
            [(quarter, money(amount, currency)) for quarter, amount in detail.purchases],
        )
        self._fill(
            "deals",
            [
                (
                    deal["name"],
                    label(deal["stage"]),
                    money(deal["amount_minor"], currency),
                    f"{deal['probability']:.0%}",
                    deal["expected_close"],
                )
                for deal in detail.open_deals
            ],
        )
        self.query_one("#needs", Static).update(self._needs_text(detail))
        self._fill(
            "contacts",
            [
                (c["name"], c.get("title", ""), c.get("phone", ""), c.get("email", ""))
                for c in detail.contacts
            ],
        )
        self._fill(
            "history",
            [
                (
                    row["at"][:16].replace("T", " "),
                    label(row["channel"]),
                    _one_line(row.get("note", "")),
                    row.get("outcome") or "",
                    DASH if row.get("csat") is None else str(row["csat"]),
                    DASH if row.get("nps") is None else str(row["nps"]),
                    detail.author_name(row.get("author")),
                )
                for row in detail.interactions
            ],
        )

    @staticmethod
    def _needs_text(detail: CustomerDetail) -> str:
        if not detail.needs:
            return _("No needs noted yet: press n to add one.")
        lines = []
        for need in detail.needs:
            tags = " ".join(f"[reverse] {escape(tag)} [/reverse]" for tag in need.get("tags", []))
            lines.append(
                f"{need['at'][:10]} {escape(detail.author_name(need.get('author')))}: "
                f"{escape(need['text'])} {tags}".rstrip()
            )
        return "\n".join(lines)

    def _fill(self, table_id: str, rows: list[tuple]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    # -- actions ------------------------------------------------------------------------

    def _target(self) -> Target | None:
        if self.detail is None:
            return None
        customer = self.detail.customer
        return Target(customer["id"], customer["name"], rep_id=customer.get("owner_id"))

    def _acted(self, result: ActionResult | None) -> None:
        if result is None:
            return
        self.undo.remember(result.undo)
        self.notify(result.message + " " + _("(ctrl+z undoes)"), timeout=6)
        self.load()

    def action_log(self) -> None:
        if target := self._target():
            self.app.push_screen(LogInteractionForm(target), self._acted)

    def action_add_followup(self) -> None:
        if target := self._target():
            self.app.push_screen(AddFollowupForm(target), self._acted)

    def action_need(self) -> None:
        target = self._target()
        if target is None:
            return

        def saved(need: dict[str, Any] | None) -> None:
            if need:
                self.notify(_("Need noted for {customer}.", customer=target.customer_name))
                self.load()

        self.app.push_screen(NeedNoteForm(target), saved)

    def action_undo(self) -> None:
        if undo_last(self, self.undo, self.app.session.store):
            self.load()

    def action_edit(self) -> None:
        if self.detail is None:
            return
        from qsales_tui.ui.screens.customer_edit import CustomerEditScreen

        def saved(result: dict | None) -> None:
            if result:
                self.notify(_("Saved {name}", name=result["name"]))
                self.load()

        self.app.push_screen(CustomerEditScreen(self.detail.customer), saved)


def _one_line(text: str) -> str:
    """A multi-line note squeezed onto one table line, cut to ``NOTE_CELLS`` cells."""
    from rich.cells import cell_len, set_cell_size

    flat = " ".join(str(text).split())
    return flat if cell_len(flat) <= NOTE_CELLS else set_cell_size(flat, NOTE_CELLS - 1) + "…"
