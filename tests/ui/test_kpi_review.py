"""Pilot tests of the KPI review (key 4), its drill-down to rows, the export, and the
trend drawing. Figures are compared with the KPI engine's for the same data: the
screen must show what the report shows. The tiny company (tests/conftest.py) has no
market sizes and no previous year, so those figures are "—" with a reason.
"""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from textual.widgets import DataTable, Input, Static

from qsales_tui.analytics.drilldown import row_totals, rows_behind
from qsales_tui.analytics.kpi_inputs import KpiInputs
from qsales_tui.analytics.kpi_sample import sample_inputs
from qsales_tui.analytics.kpis import KPIS, compute_all, reason_text
from qsales_tui.i18n import catalog, set_language
from qsales_tui.reports.formatting import format_figure
from qsales_tui.storage.store import Store
from qsales_tui.ui.screens.kpi_review import KpiReviewScreen
from qsales_tui.ui.screens.kpi_rows import COLUMN_TITLES, ExportScreen, KpiRowsScreen
from qsales_tui.ui.widgets.trend_chart import bar_columns, quarter_label, sparkline

SIZE = (100, 30)


def text(table: DataTable, row: str, column: str) -> str:
    return str(table.get_cell(row, column))


def shown(unit: str, value) -> str:
    return format_figure(unit, value, "CNY", compact=True)


def explain(screen) -> str:
    return str(screen.query_one("#explain", Static).render())


def engine_figures(ctx, quarter: str):
    return compute_all(KpiInputs.from_store(ctx.store, ctx.today), quarter).kpis


@pytest.fixture
def open_review(settle):
    async def open_(pilot) -> DataTable:
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(pilot.app.screen, KpiReviewScreen)
        return pilot.app.screen.query_one("#kpis", DataTable)

    return open_


def assert_shows_engine_figures(table: DataTable, kpis) -> None:
    assert [str(key.value) for key in table.rows] == list(KPIS)
    for key, kpi in kpis.items():
        assert text(table, key, "value") == shown(kpi.unit, kpi.current.value), key
        assert text(table, key, "previous") == shown(kpi.unit, kpi.previous.value), key
        assert text(table, key, "trend") == sparkline([value for _, value in kpi.trend]), key
        if kpi.current.reason:
            assert text(table, key, "note") == reason_text(kpi.current.reason), key


# -- the review -----------------------------------------------------------------------------


async def test_review_shows_every_kpi_with_previous_value_trend_and_workings(
    board_ctx, make_app, open_review
):
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        kpis = engine_figures(board_ctx, "2026-Q4")
        assert_shows_engine_figures(table, kpis)
        assert text(table, "revenue", "value") == "¥100.00K"
        assert text(table, "pace", "note") == "on track"  # ¥100,000 of ¥97,619 expected
        # the panel explains the figure under the cursor (revenue at first)
        assert "Revenue 2026-Q4: ¥100,000.00" in explain(app.screen)
        assert "previous ¥165,000.00" in explain(app.screen)
        table.move_cursor(row=list(KPIS).index("churn_rate"), column=1)
        await pilot.pause()
        workings = explain(app.screen)
        assert "Churn rate 2026-Q4: 33.3%" in workings
        assert "churned customers ÷ customers active at the start" in workings
        assert "= 1 ÷ 3" in workings
        chart = app.screen.query_one("#chart")
        assert chart.trend == kpis["churn_rate"].trend
        drawn = str(chart.render()).splitlines()
        assert drawn[-2].split() == [name for name, _ in kpis["churn_rate"].trend]
        assert drawn[-1].split()[-2:] == ["0.0%", "33.3%"]  # Q3, Q4 under their bars
        assert "█" in "".join(drawn[:-2])


async def test_switching_quarter_updates_every_figure(board_ctx, make_app, open_review, settle):
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        assert text(table, "revenue", "value") == "¥100.00K"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        q3 = engine_figures(board_ctx, "2026-Q3")
        assert_shows_engine_figures(table, q3)
        assert text(table, "revenue", "value") == "¥165.00K"
        assert text(table, "customers_new", "value") == "2"
        assert text(table, "attainment", "value") == "—"  # no Q3 goal
        assert "2026-Q3" in str(app.screen.query_one("#summary", Static).render())
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert text(table, "revenue", "value") == "¥100.00K"
        assert text(table, "customers_churned", "value") == "1"


