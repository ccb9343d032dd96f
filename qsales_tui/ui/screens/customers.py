"""Customers: every customer the user may see, searchable as you type, sortable by any column."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, LoadingIndicator, Static

from qsales_tui.errors import WriteRefused
from qsales_tui.i18n import _
from qsales_tui.services.customers import CustomerRow, list_customers, require_rep
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import label, money, number_cell
from qsales_tui.ui.nav import NavEntry
from qsales_tui.ui.screens.base import SearchScreen

MAX_ROWS = 500  # DataTable slows past a few thousand rows; type to narrow instead

# Most telling first, so an 80-column terminal shows what matters without scrolling.
COLUMNS = (
    ("id", "ID"),
    ("name", "Name"),
    ("segment", "Segment"),
    ("owner_name", "Owner"),
    ("revenue_4q_minor", "Revenue 4Q"),
    ("last_contact", "Last contact"),
    ("status", "Status"),
    ("region", "Region"),
    ("industry", "Industry"),
)


class CustomersScreen(Translated, SearchScreen):
    AUTO_FOCUS = "#customers"
    DEFAULT_CSS = """
    CustomersScreen #search { margin: 0 0; }
    CustomersScreen #count { height: 1; padding: 0 1; }
    CustomersScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="customers.search"),
        Binding("s", "sort", "Sort by column", id="customers.sort"),
        Binding("a", "add", "Add customer", id="customers.add"),
        Binding("enter", "open", "Open", show=False, id="customers.open"),
        Binding("escape", "clear_search", "Clear search", show=False, id="customers.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CustomerRow] = []
        self.sort_key = "name"
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Search customers (name, ID, pinyin initials)…"), id="search")
        yield Static("", id="count", classes="muted")
        yield LoadingIndicator()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="customers")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in COLUMNS:
            table.add_column(_(title), key=key)
        self.app.data_changed.subscribe(self, lambda _token: self.load())
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        session = self.app.session
        rows = list_customers(
            session.store, session.calendar, session.today, session.visible_rep_ids()
        )
        self.app.call_from_thread(self._show_rows, rows)

    def _show_rows(self, rows: list[CustomerRow]) -> None:
        self.rows = rows
        self.query_one(LoadingIndicator).display = False
        self.refill()

    def refill(self) -> None:
        from qsales_tui.domain.search import matches

        query = self.query_one("#search", Input).value.strip()
        shown = [
            row
            for row in self.rows
            if not query or matches(row.name, query) or query.lower() in row.id.lower()
        ]
        shown.sort(key=lambda row: getattr(row, self.sort_key), reverse=self.sort_reverse)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        currency = self.app.session.currency
        for row in shown[:MAX_ROWS]:
            table.add_row(
                row.id,
                row.name,
                label(row.segment),
                row.owner_name,
                number_cell(money(row.revenue_4q_minor, currency, compact=True)),
                row.last_contact or "—",
                label(row.status),
                label(row.region),
                label(row.industry),
                key=row.id,
            )
        if shown:
            table.move_cursor(row=min(keep, len(shown[:MAX_ROWS]) - 1))
        text = _("{shown} of {total} customers", shown=len(shown), total=len(self.rows))
        if len(shown) > MAX_ROWS:
            text += " · " + _("showing the first {n}; type to narrow", n=MAX_ROWS)
        self.query_one("#count", Static).update(text)

    def search_changed(self) -> None:
        self.refill()

    def action_sort(self) -> None:
        table = self.query_one(DataTable)
        key = COLUMNS[table.cursor_column][0]
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        direction = _("descending") if self.sort_reverse else _("ascending")
        self.notify(
            _(
                "Sorted by {column}, {direction}",
                column=_(COLUMNS[table.cursor_column][1]),
                direction=direction,
            ),
            timeout=2,
        )
        self.refill()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        self.query_one(DataTable).move_cursor(column=event.column_index)
        self.action_sort()

    @on(DataTable.RowSelected, "#customers")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_customer(str(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self.open_customer(
                str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
            )

    def action_add(self) -> None:
        """Open the empty customer form; the customer saved there opens next."""
        from qsales_tui.ui.screens.customer_edit import CustomerEditScreen

        try:
            require_rep(self.app.session.rep)
        except WriteRefused as exc:
            self.notify(str(exc), severity="error")
            return

        def added(customer: dict | None) -> None:
            if customer:
                self.notify(_("Added {name} ({id})", name=customer["name"], id=customer["id"]))
                self.load()
                self.open_customer(customer["id"])

        self.app.push_screen(CustomerEditScreen(), added)

    def open_customer(self, customer_id: str) -> None:
        from qsales_tui.ui.screens.customer_detail import CustomerDetailScreen

        self.app.push_screen(CustomerDetailScreen(customer_id))


NAV = NavEntry(
    mode="customers",
    key="5",
    label="Customers",
    order=50,
    screen=CustomersScreen,
    help="Every customer: search, sort, open, edit",
)
