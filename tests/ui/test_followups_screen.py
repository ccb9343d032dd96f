"""Pilot tests of the follow-up queue on the tiny company (see tests/conftest.py).

The manager's team queue holds two follow-ups: F-0001 (恒达物流, 7 days overdue, high
priority, R-0002) above F-0002 (Northwind Ltd, due today, R-0003). 华鑫科技 was called a
week ago and 蓝海医疗 is a new lead, so neither is due by cadence.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, Static, TextArea

from qsales_tui.ui.screens.followup_forms import (
    ActionForm,
    AddFollowupForm,
    ConfirmScreen,
    LogInteractionForm,
)
from qsales_tui.ui.screens.followups import FollowupsScreen

SIZE = (100, 30)


def row_keys(app) -> list[str]:
    table = app.screen.query_one("#queue", DataTable)
    return [str(key.value) for key in table.rows]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_queue_order_parts_and_filters(tiny_ctx, make_app, settle):
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FollowupsScreen)
        assert row_keys(app) == ["F-0001", "F-0002"]
        table = app.screen.query_one("#queue", DataTable)
        assert table.get_row_at(0)[3] == "恒达物流"
        assert int(str(table.get_row_at(0)[0])) > int(str(table.get_row_at(1)[0]))
        parts = text_of(app, "#parts")
        assert "7 days overdue" in parts and "marked high priority" in parts
        assert "Last contact: —" in parts and "F-0001 due 2026-11-20" in parts
        assert "Scope: my team" in text_of(app, "#filters")
        # the panel follows the cursor
        await pilot.press("down")
        parts = text_of(app, "#parts")
        assert "Northwind Ltd" in parts and "87 days without contact" in parts
        assert "2026-09-01 (87 days ago)" in parts

        await pilot.press("o")  # overdue only
        await settle(pilot)
        assert row_keys(app) == ["F-0001"]
        await pilot.press("o", "g", "g")  # back to this week; segment key, then growth
        await settle(pilot)
        assert "Segment: growth" in text_of(app, "#filters")
        assert row_keys(app) == ["F-0001"]
        await pilot.press("g", "g")  # standard, then all segments again
        await settle(pilot)
        assert row_keys(app) == ["F-0001", "F-0002"]
        await pilot.press("m")  # everyone
        await settle(pilot)
        assert "Scope: everyone" in text_of(app, "#filters")
        assert row_keys(app) == ["F-0001", "F-0002"]
        await pilot.press("m")  # mine: the manager owns no customers
        await settle(pilot)
        assert row_keys(app) == []
        assert "Nothing due" in text_of(app, "#parts")
        await pilot.press("m")
        await settle(pilot)

        # incremental search: pinyin initials, English substring, Chinese
        await pilot.press("slash", "h", "d")
        await settle(pilot)
        assert row_keys(app) == ["F-0001"]
        app.screen.query_one("#search", Input).value = "north"
        await settle(pilot)
        assert row_keys(app) == ["F-0002"]
        app.screen.query_one("#search", Input).value = "恒达"
        await settle(pilot)
        assert row_keys(app) == ["F-0001"]
        await pilot.press("escape")
        await settle(pilot)
        assert row_keys(app) == ["F-0001", "F-0002"]


async def test_rep_logs_a_call_on_the_top_item_then_undoes_it(tiny_ctx, make_app, settle):
    tiny_ctx.os_user = "zhangwei"
    store = tiny_ctx.store
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Scope: mine" in text_of(app, "#filters")
        assert row_keys(app) == ["F-0001"]
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogInteractionForm)
        note = app.screen.query_one("#note", TextArea)
        await pilot.press(*"Quote sent", "enter")
        note.insert("客户确认续约 ✓")
        app.screen.query_one("#outcome", Input).value = "续约意向强"
        app.screen.query_one("#csat", Input).value = "4"
        app.screen.query_one("#nps", Input).value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, FollowupsScreen)
        assert row_keys(app) == []  # the item left the queue; the next one is after this week
        logged = [i for i in store.all("interactions") if i["customer_id"] == "C-0002"]
        assert len(logged) == 1
        interaction = logged[0]
        assert interaction["author"] == "zhangwei" and interaction["rep_id"] == "R-0002"
        assert interaction["at"].startswith("2026-11-27T")
        assert interaction["note"] == "Quote sent\n客户确认续约 ✓"
        assert (interaction["channel"], interaction["outcome"]) == ("call", "续约意向强")
        assert (interaction["csat"], interaction["nps"]) == (4, 9)
        assert store.get("followups", "F-0001")["status"] == "done"
        planned = store.find("followups", customer_id="C-0002", status="open")
        # growth cadence 30 days → Sunday 2026-12-27 → the next working day
        assert [(f["due"], f["rep_id"]) for f in planned] == [("2026-12-28", "R-0002")]
        assert any("Logged call with 恒达物流" in m and "2026-12-28" in m for m in messages(app))

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert row_keys(app) == ["F-0001"]
        assert store.get("followups", "F-0001")["status"] == "open"
        assert not [i for i in store.all("interactions") if i["customer_id"] == "C-0002"]
        assert store.find("followups", customer_id="C-0002", status="open")[0]["id"] == "F-0001"
        assert any(m.startswith("Undone: log call with 恒达物流") for m in messages(app))
        await pilot.press("ctrl+z")  # only once
        assert messages(app)[-1] == "Nothing to undo."


async def test_mark_done_needs_an_outcome_and_reschedule_by_quick_pick(tiny_ctx, make_app, settle):
    store = tiny_ctx.store
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Outcome: say how it went" in text_of(app, "#error")
        assert store.get("followups", "F-0001")["status"] == "open"
        await pilot.press(*"signed", "enter")
        await settle(pilot)
        done = store.get("followups", "F-0001")
        assert (done["status"], done["outcome"]) == ("done", "signed")
        assert row_keys(app) == ["F-0002"]

        await pilot.press("s")
        await settle(pilot)
        assert app.screen.query_one("#picks", OptionList).highlighted == 0
        await pilot.press("enter")  # tomorrow
        await settle(pilot)
        assert store.get("followups", "F-0002")["due"] == "2026-11-28"
        table = app.screen.query_one("#queue", DataTable)
        assert str(table.get_row_at(0)[1]) == "this week"
        assert messages(app)[-1].startswith("Follow-up F-0002 moved to 2026-11-28.")

        await pilot.press("s")
        await settle(pilot)
        await pilot.press("down", "enter")  # +3 days: Monday, after this week
        await settle(pilot)
        assert store.get("followups", "F-0002")["due"] == "2026-11-30"
        assert row_keys(app) == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert store.get("followups", "F-0002")["due"] == "2026-11-28"


async def test_add_with_a_past_date_asks_first(tiny_ctx, make_app, settle):
    store = tiny_ctx.store
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "a")
        await settle(pilot)
        assert isinstance(app.screen, AddFollowupForm)
        app.screen.query_one("#due", Input).value = "2026-11-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "2026-11-01 is in the past" in text_of(app, "#question")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, AddFollowupForm)
        assert len(store.find("followups", customer_id="C-0003")) == 1  # nothing saved
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, FollowupsScreen)
        added = [f for f in store.find("followups", customer_id="C-0003") if f["id"] != "F-0002"]
        assert [(f["due"], f["rep_id"], f["status"]) for f in added] == [
            ("2026-11-01", "R-0003", "open")
        ]
        assert added[0]["id"] in row_keys(app)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("csat", "7", "CSAT: must be a whole number from 1 to 5 (7)"),
        ("nps", "11", "NPS: must be a whole number from 0 to 10 (11)"),
        ("csat", "good", "CSAT: must be a whole number from 1 to 5 (good)"),
    ],
)
async def test_bad_scores_name_the_field_and_save_nothing(
    tiny_ctx, make_app, settle, field, value, named
):
    store = tiny_ctx.store
    before = len(store.all("interactions"))
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LogInteractionForm)
        assert named in text_of(app, "#error")
        assert app.screen.query_one(f"#{field}", Input).has_class("-invalid")
        await pilot.press("escape")
        await settle(pilot)
    assert len(store.all("interactions")) == before
    assert store.get("followups", "F-0001")["status"] == "open"


@pytest.mark.parametrize("typed", ["2026-02-30", "someday", ""])
async def test_impossible_dates_name_the_field(tiny_ctx, make_app, settle, typed):
    store = tiny_ctx.store
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#due", Input).value = typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionForm)
        assert text_of(app, "#error").startswith("Due date: not a date")
    assert store.get("followups", "F-0001")["due"] == "2026-11-20"
    assert store.get("followups", "F-0001")["_v"] == 1


async def test_a_rep_cannot_reassign_or_widen_the_scope(tiny_ctx, make_app, settle):
    tiny_ctx.os_user = "zhangwei"
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, FollowupsScreen)
        assert messages(app)[-1] == "only managers may reassign follow-ups"
        await pilot.press("m")
        await settle(pilot)
        assert messages(app)[-1] == "only managers see other reps' follow-ups"
        assert "Scope: mine" in text_of(app, "#filters")
    assert tiny_ctx.store.get("followups", "F-0001")["rep_id"] == "R-0002"


async def test_a_manager_reassigns(tiny_ctx, make_app, settle):
    store = tiny_ctx.store
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Rep: choose a rep" in text_of(app, "#error")
        app.screen.query_one("#rep", Select).value = "R-0003"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert store.get("followups", "F-0001")["rep_id"] == "R-0003"
        table = app.screen.query_one("#queue", DataTable)
        assert table.get_row_at(0)[5] == "Lucy Li"
        assert messages(app)[-1].startswith("Follow-up F-0001 now with Lucy Li.")


async def test_open_the_customer_from_the_queue(tiny_ctx, make_app, settle):
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "恒达物流" in text_of(app, "#profile")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FollowupsScreen)


async def test_chinese_at_80_by_24(tiny_ctx, make_app, settle):
    from qsales_tui.i18n import set_language

    set_language("zh")
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[:3] == ["分数", "时间", "到期"]
        assert str(table.get_row_at(0)[1]) == "已逾期"
        assert "范围：我的团队" in text_of(app, "#filters")
        parts = app.screen.query_one("#parts")
        assert "逾期 7 天" in text_of(app, "#parts")
        assert parts.region.bottom <= 23 and parts.region.height >= 4  # above the footer
        assert table.region.height >= 3
        await pilot.press("p")  # the panel hides to give the table the room
        await pilot.pause()
        assert not parts.display
        await pilot.press("l")
        await settle(pilot)
        form = app.screen.query_one("#save")
        assert form.region.bottom <= 24  # the whole form fits


async def test_a_snoozed_item_leaves_the_top(tiny_ctx, make_app, settle):
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert row_keys(app) == ["F-0001", "F-0002"]
        await pilot.press("s", "enter")  # F-0001 (highest score) to tomorrow
        await settle(pilot)
        assert row_keys(app) == ["F-0002", "F-0001"]  # what is due now comes first
        assert app.screen.query_one("#queue", DataTable).cursor_row == 0  # on the next item
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert row_keys(app) == ["F-0001", "F-0002"]


async def test_the_queue_follows_changes_by_others(tiny_ctx, make_app, settle):
    from qsales_tui.storage.store import Store

    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        other = Store(tiny_ctx.data_dir, user="lucy")  # another process, same data
        added = other.insert(
            "followups",
            {
                "customer_id": "C-0004",
                "rep_id": "R-0003",
                "due": "2026-11-26",
                "priority": "normal",
                "status": "open",
                "created_at": "2026-11-27T08:00:00+08:00",
            },
        )
        app.data_changed.publish(other.change_token())
        await settle(pilot)
        assert added["id"] in row_keys(app)


async def test_an_unmapped_user_browses_everyone_but_saves_nothing(tiny_ctx, make_app, settle):
    tiny_ctx.os_user = "nobody"
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Scope: everyone" in text_of(app, "#filters")
        assert row_keys(app) == ["F-0001", "F-0002"]
        await pilot.press("d")
        await settle(pilot)
        await pilot.press(*"called")
        await pilot.press("enter")
        await settle(pilot)
        assert "not mapped to an active rep" in text_of(app, "#error")
    assert tiny_ctx.store.get("followups", "F-0001")["status"] == "open"


async def test_a_note_survives_a_follow_up_finished_by_someone_else(tiny_ctx, make_app, settle):
    """Another user finishes the follow-up while the log form is open: the note is kept
    and saved on its own at the second ctrl+s (found by the new-user run: it was lost)."""
    from qsales_tui.services.followups import Desk, mark_done

    tiny_ctx.os_user = "zhangwei"
    store = tiny_ctx.store
    app = make_app(tiny_ctx, start_mode="followups")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogInteractionForm)
        form.query_one("#note", TextArea).insert("报价已发，等回复")
        # meanwhile the manager finishes F-0001 from another terminal
        manager = type(tiny_ctx)(
            data_dir=tiny_ctx.data_dir, today_override=tiny_ctx.today, os_user="wangjl"
        )
        mark_done(Desk.from_context(manager), "F-0001", "called them myself")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open, nothing lost
        assert "press ctrl+s again" in str(form.query_one("#error", Static).render())
        assert form.query_one("#note", TextArea).text == "报价已发，等回复"
        assert not [i for i in store.all("interactions") if i["note"] == "报价已发，等回复"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FollowupsScreen)
    (saved,) = [i for i in store.all("interactions") if i["note"] == "报价已发，等回复"]
    assert saved["author"] == "zhangwei" and saved["customer_id"] == "C-0002"
    assert store.get("followups", "F-0001")["outcome"] == "called them myself"
