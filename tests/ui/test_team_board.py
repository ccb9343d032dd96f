"""Pilot tests of the team board, the rep detail and team notes (fixture ``board_ctx``).

Figures hand-worked in tests/services/test_teamboard.py: R-0002 张伟 at 80 % earns
¥200 so far, R-0003 Lucy Li at 40 % earns nothing.
"""

from __future__ import annotations

import csv
import json

import pytest
from textual.widgets import DataTable, Input, Static

from qsales_tui.i18n import set_language
from qsales_tui.services.teamboard import TeamData
from qsales_tui.storage.store import Store
from qsales_tui.ui.screens.team_board import bar

SIZE = (100, 30)


def cells(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


def column(table: DataTable, key: str) -> int:
    return [str(k.value) for k in table.columns].index(key)


@pytest.fixture
def open_board(settle):
    async def open_(pilot):
        await pilot.press("3")
        await settle(pilot)
        return pilot.app.screen.query_one("#board", DataTable)

    return open_


def test_bar_fills_by_eighths_and_marks_the_expected_point():
    assert bar(None) == "········"
    assert bar(0) == "░░░░░░░░"
    assert bar(0.5) == "████░░░░"
    assert bar(1.7) == "████████"
    assert bar(0.53) == "████▎░░░"
    assert bar(0.25, expected=0.6) == "██░░┊░░░"  # behind: the tick shows where to be
    assert bar(0.8, expected=0.6) == "██████▍░"  # ahead: no tick inside the bar


async def test_board_sorts_and_drills_into_a_rep_statement(
    board_ctx, make_app, settle, open_board, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_board(pilot)
        assert [str(k.value) for k in table.rows] == ["team:T-0001", "R-0002", "R-0003"]
        payout = column(table, "payout_minor")
        assert cells(table, "R-0002")[payout] == "¥200"
        assert cells(table, "R-0002")[0] == "1"
        assert "80%" in cells(table, "R-0002")[column(table, "attainment")]
        assert cells(table, "team:T-0001")[payout] == "¥0"  # the manager's, below threshold
        # sort by payout: ascending puts Lucy (¥0) first, again for descending
        table.move_cursor(row=1, column=payout)
        await pilot.press("s")
        assert [str(k.value) for k in table.rows][1:] == ["R-0003", "R-0002"]
        await pilot.press("s")
        assert [str(k.value) for k in table.rows][1:] == ["R-0002", "R-0003"]
        # one list without team rows
        await pilot.press("g")
        assert [str(k.value) for k in table.rows] == ["R-0002", "R-0003"]
        # open 张伟: statement line by line, scorecard, discipline, training
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        profile = str(screen.query_one("#profile", Static).render())
        assert "张伟" in profile and "0 of 1" in profile
        assert "66.7% of the company goal" in profile  # ¥100,000 of ¥150,000
        statement = screen.query_one("#statement", DataTable)
        labels = [str(statement.get_row_at(i)[0]) for i in range(statement.row_count)]
        assert labels[0] == "Base commission" and labels[-1] == "Total"
        assert "Clawback: C-0002" in labels and "Grade multiplier" in labels
        assert str(statement.get_row_at(statement.row_count - 1)[3]) == "¥200.00"
        assert screen.query_one("#scorecard", DataTable).row_count == 5
        assert screen.query_one("#trainings", DataTable).row_count == 2
        await pilot.press("x", "j")
        await pilot.pause()
        rows = list(csv.DictReader((tmp_path / "payout-R-0002-2026-Q4.csv").open()))
        assert rows[-1]["amount_minor"] == "20000"
        document = json.loads((tmp_path / "payout-R-0002-2026-Q4.json").read_text())
        assert document["total_minor"] == 200_00
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#board", DataTable) is table


async def test_a_rep_sees_the_board_but_not_others_payouts(board_ctx, make_app, settle, open_board):
    board_ctx.os_user = "zhangwei"
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_board(pilot)
        payout = column(table, "payout_minor")
        assert cells(table, "R-0002")[payout] == "¥200"
        assert cells(table, "R-0003")[payout] == "—"
        assert cells(table, "R-0003")[column(table, "grade")] == "D"
        assert cells(table, "team:T-0001")[payout] == "—"  # the manager's pay is private
        table.move_cursor(row=2)
        await pilot.press("enter")
        await settle(pilot)
        note = str(app.screen.query_one("#statement-note", Static).render())
        assert "managers" in note
        assert app.screen.query_one("#statement", DataTable).row_count == 0
        assert "managers" in str(app.screen.query_one("#customers-note", Static).render())
        assert app.screen.query_one("#customers", DataTable).row_count == 0


async def test_a_note_posted_appears_on_the_board(board_ctx, make_app, settle, open_board):
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert "No team notes yet" in str(app.screen.query_one("#notes", Static).render())
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")  # empty: refused, nothing saved
        await pilot.pause()
        assert "Note" in str(app.screen.query_one("#note-error", Static).render())
        assert Store(board_ctx.data_dir).all("notes") == []
        app.screen.query_one("#note-text", Input).value = "华鑫续约已签 signed"
        await pilot.press("enter")
        await settle(pilot)
        notes = app.screen.query_one("#notes", DataTable)
        assert notes.row_count == 1 and str(notes.get_row_at(0)[1]) == "王经理"
        await pilot.press("escape")
        await settle(pilot)
        text = str(app.screen.query_one("#notes", Static).render())
        assert "王经理" in text and "华鑫续约已签 signed" in text
        (stored,) = Store(board_ctx.data_dir).all("notes")
        assert stored["author"] == "wangjl"


async def test_training_form_names_the_bad_field_then_saves(board_ctx, make_app, settle):
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        form = app.screen
        form.query_one("#course", Input).value = "Pricing 定价"
        form.query_one("#hours", Input).value = "lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(form.query_one("#error", Static).render()).startswith("Hours:")
        assert len(Store(board_ctx.data_dir).all("trainings")) == 2
        form.query_one("#hours", Input).value = "1.5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = [t for t in Store(board_ctx.data_dir).all("trainings") if t["hours"] == 1.5]
        assert [(t["rep_id"], t["course"], t["date"]) for t in saved] == [
            ("R-0001", "Pricing 定价", "2026-11-27")
        ]
        assert app.screen.query_one("#trainings", DataTable).row_count == 3


async def test_board_fits_80_by_24_in_chinese(board_ctx, make_app, settle, open_board):
    set_language("zh")
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_board(pilot)
        titles = [str(c.label) for c in table.columns.values()]
        assert titles[:2] == ["#", "销售"] and "提成" in titles
        assert "forecast_minor" not in [str(k.value) for k in table.columns]
        assert table.virtual_size.width <= table.size.width
        assert table.row_count == 3


def test_every_title_of_the_screens_tables_is_translated():
    """Titles reach _() through tables, where the literal check of test_i18n cannot see."""
    from qsales_tui.i18n import catalog
    from qsales_tui.ui.screens.rep_detail import SECTIONS
    from qsales_tui.ui.screens.team_board import COLUMNS
    from qsales_tui.ui.screens.team_notes import FIELD_LABELS, NOTE_COLUMNS, TRAINING_COLUMNS

    titles = {title for _key, title in COLUMNS if title != "#"}
    titles |= {text for _id, title, columns in SECTIONS for text in (title, *columns)}
    titles |= {*FIELD_LABELS.values(), *NOTE_COLUMNS, *TRAINING_COLUMNS}
    assert sorted(titles - set(catalog("zh"))) == []


async def test_a_teammates_sale_shows_without_a_restart_and_a_team_row_opens_its_manager(
    board_ctx, make_app, settle, open_board
):
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_board(pilot)
        actual = column(table, "actual_minor")
        assert cells(table, "R-0003")[actual] == "¥20.00K"
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
        app.data_changed.publish("another process wrote")
        await settle(pilot)
        assert cells(table, "R-0003")[actual] == "¥30.00K"
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        profile = str(app.screen.query_one("#profile", Static).render())
        assert "王经理" in profile and "R-0001" in profile
        note = str(app.screen.query_one("#statement-note", Static).render())
        assert "manager" in note


async def test_a_new_quarter_reuses_the_loaded_data_and_a_change_on_disk_reloads_it(
    board_ctx, make_app, settle, open_board, monkeypatch
):
    loads = []
    load = TeamData.load.__func__
    monkeypatch.setattr(
        TeamData,
        "load",
        classmethod(lambda cls, store, today: loads.append(today) or load(cls, store, today)),
    )
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert summary.startswith("2026-Q3 as of 2026-09-30")
        assert len(loads) == 1
        app.data_changed.publish("another process wrote")
        await settle(pilot)
        assert len(loads) == 2


async def test_a_directors_sale_shows_as_others_and_counts_in_the_summary(
    board_ctx, make_app, settle, open_board
):
    store = Store(board_ctx.data_dir, user="test")
    store.insert_many(
        "reps",
        [
            dict(
                id="R-0009",
                name="赵总",
                role="director",
                os_user="zhao",
                hired_on="2019-01-01",
                active=True,
            )
        ],
        audit=False,
    )
    store.insert_many(
        "sales",
        [
            dict(
                id="S-0090",
                date="2026-11-05",
                customer_id="C-0003",
                rep_id="R-0009",
                product="QS-Cloud",
                quantity=1,
                amount_minor=7_000_00,
            )
        ],
        audit=False,
    )
    app = make_app(board_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_board(pilot)
        assert [str(k.value) for k in table.rows] == [
            "team:T-0001",
            "R-0002",
            "R-0003",
            "team:others",
        ]
        others = cells(table, "team:others")
        assert others[column(table, "name")] == "▸ Others"
        assert others[column(table, "actual_minor")] == "¥7.00K"
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "¥107.00K of ¥150.00K" in summary  # the company's revenue, as in the KPI review
        table.move_cursor(row=3)
        await pilot.press("enter")  # nobody to open
        await settle(pilot)
        assert app.screen.query_one("#board", DataTable) is table