async def test_a_change_on_disk_reloads_the_history(board_ctx, make_app, open_review, settle):
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        assert text(table, "revenue", "value") == "¥100.00K"
        Store(board_ctx.data_dir, user="lucy").insert(
            "sales",
            {
                "date": "2026-11-26",
                "customer_id": "C-0003",
                "rep_id": "R-0003",
                "product": "QS-Cloud",
                "quantity": 1,
                "amount_minor": 10_000_00,
            },
        )
        app.data_changed.publish("test")
        await settle(pilot)
        assert text(table, "revenue", "value") == "¥110.00K"
        assert text(table, "revenue", "value") == shown(
            "money", engine_figures(board_ctx, "2026-Q4")["revenue"].value
        )


async def test_edge_cases_show_a_dash_with_the_reason(tiny_ctx, make_app, open_review, settle):
    store = Store(tiny_ctx.data_dir, user="test")
    store.insert(
        "goals",
        {
            "quarter": "2026-Q4",
            "metric": "revenue",
            "scope": "company",
            "target": 0,
            "status": "active",
        },
    )
    store.insert_many(
        "reps",
        [
            {
                "id": "R-0004",
                "name": "New Hire 新人",
                "team_id": "T-0001",
                "role": "rep",
                "os_user": "newhire",
                "hired_on": "2026-11-01",
                "active": True,
            }
        ],
        audit=False,
    )
    app = make_app(tiny_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        for key, reason in [
            ("market_share", "no market size entered for this quarter"),
            ("revenue_yoy", "no revenue in the same quarter last year"),
            ("attainment", "the target is zero"),
            ("win_rate_count", "no deals closed in the quarter"),
        ]:
            assert text(table, key, "value") == "—"
            assert text(table, key, "note") == reason
        table.move_cursor(row=list(KPIS).index("market_share"), column=1)
        await pilot.pause()
        assert "— (no market size entered for this quarter)" in explain(app.screen)
        # a rep with no sales: revenue 0, growth "—" with why
        await pilot.press("d")
        await settle(pilot)
        assert "R-0004" in [str(key.value) for key in table.rows]
        assert text(table, "R-0004", "revenue") == "¥0"
        assert text(table, "R-0004", "revenue_qoq") == "—"
        table.move_cursor(
            row=table.get_row_index("R-0004"), column=table.get_column_index("revenue_qoq")
        )
        await pilot.pause()
        assert (
            "New Hire 新人 · Growth QoQ 2026-Q4: — (no revenue in the previous quarter)"
            in explain(app.screen)
        )


# -- a quarter in progress, one not started, a group's trend ----------------------------------


def summary(screen) -> str:
    return str(screen.query_one("#summary", Static).render())


async def test_a_quarter_in_progress_says_so_and_compares_like_with_like(
    board_ctx, make_app, open_review, settle
):
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        assert "2026-Q4 in progress: 42 of 66 working days (64%); figures are to date" in (
            summary(app.screen)
        )
        for key in ("revenue_qoq", "net_revenue_retention", "churn_rate"):
            assert text(table, key, "note") == "to date", key
        assert text(table, "revenue", "note") == ""
        assert text(table, "pace", "note") == "on track"  # a status wins over "to date"
        # Q3 up to its 42nd working day (08-27): ¥120,000 + ¥30,000; Q4 ¥100,000
        assert text(table, "revenue_qoq", "value") == "-39.4%"  # against Q3's ¥165,000
        assert text(table, "revenue_qoq_to_date", "value") == "-33.3%"
        assert text(table, "revenue_qoq_to_date", "note") == ""
        table.move_cursor(row=list(KPIS).index("revenue_qoq_to_date"), column=1)
        await pilot.pause()
        workings = explain(app.screen)
        assert "Growth QoQ, same point 2026-Q4: -33.3%" in workings
        assert "= -¥50,000.00 ÷ ¥150,000.00 (compared up to 2026-08-27)" in workings
        table.move_cursor(row=list(KPIS).index("revenue_qoq"), column=1)
        await pilot.pause()
        assert "Growth QoQ 2026-Q4: -39.4% (to date)" in explain(app.screen)
        # the rows behind it: both quarters' lines, the compared ones marked
        table.move_cursor(row=list(KPIS).index("revenue_qoq_to_date"), column=1)
        await pilot.press("enter")
        await settle(pilot)
        sums = str(app.screen.query_one("#sums", Static).render())
        assert "Σ amount this quarter: ¥100,000.00 · Σ amount compared: ¥150,000.00" in sums
        assert app.screen.query_one("#rows", DataTable).row_count == 4


async def test_a_quarter_not_started_shows_a_dash_with_the_reason(
    board_ctx, make_app, open_review, settle
):
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "2027-Q1 has not started: only its targets and pipeline are shown" in (
            summary(app.screen)
        )
        for key in (
            "revenue",
            "revenue_qoq",
            "revenue_yoy",
            "churn_rate",
            "net_revenue_retention",
            "nps",
            "win_rate_count",
        ):
            assert text(table, key, "value") == "—", key
            assert text(table, key, "note") == "the quarter has not started", key
        # D-0001 is expected to close in December: nothing in the pipeline for 2027-Q1
        assert text(table, "pipeline_forecast", "value") == "¥0"
        assert text(table, "revenue", "previous") == "¥100.00K"  # Q4 so far
        assert_shows_engine_figures(table, engine_figures(board_ctx, "2027-Q1"))


async def test_the_chart_follows_the_selected_group(board_ctx, make_app, open_review, settle):
    from qsales_tui.analytics.kpis import breakdown_trends

    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        chart = app.screen.query_one("#chart")
        company = engine_figures(board_ctx, "2026-Q4")["revenue"].trend
        assert chart.trend == company
        await pilot.press("d")  # by rep
        await settle(pilot)
        trends = breakdown_trends(
            KpiInputs.from_store(board_ctx.store, board_ctx.today), "2026-Q4", "rep"
        )
        for rep, last_three in (
            ("R-0002", [100_000_00, 150_000_00, 80_000_00]),
            ("R-0003", [0, 15_000_00, 20_000_00]),
        ):
            table.move_cursor(
                row=table.get_row_index(rep), column=table.get_column_index("revenue")
            )
            await pilot.pause()
            assert chart.trend == trends[rep]["revenue"]
            assert [value for _, value in chart.trend][-3:] == last_three
        table.move_cursor(column=table.get_column_index("churn_rate"))
        await pilot.pause()
        assert chart.trend == trends["R-0003"]["churn_rate"]
        assert str(chart.render()).splitlines()[-1].split()[-1] == "0.0%"


async def test_a_change_is_the_difference_of_the_values_shown(board_ctx, make_app, open_review):
    # Q4: 1 promoter among 12 answers → NPS 8.33, shown +8; Q3: 5 detractors among 48
    # → −10.42, shown −10. The change shown is +18 (8 − (−10)), not +19 (18.75).
    def answer(n: int, day: str, nps: int) -> dict:
        return dict(
            id=f"I-{n:04d}",
            customer_id="C-0001",
            rep_id="R-0002",
            at=f"{day}T10:00:00+08:00",
            channel="call",
            csat=None,
            nps=nps,
        )

    answers = [answer(10 + i, "2026-11-02", 7) for i in range(11)]
    answers += [answer(30 + i, "2026-08-03", 3 if i < 5 else 8) for i in range(48)]
    Store(board_ctx.data_dir, user="test").insert_many("interactions", answers, audit=False)
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        assert (text(table, "nps", "value"), text(table, "nps", "previous")) == ("+8", "-10")
        table.move_cursor(row=list(KPIS).index("nps"), column=1)
        await pilot.pause()
        assert "previous -10 (+18)" in explain(app.screen)


# -- drill-down -------------------------------------------------------------------------------


async def test_drill_down_reaches_rows_that_add_up_to_the_figure(
    board_ctx, make_app, open_review, settle
):
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        await pilot.press("enter")  # revenue, this quarter
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KpiRowsScreen)
        rows = screen.query_one("#rows", DataTable)
        assert sorted(str(rows.get_cell_at((i, 0))) for i in range(rows.row_count)) == [
            "S-0005",
            "S-0006",
        ]
        sums = str(screen.query_one("#sums", Static).render())
        assert "Revenue = ¥100,000.00" in sums and "Σ amount: ¥100,000.00" in sums
        await pilot.press("escape")
        # the previous quarter's figure, from the Previous column
        table.move_cursor(column=2)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#rows", DataTable).row_count == 3
        assert "Σ amount: ¥165,000.00" in str(app.screen.query_one("#sums", Static).render())
        await pilot.press("escape")
        # by rep: 张伟's churn is C-0002 of the two customers he had active at the start
        await pilot.press("d")
        await settle(pilot)
        assert text(table, "R-0002", "churn_rate") == "50.0%"
        table.move_cursor(
            row=table.get_row_index("R-0002"), column=table.get_column_index("churn_rate")
        )
        await pilot.press("enter")
        await settle(pilot)
        rows = app.screen.query_one("#rows", DataTable)
        assert rows.row_count == 2
        sums = str(app.screen.query_one("#sums", Static).render())
        assert "张伟" in str(app.screen.query_one("#title", Static).render())
        assert "Σ churned: 1 · Rows: 2" in sums and "= 1 ÷ 2" in sums


