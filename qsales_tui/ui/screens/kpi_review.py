"""KPI review: the quarter's KPIs with the previous quarter, 8-quarter trends and drill-down.

The company view has one row per KPI: its value, the previous quarter's, a sparkline
of the last 8 quarters and, for a figure that cannot be computed, why (shown as "—").
While the quarter runs the line at the top says how far it is, and the figures that
compare it so far with whole quarters (growth, churn, retention, market share) are
noted "to date"; "same point" growth compares like with like. The panel below explains
the selected figure (formula, numerator ÷ denominator, terms) and draws the 8-quarter
trend of its KPI for the row's group (the company in the company view). ``d``
switches to one row per rep, team, region, product or segment with a column per KPI;
``enter`` on any figure (the Previous column: the previous quarter's) opens the rows
behind it; ``x`` exports the table shown (the company view as the 8-quarter KPI
table, as ``qsales export kpis``).

Everyone sees the company figures, as on the team board. The history loads once in a
worker; switching quarter or dimension recomputes from it (the engine is cached on the
inputs); a change on disk reloads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static
from textual.worker import get_current_worker

from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.reports.formatting import format_change, format_figure, format_terms
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, label
from qsales_tui.ui.nav import NavEntry
from qsales_tui.ui.screens.kpi_rows import ExportsTable, KpiRowsScreen
from qsales_tui.ui.widgets.trend_chart import TrendChart, sparkline

if TYPE_CHECKING:  # pandas and the KPI engine load in the worker, not at start
    from qsales_tui.analytics.kpi_inputs import KpiInputs
    from qsales_tui.analytics.kpis import Figure, GroupKpis, GroupTrends, QuarterKpis
    from qsales_tui.reports.exports import ExportTable

COMPANY = "company"
VIEWS = (COMPANY, "rep", "team", "region", "product", "segment")
COMPANY_COLUMNS = (
    ("kpi", "KPI"),
    ("value", "Value"),
    ("previous", "Previous"),
    ("trend", "Trend"),
    ("note", "Note"),
)
SHORT_HEIGHT = 28  # below this many lines the chart gets fewer bar rows


def view_label(view: str) -> str:
    return {
        COMPANY: _("Company"),
        "rep": _("By rep"),
        "team": _("By team"),
        "region": _("By region"),
        "product": _("By product"),
        "segment": _("By segment"),
    }[view]


class KpiTable(Translated, DataTable):
    """The KPI table, with its enter key (drill into the rows behind) in the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Rows behind", id="kpi.rows"),
    ]


