"""Pilot tests of the extended customer detail on the tiny company (tests/conftest.py)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from qsales_tui.services.customers import parse_tags
from qsales_tui.ui.screens.customer_detail import CustomerDetailScreen
from qsales_tui.ui.screens.followup_forms import NeedNoteForm

SIZE = (100, 30)


def rows(app, table_id: str) -> list[list]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [table.get_row_at(i) for i in range(table.row_count)]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def huaxin(tiny_ctx):
    """华鑫科技 with two contacts, a won deal besides the open one, and an older call."""
    store = tiny_ctx.store
    for name, title in (("李娜", "财务总监"), ("Tom Zhao", "CTO")):
        store.insert(
            "contacts",
            {
                "customer_id": "C-0001",
                "name": name,
                "title": title,
                "phone": "+86 139 0000 0000",
                "email": "x@huaxin.cn",
            },
        )
    store.insert(
        "deals",
        {
            "name": "华鑫一期",
            "customer_id": "C-0001",
            "rep_id": "R-0002",
            "stage": "won",
            "probability": 1.0,
            "amount_minor": 80_000_00,
            "created_on": "2026-08-01",
            "expected_close": "2026-10-12",
            "status": "won",
            "closed_on": "2026-10-12",
        },
    )
    store.insert(
        "interactions",
        {
            "customer_id": "C-0001",
            "rep_id": "R-0002",
            "at": "2026-10-02T09:00:00+08:00",
            "channel": "visit",
            "note": "首次拜访",
            "outcome": "",
            "csat": None,
            "nps": None,
            "author": "R-0002",
        },
    )
    return tiny_ctx


async def open_detail(app, pilot, settle, customer_id: str = "C-0001") -> None:
    await settle(pilot)
    await app.push_screen(CustomerDetailScreen(customer_id))
    await settle(pilot)


async def test_detail_shows_contacts_open_deals_and_history_newest_first(huaxin, make_app, settle):
    app = make_app(huaxin, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, settle)
        assert [row[:2] for row in rows(app, "contacts")] == [
            ["Tom Zhao", "CTO"],
            ["李娜", "财务总监"],
        ]
        assert [row[0] for row in rows(app, "deals")] == ["华鑫扩容"]  # the won deal is not open
        history = rows(app, "history")
        assert [row[0] for row in history] == ["2026-11-20 10:00", "2026-10-02 09:00"]
        # authors stored as an OS user (older data) or a rep id both show the rep's name
        assert [row[6] for row in history] == ["张伟", "张伟"]
        assert history[0][2] == "续约沟通 下周报价"  # a multi-line note on one line
        assert "No needs noted yet" in text_of(app, "#needs")
        assert app.screen.query_one("#purchases-spark").data[-1] == 80_000
        assert "Next follow-up: —" in text_of(app, "#profile")


async def test_note_a_need_with_tags(huaxin, make_app, settle):
    store = huaxin.store
    app = make_app(huaxin, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, settle)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NeedNoteForm)
        app.screen.query_one("#tags", Input).value = "price"
        await pilot.press("ctrl+s")  # no text: the note field is named, nothing saved
        await pilot.pause()
        assert text_of(app, "#error").startswith("Note:")
        assert store.all("needs") == []
        app.screen.query_one("#text", TextArea).insert("需要中英文双语报表\nBilingual reports")
        app.screen.query_one("#tags", Input).value = "报表， support, 报表"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
        [need] = store.all("needs")
        assert need["customer_id"] == "C-0001" and need["author"] == "wangjl"
        assert need["text"] == "需要中英文双语报表\nBilingual reports"
        assert need["tags"] == ["报表", "support"]
        needs = text_of(app, "#needs")
        assert "需要中英文双语报表" in needs and "support" in needs and "王经理" in needs


async def test_a_rep_may_not_note_needs_of_someone_elses_customer(huaxin, make_app, settle):
    huaxin.os_user = "lucy"
    app = make_app(huaxin, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, settle)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#text", TextArea).insert("wants a discount")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "may only act on their own customers" in text_of(app, "#error")
    assert huaxin.store.all("needs") == []


async def test_log_a_contact_from_the_detail_and_undo_it(huaxin, make_app, settle):
    store = huaxin.store
    huaxin.os_user = "zhangwei"
    app = make_app(huaxin, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, settle)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"Demo booked")
        app.screen.query_one("#outcome", Input).value = "positive"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
        history = rows(app, "history")
        assert len(history) == 3 and history[0][0].startswith("2026-11-27")
        assert history[0][2] == "Demo booked" and history[0][6] == "张伟"
        # key account, cadence 14 days → Friday 2026-12-11
        assert "Next follow-up: F-" in text_of(app, "#profile")
        assert "due 2026-12-11" in text_of(app, "#profile")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(rows(app, "history")) == 2
    assert store.find("followups", customer_id="C-0001") == []


def test_tags_split_on_either_width_of_comma_and_drop_repeats():
    assert parse_tags("price, 交付；price、 售后 ,, ") == ["price", "交付", "售后"]
    assert parse_tags("  ") == []