async def test_a_figure_a_dimension_cannot_carry_has_no_rows(
    board_ctx, make_app, open_review, settle
):
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_review(pilot)
        for _ in range(4):  # rep → team → region → product
            await pilot.press("d")
            await settle(pilot)
        group = str(next(iter(table.rows)).value)
        assert text(table, group, "churn_rate") == "—"
        table.move_cursor(row=0, column=table.get_column_index("churn_rate"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KpiReviewScreen)  # stays: nothing behind it
        assert "not available for this dimension" in explain(app.screen)


def expected_sums(kpi: str, kpis) -> list:
    """What the sums of the rows behind ``kpi`` must come to, from the engine's figures."""
    figure = kpis[kpi].current
    if kpi in ("revenue", "customers_active_start", "customers_new", "customers_churned"):
        return [figure.value]
    if kpi in ("revenue_qoq", "revenue_yoy"):  # this quarter's lines: the revenue
        return [kpis["revenue"].value]
    if kpi in ("revenue_qoq_to_date", "revenue_yoy_to_date"):  # both quarters' lines
        return [kpis["revenue"].value, figure.denominator]
    if kpi == "market_share_change":  # this quarter's lines: the market share's sales
        return [kpis["market_share"].current.numerator]
    if kpi == "nps":
        return [figure.terms["promoters"], figure.terms["detractors"], figure.denominator]
    if kpi in ("pipeline_forecast", "pipeline_coverage"):
        terms = kpis["pipeline_forecast"].current.terms
        return [terms["open_pipeline_minor"], terms["weighted_pipeline_minor"]]
    if kpi in ("attainment", "pace", "run_rate_forecast", "market_share"):
        return [figure.numerator]
    return [figure.numerator, figure.denominator]


@pytest.mark.parametrize("kpi", list(KPIS))
def test_row_sums_are_the_figures_numerator_and_denominator(kpi):
    inputs = sample_inputs()
    kpis = compute_all(inputs, "2026-Q4").kpis
    totals = row_totals(kpi, rows_behind(inputs, kpi, "2026-Q4"))
    expected = expected_sums(kpi, kpis)
    assert None not in expected  # the sample has data behind every KPI
    assert [value for _label, value, _unit in totals] == expected
    if kpi == "pipeline_coverage":
        assert totals[0][1] == kpis[kpi].current.numerator


def test_every_column_title_and_sum_label_has_a_chinese_translation():
    zh = catalog("zh")
    labels = {
        label
        for kpi in KPIS
        for label, _value, _unit in row_totals(kpi, rows_behind(sample_inputs(), kpi, "2026-Q4"))
    }
    assert not [title for title in [*COLUMN_TITLES.values(), *labels] if title not in zh]


# -- export -----------------------------------------------------------------------------------


async def test_export_writes_the_table_shown_and_refuses_a_bad_name(
    board_ctx, make_app, open_review, settle, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("x")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ExportScreen)
        field = modal.query_one("#path", Input)
        assert field.value == "kpis-2026-Q4.csv"
        field.value = "kpis.txt"
        await pilot.press("enter")
        await pilot.pause()
        assert "must end in .csv, .xlsx or .json" in str(modal.query_one("#error", Static).render())
        field.value = "missing/kpis.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert "No such folder" in str(modal.query_one("#error", Static).render())
        assert list(out.iterdir()) == []
        field.value = "kpis-2026-Q4.csv"
        await pilot.press("enter")
        await settle(pilot)
        written = (out / "kpis-2026-Q4.csv").read_text(encoding="utf-8-sig").splitlines()
        rows = {row["quarter"]: row for row in csv.DictReader(written)}
        assert rows["2026-Q4"]["revenue_minor"] == "10000000"
        assert rows["2026-Q3"]["revenue_minor"] == "16500000"
        assert any("kpis-2026-Q4.csv" in str(n.message) for n in app._notifications)
        # the per-rep table as XLSX: numbers as numbers
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(out / "reps.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        sheet = openpyxl.load_workbook(out / "reps.xlsx").active
        header = [cell.value for cell in sheet[1]]
        by_rep = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert by_rep["R-0002"][header.index("revenue_minor")] == 8_000_000
        # the rows behind a figure as JSON
        await pilot.press("d")  # back round to … team
        await settle(pilot)
        for _ in range(4):
            await pilot.press("d")
            await settle(pilot)
        assert str(next(iter(app.screen.query_one("#kpis", DataTable).columns)).value) == "kpi"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = "rows.json"
        await pilot.press("enter")
        await settle(pilot)
        document = json.loads((out / "rows.json").read_text(encoding="utf-8"))
        assert document["quarter"] == "2026-Q4"
        assert sum(row["amount_minor"] for row in document["rows"]) == 10_000_000


# -- small terminals, Chinese ----------------------------------------------------------------


async def test_review_in_chinese_at_80_by_24(board_ctx, make_app, open_review, settle):
    set_language("zh")
    app = make_app(board_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_review(pilot)
        assert text(table, "revenue", "kpi") == "销售额"
        assert text(table, "market_share", "note") == "本季度未录入市场规模"
        explanation = explain(app.screen)
        assert "销售额 2026-Q4：" in explanation or "销售额 2026-Q4: " in explanation
        assert table.size.height >= 8  # the table keeps room to scroll through every KPI
        table.move_cursor(row=len(KPIS) - 1)
        await pilot.pause()
        assert table.cursor_row == len(KPIS) - 1
        assert "销售周期" in explain(app.screen)
        await pilot.press("d")
        await settle(pilot)
        assert str(table.ordered_columns[0].label) == "按销售"


# -- drawing ----------------------------------------------------------------------------------


def test_sparkline_spans_lowest_to_highest_and_marks_missing_quarters():
    assert sparkline([0, 7, 3.5, None]) == "▁█▅·"
    assert sparkline([5, 5]) == "▄▄"
    assert sparkline([None, None]) == "··"


def test_bars_share_a_zero_line_and_hang_negative_values_below_it():
    up, down, missing = bar_columns([2, -1, None], rows=3)
    assert [cell for cell, _ in up] == ["█", "█", " "]  # two rows above zero, full
    assert down[2] == ("█", False)  # the row below zero, filled down from the line
    assert [cell for cell, _ in down[:2]] == [" ", " "]
    assert missing[1] == ("·", False)
    (half,) = bar_columns([-0.25, -1], rows=2)[:1]
    assert half == [("▄", True), (" ", False)]  # half a cell from the top: drawn inverted


def test_quarter_labels_shrink_to_fit():
    assert quarter_label("2026-Q4", 8) == "2026-Q4"
    assert quarter_label("2026-Q4", 5) == "26Q4"
    assert quarter_label("2026-Q4", 3) == "Q4"


async def test_a_rep_drilling_down_sees_only_rows_about_their_customers(
    board_ctx, make_app, open_review, settle
):
    board_ctx.os_user = "lucy"  # R-0003 owns C-0003 and C-0004; S-0006 is hers, S-0005 not
    app = make_app(board_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("enter")  # revenue, this quarter: the company's figure
        await settle(pilot)
        rows = app.screen.query_one("#rows", DataTable)
        assert [str(rows.get_cell_at((i, 0))) for i in range(rows.row_count)] == ["S-0006"]
        sums = str(app.screen.query_one("#sums", Static).render())
        assert "Revenue = ¥100,000.00" in sums
        assert "Rows about colleagues' customers are not shown (1)" in sums