class KpiReviewScreen(Translated, ExportsTable, Screen):
    AUTO_FOCUS = "#kpis"
    DEFAULT_CSS = """
    KpiReviewScreen #summary { height: auto; padding: 0 1; }
    KpiReviewScreen #kpis { height: 1fr; }
    KpiReviewScreen #detail { height: auto; border-top: solid $primary; background: $surface; }
    KpiReviewScreen #explain { height: auto; padding: 0 1; }
    KpiReviewScreen TrendChart { height: 7; }
    KpiReviewScreen TrendChart.short { height: 5; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "next_view", "Dimension", id="kpi.dimension"),
        Binding("x", "export", "Export", id="kpi.export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.inputs: KpiInputs | None = None  # once the worker has loaded the history
        self.result: QuarterKpis | None = None  # the session's quarter
        self.groups: list[GroupKpis] = []  # one per group of the view (none for the company)
        self.trends: GroupTrends = {}  # group → KPI → 8-quarter trend, for the view's groups
        self.view = COMPANY
        self.kpi = "revenue"  # the KPI under the cursor, kept across views
        self.shown_view: str | None = None  # the view the table's columns are for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield LoadingIndicator()
        yield KpiTable(cursor_type="cell", zebra_stripes=True, id="kpis")
        with Vertical(id="detail"):
            yield Static("", id="explain")
            yield TrendChart(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.app.data_changed.subscribe(self, lambda _token: self.reload())
        self.app.quarter_changed.subscribe(self, lambda _quarter: self.load())
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refill())
        self.query_one(TrendChart).set_class(self.app.size.height < SHORT_HEIGHT, "short")
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(TrendChart).set_class(event.size.height < SHORT_HEIGHT, "short")

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """The data changed on disk: load the history again."""
        self.inputs = None
        self.query_one(LoadingIndicator).display = True
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        from qsales_tui.analytics.kpi_inputs import KpiInputs
        from qsales_tui.analytics.kpis import breakdown, breakdown_trends, compute_all

        session = self.app.session
        view, quarter = self.view, session.quarter
        try:
            inputs = self.inputs or KpiInputs.from_store(session.store, session.today)
            result = compute_all(inputs, quarter)
            groups = breakdown(inputs, quarter, view) if view != COMPANY else []
            # ~60 ms on the demo data (400 customers, 8 quarters), so computed every time
            trends = breakdown_trends(inputs, quarter, view) if view != COMPANY else {}
        except QsalesError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, inputs, result, groups, trends, view)

    def _failed(self, message: str) -> None:
        self.query_one(LoadingIndicator).display = False
        self.query_one("#summary", Static).update(Text(message, style="bold"))

    def _show(
        self,
        inputs: KpiInputs,
        result: QuarterKpis,
        groups: list[GroupKpis],
        trends: GroupTrends,
        view: str,
    ) -> None:
        self.inputs, self.result, self.groups, self.trends = inputs, result, groups, trends
        self.query_one(LoadingIndicator).display = False
        progress = result.progress.text()
        self.query_one("#summary", Static).update(
            _("{progress} · {view}", progress=progress, view=view_label(view))
            if progress
            else _(
                "{quarter} as of {day} · {view}",
                quarter=result.quarter,
                day=result.as_of.isoformat(),
                view=view_label(view),
            )
        )
        rebuild = view != self.shown_view
        self.shown_view = view
        self.refill(rebuild=rebuild)

    # -- the table --------------------------------------------------------------------------

    def _colour(self, name: str) -> str:
        variables = self.app.get_css_variables()
        return variables.get(name.replace("_", "-"), "")

    def _cell(self, unit: str, figure: Figure) -> Text:
        if figure.value is None:
            return Text(DASH, style="dim", justify="right")
        text = format_figure(unit, figure.value, self.inputs.currency, compact=True)
        style = self._colour(figure.status) if figure.status else ""
        return Text(text, style=style, justify="right")

    def refill(self, rebuild: bool = True) -> None:
        if self.result is None:
            return
        from qsales_tui.analytics.kpis import KPIS, kpi_label, reason_text, status_text

        table = self.query_one("#kpis", DataTable)
        keep = table.cursor_coordinate
        if rebuild:
            table.clear(columns=True)
            if self.view == COMPANY:
                for key, title in COMPANY_COLUMNS:
                    table.add_column(_(title), key=key)
            else:
                table.add_column(view_label(self.view), key="group")
                for key in KPIS:
                    table.add_column(kpi_label(key), key=key)
            table.fixed_columns = 1
        else:
            table.clear()
        if self.view == COMPANY:
            spark = self._colour("primary")
            for key, kpi in self.result.kpis.items():
                current = kpi.current
                note = (
                    reason_text(current.reason)
                    if current.reason
                    else status_text(current.status)
                    if current.status
                    else _("to date")
                    if self.result.progress.is_to_date(key)
                    else ""
                )
                table.add_row(
                    kpi_label(key),
                    self._cell(kpi.unit, current),
                    self._cell(kpi.unit, kpi.previous),
                    Text(sparkline([value for _, value in kpi.trend]), style=spark),
                    Text(note, style=self._colour(current.status) if current.status else "dim"),
                    key=key,
                )
        else:
            for group in self.groups:
                name = label(group.name) if self.view in ("region", "segment") else group.name
                table.add_row(
                    name,
                    *(self._cell(KPIS[key], group.figures[key]) for key in KPIS),
                    key=group.group,
                )
        self._place_cursor(table, keep, rebuild)
        self.show_detail()

    def _place_cursor(self, table: DataTable, keep: Coordinate, rebuild: bool) -> None:
        from qsales_tui.analytics.kpis import KPIS

        if not table.row_count:
            return
        if not rebuild:
            table.move_cursor(row=min(keep.row, table.row_count - 1), column=keep.column)
        elif self.view == COMPANY:
            table.move_cursor(row=list(KPIS).index(self.kpi), column=1)
        else:
            table.move_cursor(row=0, column=list(KPIS).index(self.kpi) + 1)

    def _figure_at(self) -> tuple[str, str, Figure, dict[str, str], str] | None:
        """Under the cursor: (KPI, quarter, figure, drill-down filter, group name); the
        filter is ``{view: group}`` in a per-group view."""
        table = self.query_one("#kpis", DataTable)
        if self.result is None or not table.row_count:
            return None
        keys = table.coordinate_to_cell_key(table.cursor_coordinate)
        row, column = str(keys.row_key.value), str(keys.column_key.value)
        if self.view == COMPANY:
            kpi = self.result.kpis[row]
            if column == "previous":
                quarter = self.inputs.calendar.quarter(self.result.quarter).previous.name
                return row, quarter, kpi.previous, {}, ""
            return row, self.result.quarter, kpi.current, {}, ""
        if column == "group":
            return None
        group = next(group for group in self.groups if group.group == row)
        name = table.get_row(row)[0]
        return column, self.result.quarter, group.figures[column], {self.view: row}, str(name)

    @on(DataTable.CellHighlighted, "#kpis")
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """Explain the figure under the cursor and chart its KPI's trend for the row's
        group (the company's in the company view)."""
        from qsales_tui.analytics.kpis import KPIS, kpi_formula, kpi_label, reason_text
        from qsales_tui.reports.document import figure_entry

        found = self._figure_at()
        if found is None:
            return
        key, quarter, figure, filter, group = found
        self.kpi = key
        unit, currency = KPIS[key], self.inputs.currency
        kpi = self.result.kpis[key]
        text = Text()
        text.append(f"{group} · " if group else "")
        text.append(_("{kpi} {quarter}: ", kpi=kpi_label(key), quarter=quarter), style="bold")
        if figure.value is None:
            text.append(f"{DASH} ({reason_text(figure.reason)})", style="bold")
        else:
            text.append(format_figure(unit, figure.value, currency), style="bold")
            if quarter == self.result.quarter and self.result.progress.is_to_date(key):
                text.append(" (" + _("to date") + ")", style="bold")
        if self.view == COMPANY and figure is kpi.current:
            text.append(
                "  "
                + _(
                    "previous {value} ({change})",
                    value=format_figure(unit, kpi.previous.value, currency),
                    change=format_change(unit, figure.value, kpi.previous.value, currency),
                ),
                style="dim",
            )
        text.append("\n= " + kpi_formula(key), style="dim")
        terms = format_terms(key, figure_entry(figure), currency)
        if terms:
            text.append(f"\n= {terms}")
        self.query_one("#explain", Static).update(text)
        trend = self.trends[filter[self.view]][key] if filter else kpi.trend
        self.query_one(TrendChart).show(
            trend, lambda value: format_figure(unit, value, currency, compact=True)
        )

    # -- actions ----------------------------------------------------------------------------

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.notify(view_label(self.view), timeout=2)
        self.load()

    @on(DataTable.CellSelected, "#kpis")
    def open_rows(self) -> None:
        """The rows behind the figure under the cursor (enter)."""
        from qsales_tui.analytics.kpis import reason_text

        found = self._figure_at()
        if found is None:
            return
        key, quarter, figure, filter, group = found
        if figure.reason == "not_applicable":
            self.notify(reason_text(figure.reason), severity="warning")
            return
        self.app.push_screen(KpiRowsScreen(self.inputs, key, quarter, figure, filter, group))

    def export_request(self) -> tuple[str, Callable[[], ExportTable]] | None:
        """The table shown: the company's 8-quarter KPI table, or the view's per group."""
        if self.result is None or self.inputs is None:
            return None
        from qsales_tui.reports.tables import kpi_breakdown_table, kpi_trend_table

        inputs, quarter, view = self.inputs, self.result.quarter, self.view
        if view == COMPANY:
            return f"kpis-{quarter}", lambda: kpi_trend_table(inputs, quarter)
        return f"kpis-{view}-{quarter}", lambda: kpi_breakdown_table(inputs, quarter, view)


NAV = NavEntry(
    mode="kpis",
    key="4",
    label="KPI review",
    order=40,
    screen=KpiReviewScreen,
    help="The quarter's KPIs with trends, drill-down and export",
)
