"""Pilot tests of the goal wizard on the tiny company (2026-Q4; Q2 ¥100K, Q3 ¥165K).

A target of ¥300,000 needs +81.8% over last quarter against a best +65% on record, so
the wizard raises the ``stretch`` flag.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from rich.console import Console
from textual.widgets import Checkbox, Input, Select, Static

from qsales_tui.context import Context
from qsales_tui.domain.goals import STEPS, GoalDraft
from qsales_tui.services.goals import GOAL_DRAFT, load_draft, save_draft
from qsales_tui.ui.screens.goal_steps import NEW_OBJECTIVE
from qsales_tui.ui.screens.goal_wizard import GoalWizardScreen, ResumeDraftScreen

SIZE = (100, 30)
TODAY = date(2026, 11, 27)
TARGET = 300_000_00


def plain(widget) -> str:
    """What a Static shows, as text (Rich tables included)."""
    content = widget.content
    if isinstance(content, str):
        return str(widget.render())
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text()


def text_of(app, selector: str) -> str:
    return "\n".join(plain(widget) for widget in app.screen.query(selector))


def step_of(app) -> str:
    assert isinstance(app.screen, GoalWizardScreen)
    return STEPS[app.screen.draft.step]


@pytest.fixture
def open_wizard(settle):
    """Open the goals screen and press n; answers the resume offer with ``resume``."""

    async def open_(pilot, resume: str | None = None):
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        if resume is not None:
            assert isinstance(pilot.app.screen, ResumeDraftScreen)
            await pilot.press(resume)
            await settle(pilot)
        assert isinstance(pilot.app.screen, GoalWizardScreen)
        return pilot.app.screen

    return open_


async def type_into(pilot, settle, widget: Input, text: str, submit: bool = False) -> None:
    widget.focus()
    widget.value = ""
    await pilot.press(*text, *(["enter"] if submit else []))
    await settle(pilot)


async def test_walk_forward_and_back_acknowledge_split_and_save(
    tiny_ctx, make_app, settle, open_wizard
):
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_wizard(pilot)
        assert "▸ 1 Specific" in text_of(app, "#steps")
        assert "Grow the company revenue to — in 2026-Q4" in text_of(app, "#drafted")

        # Measurable: a bad target is refused and blocks the step; a good one shows growth
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "measurable"
        target = wizard.query_one("#target", Input)
        await type_into(pilot, settle, target, "lots")
        assert "lots" in text_of(app, "#target-error")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "measurable"
        assert "enter a target" in text_of(app, "#problems")
        await type_into(pilot, settle, target, "300000")
        assert wizard.draft.target == TARGET
        baselines = text_of(app, "#baselines")
        assert "¥165.00K" in baselines and "+81.8%" in baselines

        # Achievable: the stretch flag must be acknowledged before going on
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "achievable"
        flags = text_of(app, ".flag")
        assert "needs +81.8% growth" in flags
        assert "张伟 would need" in flags  # his share against his own best quarter
        await type_into(pilot, settle, wizard.query_one("#ack-0", Input), "big renewal")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "achievable"  # one flag is still without a reason
        problems = text_of(app, "#problems")
        assert "acknowledge “Stretch for 张伟 (R-0002)” with a reason" in problems
        assert "rep_stretch" not in problems + text_of(app, ".flag")
        assert "Stretch for Lucy Li (R-0003)" in text_of(app, ".flag")
        await type_into(pilot, settle, wizard.query_one("#ack-1", Input), "takes over C-0003")
        await type_into(pilot, settle, wizard.query_one("#ack-2", Input), "new lead C-0004")

        # going back keeps what was typed
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "relevant"
        await pilot.press("ctrl+b", "ctrl+b")
        await settle(pilot)
        assert step_of(app) == "measurable"
        assert wizard.query_one("#target", Input).value == "¥300,000.00"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert wizard.query_one("#ack-0", Input).value == "big renewal"
        await pilot.press("ctrl+n")
        await settle(pilot)

        # Relevant: a new objective, and why
        wizard.query_one("#objective", Select).value = NEW_OBJECTIVE
        await settle(pilot)
        await type_into(pilot, settle, wizard.query_one("#new-objective", Input), "Own East")
        await type_into(pilot, settle, wizard.query_one("#why", Input), "East is growing")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "time_bound"
        assert "62 working days" in text_of(app, "#timeline") or "working days" in text_of(
            app, "#timeline"
        )
        await pilot.press("ctrl+n")
        await settle(pilot)

        # Split: a hand edit rebalances the other months; with rebalancing off the gap shows
        assert step_of(app) == "split"
        months = wizard.query_one("#months")
        await type_into(pilot, settle, months.query_one("#cell-0", Input), "100000", submit=True)
        split = wizard.draft.month_amounts
        assert split["2026-10"] == 100_000_00 and sum(split.values()) == TARGET
        wizard.query_one("#rebalance", Checkbox).value = False
        await settle(pilot)
        await type_into(pilot, settle, months.query_one("#cell-1", Input), "50000", submit=True)
        assert "still to place" in text_of(app, "#months-total")
        assert "still to place" in text_of(app, "#problems")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "split"
        remainder = TARGET - 100_000_00 - 50_000_00
        await type_into(
            pilot, settle, months.query_one("#cell-2", Input), str(remainder // 100), submit=True
        )
        assert text_of(app, "#problems") == ""
        await pilot.press("ctrl+n")
        await settle(pilot)

        # Allocate by historical share (the default), then review and save
        assert step_of(app) == "allocate"
        assert "张伟" in text_of(app, "#reps Label")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "review"
        assert "Press ctrl+s" in text_of(app, "#verdict")
        summary = text_of(app, "#summary")
        assert "Stretch for 张伟 (R-0002): takes over C-0003" in summary
        assert "rep_stretch" not in summary and "stretch:" not in summary
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, GoalWizardScreen)

    goals = tiny_ctx.store.all("goals")
    assert len(goals) == 1
    goal = goals[0]
    assert goal["target"] == TARGET
    assert goal["split"] == {"2026-10": 100_000_00, "2026-11": 50_000_00, "2026-12": remainder}
    assert sum(goal["split_weeks"].values()) == TARGET
    assert sum(goal["allocation"].values()) == TARGET
    assert set(goal["allocation"]) == {"R-0002", "R-0003"}
    assert goal["acknowledgements"] == [
        {"flag": "stretch", "reason": "big renewal"},
        {"flag": "rep_stretch:R-0002", "reason": "takes over C-0003"},
        {"flag": "rep_stretch:R-0003", "reason": "new lead C-0004"},
    ]
    assert goal["relevance"] == "Own East" and goal["relevance_note"] == "East is growing"
    assert "Own East" in tiny_ctx.store.settings["objectives"]
    assert load_draft(tiny_ctx, GOAL_DRAFT) is None  # the saved goal replaced the draft


async def test_draft_resumes_in_a_new_app_after_the_first_one_died(
    tiny_dir, tiny_ctx, make_app, settle, open_wizard
):
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_into(pilot, settle, wizard.query_one("#target", Input), "300000")
        await pilot.press("ctrl+n")  # a step change saves the draft at once
        await settle(pilot)
        assert step_of(app) == "achievable"
        await type_into(pilot, settle, wizard.query_one("#ack-0", Input), "new product")
        await pilot.pause(1.3)  # the edit is saved after a second without typing
        await settle(pilot)
    # the app is gone without closing the wizard; a new one on the same data offers it
    again = Context(data_dir=tiny_dir, today_override=TODAY, lang="en", os_user="wangjl")
    app = make_app(again, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ResumeDraftScreen)
        assert "step 3 (Achievable)" in text_of(app, "Static")
        await pilot.press("r")
        await settle(pilot)
        wizard = app.screen
        assert step_of(app) == "achievable"
        assert wizard.query_one("#ack-0", Input).value == "new product"
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert wizard.query_one("#target", Input).value == "¥300,000.00"


async def test_start_over_leaves_the_draft_until_the_new_one_is_saved(
    tiny_ctx, make_app, settle, open_wizard
):
    save_draft(tiny_ctx, GOAL_DRAFT, GoalDraft(quarter="2026-Q4", target=1, step=2).to_dict())
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_wizard(pilot, resume="s")
        assert step_of(app) == "specific" and wizard.draft.target is None
        await pilot.press("ctrl+n")  # the fresh draft replaces the old one
        await settle(pilot)
    assert load_draft(tiny_ctx, GOAL_DRAFT)["target"] is None


def complete_draft() -> GoalDraft:
    return GoalDraft(
        quarter="2026-Q4",
        target=TARGET,
        objective="Own East",
        why="growth",
        acknowledgements={
            "stretch": "big renewal",
            "rep_stretch:R-0002": "ok",
            "rep_stretch:R-0003": "ok",
        },
        step=len(STEPS) - 1,
    )


async def test_the_wizard_opened_for_a_rep_still_cannot_save(tiny_dir, make_app, settle):
    rep = Context(data_dir=tiny_dir, today_override=TODAY, lang="en", os_user="zhangwei")
    app = make_app(rep, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(GoalWizardScreen(complete_draft()))
        await settle(pilot)
        assert "Press ctrl+s" in text_of(app, "#verdict")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, GoalWizardScreen)
        assert "only managers may set goals" in text_of(app, "#problems")
    assert rep.store.all("goals") == []


async def test_wizard_fits_80x24_and_speaks_chinese(tiny_ctx, make_app, settle):
    from qsales_tui.i18n import set_language

    set_language("zh")
    draft = complete_draft()
    draft.step = STEPS.index("split")
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(GoalWizardScreen(draft))
        await settle(pilot)
        steps = text_of(app, "#steps")
        assert "明确" in steps and "▸ 6 按时间分解" in steps
        assert app.screen.query_one("#steps").region.height >= len(STEPS)
        body = app.screen.query_one("#body")
        assert body.max_scroll_y > 0  # the weeks are below: the step body scrolls
        assert "合计" in text_of(app, "#weeks-total")
        assert plain(app.screen.query_one("#problems", Static)) == ""


async def test_scope_weights_capacity_and_week_edits(tiny_ctx, make_app, settle):
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(GoalWizardScreen(GoalDraft(quarter="2026-Q4", target=TARGET)))
        await settle(pilot)
        wizard = app.screen
        # a team scope reads that team's history and redrafts the statement
        wizard.query_one("#scope", Select).value = "team:T-0001"
        await settle(pilot)
        assert "Grow team 华东 East revenue to ¥300.00K" in text_of(app, "#drafted")
        assert wizard.model.history is not None and wizard.model.history.scope_reps == [
            "R-0002",
            "R-0003",
        ]

        await wizard.go_to(STEPS.index("split"))
        await settle(pilot)
        wizard.query_one("#split-method", Select).value = "custom"
        await settle(pilot)
        weights = wizard.query_one("#weights")
        assert weights.display
        await type_into(pilot, settle, weights.query_one("#cell-2", Input), "-1", submit=True)
        assert any("a weight must be a number ≥ 0" in str(n.message) for n in app._notifications)
        await type_into(pilot, settle, weights.query_one("#cell-2", Input), "2", submit=True)
        assert wizard.draft.month_weights == {"2026-10": 1, "2026-11": 1, "2026-12": 2}
        months = wizard.model.plan().split
        assert months["2026-12"] == TARGET // 2 and sum(months.values()) == TARGET
        # a week typed by hand: the other weeks absorb the difference
        weeks = wizard.query_one("#weeks")
        await type_into(pilot, settle, weeks.query_one("#cell-1", Input), "1000", submit=True)
        by_hand = wizard.draft.week_amounts
        assert list(by_hand.values())[1] == 1000_00 and sum(by_hand.values()) == TARGET

        await wizard.go_to(STEPS.index("allocate"))
        await settle(pilot)
        wizard.query_one("#allocation-method", Select).value = "capacity"
        await settle(pilot)
        capacity = wizard.query_one("#capacity")
        await type_into(pilot, settle, capacity.query_one("#cell-0", Input), "many", submit=True)
        assert wizard.draft.capacity == {"R-0002": 1, "R-0003": 1}
        await type_into(pilot, settle, capacity.query_one("#cell-0", Input), "3", submit=True)
        assert wizard.model.plan().allocation == {"R-0002": 225_000_00, "R-0003": 75_000_00}
        # a rep typed by hand with rebalancing off leaves the gap on show
        wizard.query_one("#rebalance", Checkbox).value = False
        await settle(pilot)
        reps = wizard.query_one("#reps")
        await type_into(pilot, settle, reps.query_one("#cell-1", Input), "50000", submit=True)
        assert wizard.draft.allocation == {"R-0002": 225_000_00, "R-0003": 50_000_00}
        assert "¥25,000.00 still to place" in text_of(app, "#reps-total")
        assert "still to place" in text_of(app, "#problems")


async def test_an_average_is_neither_split_nor_allocated(tiny_ctx, make_app, settle):
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(
            GoalWizardScreen(GoalDraft(quarter="2026-Q4", objective="Service", why="renewals"))
        )
        await settle(pilot)
        wizard = app.screen
        wizard.query_one("#metric", Select).value = "units"
        await settle(pilot)
        assert wizard.query_one("#product", Select).display
        assert "units need a product" in text_of(app, "#problems")
        wizard.query_one("#metric", Select).value = "avg_csat"
        await settle(pilot)
        assert not wizard.query_one("#product", Select).display
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_into(pilot, settle, wizard.query_one("#target", Input), "6")
        assert "between 1 and 5" in text_of(app, "#target-error")
        await type_into(pilot, settle, wizard.query_one("#target", Input), "4.8")
        assert wizard.draft.target == 480
        for step in ("achievable", "relevant", "time_bound", "split", "allocate", "review"):
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert wizard.step == step, text_of(app, "#problems")
            if step in ("split", "allocate"):
                assert "not split over time or people" in text_of(app, "#body Static")
        await pilot.press("ctrl+s")
        await settle(pilot)
    goal = tiny_ctx.store.all("goals")[0]
    assert (goal["metric"], goal["target"], goal["split"], goal["allocation"]) == (
        "avg_csat",
        480,
        {},
        {},
    )


async def test_a_second_goal_for_the_quarter_is_flagged_and_supersedes_the_first(
    tiny_ctx, make_app, settle
):
    from qsales_tui.services.goals import save_goal

    first = save_goal(tiny_ctx, complete_draft().model_copy(update={"step": 0}))
    draft = complete_draft()
    draft.step = STEPS.index("achievable")
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(GoalWizardScreen(draft))
        await settle(pilot)
        wizard = app.screen
        flags = text_of(app, ".flag")
        replaces = f"Replaces {first['id']} (¥300.00K)"
        assert f"⚑ {replaces}\n  saving makes the new target the one payouts use" in flags
        assert f"acknowledge “{replaces}” with a reason" in text_of(app, "#problems")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert step_of(app) == "achievable"  # not without a reason
        await type_into(pilot, settle, wizard.query_one("#ack-3", Input), "board re-plan")
        await wizard.go_to(STEPS.index("review"))
        await settle(pilot)
        assert f"{replaces}: board re-plan" in text_of(app, "#summary")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, GoalWizardScreen)
    old, new = sorted(tiny_ctx.store.all("goals"), key=lambda goal: goal["id"])
    assert (old["status"], old["superseded_by"]) == ("superseded", new["id"])
    assert new["status"] == "active" and new["replaces"] == [first["id"]]


async def test_flags_are_named_for_people_in_chinese(tiny_ctx, make_app, settle):
    from qsales_tui.i18n import set_language

    set_language("zh")
    draft = complete_draft()
    draft.acknowledgements = {}
    draft.step = STEPS.index("achievable")
    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(GoalWizardScreen(draft))
        await settle(pilot)
        problems = text_of(app, "#problems")
        assert "请为“张伟（R-0002）的份额过高”填写确认理由" in problems
        assert "rep_stretch" not in problems + text_of(app, ".flag")


async def test_a_goal_saved_meanwhile_is_shown_as_a_flag_to_acknowledge(tiny_ctx, make_app, settle):
    from qsales_tui.services.goals import save_goal

    app = make_app(tiny_ctx, start_mode="goals")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(GoalWizardScreen(complete_draft()))
        await settle(pilot)
        wizard = app.screen
        assert "Press ctrl+s" in text_of(app, "#verdict")
        other = save_goal(tiny_ctx, complete_draft().model_copy(update={"step": 0}))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, GoalWizardScreen)
        replaces = f"Replaces {other['id']} (¥300.00K)"
        assert f"acknowledge “{replaces}” with a reason" in text_of(app, "#problems")
        await wizard.go_to(STEPS.index("achievable"))
        await settle(pilot)
        assert replaces in text_of(app, ".flag")
    assert [goal["id"] for goal in tiny_ctx.store.all("goals")] == [other["id"]]
