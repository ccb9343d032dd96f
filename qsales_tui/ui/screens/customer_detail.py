"""One customer: profile, purchases by quarter, deals, contacts and contact history."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Sparkline, Static

from qsales_tui.i18n import _
from qsales_tui.services.customers import CustomerDetail, customer_detail
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, label, money


class CustomerDetailScreen(Translated, Screen):
    DEFAULT_CSS = """
    CustomerDetailScreen #profile { padding: 0 1; height: auto; }
    CustomerDetailScreen #purchases-row { height: 3; padding: 0 1; }
    CustomerDetailScreen Sparkline { width: 1fr; height: 2; }
    CustomerDetailScreen #purchases-label { width: auto; padding-right: 1; }
    CustomerDetailScreen DataTable { height: auto; max-height: 12; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="customer.back"),
        Binding("e", "edit", "Edit profile", id="customer.edit"),
    ]

    def __init__(self, customer_id: str) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.detail: CustomerDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield LoadingIndicator()
        with VerticalScroll():
            yield Static("", id="profile")
            yield Static(_("Purchases, last 8 quarters"), classes="section-title")
            with Horizontal(id="purchases-row"):
                yield Static("", id="purchases-label")
                yield Sparkline([], id="purchases-spark")
            yield DataTable(id="purchases", cursor_type="row")
            yield Static(_("Deals"), classes="section-title")
            yield DataTable(id="deals", cursor_type="row")
            yield Static(_("Contacts"), classes="section-title")
            yield DataTable(id="contacts", cursor_type="row")
            yield Static(_("Contact history"), classes="section-title")
            yield DataTable(id="history", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._columns("purchases", ("Quarter", "Amount"))
        self._columns("deals", ("Deal", "Stage", "Status", "Amount", "Probability", "Expected close"))
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
        self.query_one("#profile", Static).update(
            f"[b]{customer['name']}[/b]  {customer['id']}\n"
            + _("Segment") + f": {label(customer['segment'])}   "
            + _("Status") + f": {label(customer['status'])}   "
            + _("Owner") + f": {detail.owner_name or DASH}\n"
            + _("Industry") + f": {label(customer.get('industry', ''))}   "
            + _("Region") + f": {label(customer.get('region', ''))}   "
            + _("Customer since") + f": {customer.get('created_on', DASH)}"
        )
        amounts = [amount for _quarter, amount in detail.purchases]
        self.query_one("#purchases-spark", Sparkline).data = [a / 100 for a in amounts]
        first, last = detail.purchases[0][0], detail.purchases[-1][0]
        self.query_one("#purchases-label", Static).update(f"{first} → {last}")
        self._fill("purchases", [(quarter, money(amount, currency)) for quarter, amount in detail.purchases])
        self._fill(
            "deals",
            [
                (deal["name"], label(deal["stage"]), label(deal["status"]),
                 money(deal["amount_minor"], currency), f"{deal['probability']:.0%}",
                 deal["expected_close"])
                for deal in detail.deals
            ],
        )
        self._fill(
            "contacts",
            [(c["name"], c.get("title", ""), c.get("phone", ""), c.get("email", "")) for c in detail.contacts],
        )
        self._fill(
            "history",
            [
                (row["at"][:16].replace("T", " "), label(row["channel"]),
                 " ".join(str(row.get("note", "")).split())[:60], row.get("outcome") or "",
                 DASH if row.get("csat") is None else str(row["csat"]),
                 DASH if row.get("nps") is None else str(row["nps"]), row.get("author", ""))
                for row in detail.interactions
            ],
        )

    def _fill(self, table_id: str, rows: list[tuple]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    def action_edit(self) -> None:
        if self.detail is None:
            return
        from qsales_tui.ui.screens.customer_edit import CustomerEditScreen

        def saved(result: dict | None) -> None:
            if result:
                self.notify(_("Saved {name}", name=result["name"]))
                self.load()

        self.app.push_screen(CustomerEditScreen(self.detail.customer), saved)
