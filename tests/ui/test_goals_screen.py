"""Pilot tests of the goals list and a goal's detail on the tiny company (today 2026-11-27).

The goal saved here: ¥300,000 for 2026-Q4, months by working days, allocated evenly to
张伟 and Lucy Li. Sales so far in the quarter: ¥100,000.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from qsales_tui.context import Context
from qsales_tui.domain.goals import GoalDraft
from qsales_tui.domain.money import format_money
from qsales_tui.i18n import set_language
from qsales_tui.services.goals import goal_progress, save_goal
from qsales_tui.ui.screens.goal_wizard import GoalWizardScreen
from qsales_tui.ui.screens.goals import GoalDetailScreen

SIZE = (100, 30)
TARGET = 300_000_00


@pytest.fixture
def saved_goal(tiny_ctx):
    draft = GoalDraft(
        quarter="2026-Q4",
        target=TARGET,
        objective="Own East",
        why="growth",
        allocation_method="even",
        acknowledgements={"stretch": "big renewal", "rep_stretch:R-0003": "takes on C-0004"},
    )
    return save_goal(tiny_ctx, draft)


def row_of(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


async def test_list_shows_the_goal_with_progress_and_opens_it(
    tiny_ctx, saved_goal, make_app, settle
):
    progress = goal_progress(tiny_ctx, saved_goal)
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#goals", DataTable)
        assert table.row_count == 1
        row = row_of(table, saved_goal["id"])
        expected = f"¥{progress.expected_to_date / 100_000:.2f}K"
        assert row[:4] == [saved_goal["id"], "¥300.00K", expected, "¥100.00K"]
        pace = progress.actual_to_date / progress.expected_to_date
        assert row[4] == f"{pace * 100:.0f}%"
        assert row[5] == "off track"  # ¥100K against ¥177K expected
        assert row[6] == "Grow the company revenue to ¥300.00K in 2026-Q4"

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GoalDetailScreen)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Own East" in summary and "⚑ Stretch: big renewal" in summary
        assert "⚑ Stretch for Lucy Li (R-0003): takes on C-0004" in summary
        months = app.screen.query_one("#months", DataTable)
        assert [row_of(months, key)[1] for key in months.rows] == [
            format_money(amount, "CNY", compact=True) for amount in saved_goal["split"].values()
        ]
        assert row_of(months, "2026-12")[3] == "¥300.00K"  # cumulative
        weeks = app.screen.query_one("#weeks", DataTable)
        assert weeks.row_count == len(saved_goal["split_weeks"])
        reps = app.screen.query_one("#reps", DataTable)
        assert row_of(reps, "R-0002")[:3] == ["张伟", "¥150.00K", "¥80.00K"]

        # e from the detail re-runs the wizard with the goal's values
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, GoalWizardScreen)
        assert app.screen.draft.goal_id == saved_goal["id"]
        assert app.screen.draft.target == TARGET
        assert app.screen.draft.allocation_method == "even"


async def test_edit_saves_the_same_goal_and_the_list_follows(
    tiny_ctx, saved_goal, make_app, settle
):
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, GoalWizardScreen)
        assert "Edit goal" in str(wizard.query_one("#wizard-title", Static).render())
        await pilot.press("ctrl+n")
        await settle(pilot)
        wizard.query_one("#target").value = "320000"
        for _step in range(6):
            await pilot.press("ctrl+n")
            await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#goals", DataTable)
        assert table.row_count == 1
        assert row_of(table, saved_goal["id"])[1] == "¥320.00K"
    goals = tiny_ctx.store.all("goals")
    assert [goal["target"] for goal in goals] == [320_000_00]
    assert sum(goals[0]["allocation"].values()) == 320_000_00


async def test_list_follows_the_quarter_and_says_when_there_is_no_goal(
    tiny_ctx, saved_goal, make_app, settle
):
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.query_one("#goals", DataTable).row_count == 0
        assert "No goals for 2027-Q1" in str(app.screen.query_one("#hint", Static).render())
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.screen.query_one("#goals", DataTable).row_count == 1


async def test_list_in_chinese_at_80x24(tiny_ctx, saved_goal, make_app, settle):
    set_language("zh")
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "2026-Q4 的目标：1 个" in str(app.screen.query_one("#title", Static).render())
        table = app.screen.query_one("#goals", DataTable)
        assert row_of(table, saved_goal["id"])[5] == "落后"
        # the figures come first, so they fit in 80 columns
        assert sum(column.get_render_width(table) for column in table.ordered_columns[:6]) <= 78


async def test_a_goal_the_wizard_cannot_read_is_not_opened(tiny_ctx, saved_goal, make_app, settle):
    tiny_ctx.store.update("goals", saved_goal["id"], {"split_method": "seasonal"})
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, GoalWizardScreen)
        assert any("split_method" in str(n.message) for n in app._notifications)


async def test_user_text_that_looks_like_markup_is_shown_as_typed(tiny_ctx, make_app, settle):
    draft = GoalDraft(
        quarter="2026-Q4",
        target=TARGET,
        objective="[/] key accounts",
        why="[b]growth",
        statement="Grow [East] by [/]",
        allocation_method="even",
        acknowledgements={"stretch": "[x", "rep_stretch:R-0003": "ok"},
    )
    goal = save_goal(tiny_ctx, draft)
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#goals", DataTable)
        assert row_of(table, goal["id"])[6] == "Grow [East] by [/]"
        await pilot.press("enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Grow [East] by [/]" in summary and "[/] key accounts" in summary
        await pilot.press("e")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, GoalWizardScreen)
        await wizard.go_to(7)
        await settle(pilot)
        assert wizard.step == "review"


@pytest.fixture
def superseded(tiny_ctx, saved_goal):
    """The saved goal replaced by a ¥250,000 one: returns (old id, new id)."""
    draft = GoalDraft(
        quarter="2026-Q4",
        target=250_000_00,
        objective="Own East",
        why="plan",
        allocation_method="even",
        acknowledgements={"replaces": "board re-plan", "stretch": "ok", "rep_stretch:R-0003": "ok"},
    )
    return saved_goal["id"], save_goal(tiny_ctx, draft)["id"]


async def test_a_superseded_goal_is_listed_dimmed_and_cannot_be_edited(
    tiny_ctx, superseded, make_app, settle
):
    old, new = superseded
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#goals", DataTable)
        assert row_of(table, old)[4:6] == ["—", "superseded"]
        assert row_of(table, new)[5] in ("on track", "caution", "off track")
        assert all("dim" in str(cell.spans) for cell in table.get_row(old))
        assert "dim" not in str(table.get_row(new)[0].spans)

        table.move_cursor(row=table.get_row_index(old))
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, GoalWizardScreen)
        assert any(
            f"{old} was superseded by {new}: edit {new} instead" in str(n.message)
            for n in app._notifications
        )

        await pilot.press("enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert f"Status: superseded · superseded by {new}" in summary
        assert "e" not in {
            b.binding.key
            for b in app.screen.active_bindings.values()
            if b.binding.show and b.enabled
        }
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, GoalDetailScreen)  # said why, stayed
        await pilot.press("escape")
        await settle(pilot)

        table.move_cursor(row=table.get_row_index(new))
        await pilot.press("enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert f"Replaces {old}" in summary and "⚑ Replaces a goal: board re-plan" in summary


async def test_a_rep_is_told_at_once_that_only_managers_set_goals(
    tiny_dir, tiny_ctx, saved_goal, make_app, settle
):
    rep = Context(data_dir=tiny_dir, today_override=tiny_ctx.today, lang="en", os_user="zhangwei")
    app = make_app(rep, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert not shown & {"new_goal", "edit_goal"}
        assert str(app.screen.query_one("#hint", Static).render()) == (
            "Enter opens a goal; [ and ] change the quarter."
        )
        for key in ("n", "e"):
            app._notifications.clear()
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, GoalWizardScreen)
            assert [str(n.message) for n in app._notifications] == ["only managers may set goals"]
        await pilot.press("enter")
        await settle(pilot)
        app._notifications.clear()
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, GoalDetailScreen)
        assert [str(n.message) for n in app._notifications] == ["only managers may set goals"]
    assert rep.store.find("drafts") == []


async def test_a_manager_sees_new_and_edit_in_the_footer(tiny_ctx, make_app, settle):
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"new_goal", "edit_goal"} <= shown
