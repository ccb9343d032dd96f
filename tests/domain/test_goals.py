"""SMART checks, splits and allocations of a goal draft, and the goal record it becomes."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.domain.calendar import FiscalCalendar
from qsales_tui.domain.goals import (
    GoalDraft,
    GoalError,
    GoalHistory,
    GoalRules,
    achievability_flags,
    baselines,
    build_goal,
    draft_from_goal,
    draft_statement,
    flag_label,
    format_target,
    goals_in_force,
    parse_scope,
    parse_target,
    plan_goal,
    rep_requirements,
    replaced_goals,
    scope_label,
    step_problems,
    timeline,
    unacknowledged,
)
from qsales_tui.i18n import set_language

CAL = FiscalCalendar()
RULES = GoalRules()
TODAY = date(2026, 10, 8)

# Team T-1 grew 10% a year with the same seasonal shape: the forecast for 2026-Q4 is 484.
HISTORY = GoalHistory(
    quarterly={
        "2024-Q4": 400,
        "2025-Q1": 100,
        "2025-Q2": 200,
        "2025-Q3": 300,
        "2025-Q4": 440,
        "2026-Q1": 110,
        "2026-Q2": 220,
        "2026-Q3": 330,
    },
    per_rep={
        "R-1": {"2025-Q4": 240, "2026-Q1": 60, "2026-Q2": 120, "2026-Q3": 180},
        "R-2": {"2025-Q4": 200, "2026-Q1": 50, "2026-Q2": 100, "2026-Q3": 150},
    },
    monthly={"2025-10": 100, "2025-11": 100, "2025-12": 240},
    scope_reps=["R-1", "R-2"],
    names={"T-1": "East", "R-1": "张伟", "R-2": "Lucy", "R-3": "New Hire"},
)


def draft(**changes) -> GoalDraft:
    values = {
        "quarter": "2026-Q4",
        "scope": "team:T-1",
        "target": 484,
        "objective": "Grow key accounts",
        "why": "Key accounts drive 60% of revenue",
    }
    return GoalDraft(**{**values, **changes})


def problems(step, goal_draft, history=HISTORY, today=TODAY):
    return step_problems(step, goal_draft, history, CAL, RULES, today)


def flag_names(goal_draft, history=HISTORY):
    return [flag.name for flag in achievability_flags(goal_draft, history, CAL, RULES)]


# --- Specific ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "metric, text, expected",
    [
        ("revenue", "4.2M", 420_000_000),
        ("revenue", "¥1,000.50", 100_050),
        ("new_customers", "35", 35),
        ("units", "1,200", 1200),
        ("avg_csat", "4.25", 425),
        ("market_share", "12.5%", 1250),
    ],
)
def test_targets_are_read_in_the_metrics_unit(metric, text, expected):
    assert parse_target(metric, text) == expected


@pytest.mark.parametrize(
    "metric, text",
    [
        ("new_customers", "3.5"),
        ("units", "many"),
        ("avg_csat", "6"),
        ("avg_csat", "4.255"),
        ("market_share", "120%"),
        ("revenue", "-5"),
        ("units", "-1"),
    ],
)
def test_bad_targets_are_refused(metric, text):
    with pytest.raises(ValueError):
        parse_target(metric, text)


def test_targets_are_shown_in_the_metrics_unit():
    assert format_target("revenue", 420_000_000) == "¥4.20M"
    assert format_target("avg_csat", 425) == "4.25"
    assert format_target("market_share", 1250) == "12.50%"
    assert format_target("units", 1200) == "1,200"
    assert format_target("units", None) == "—"


def test_scopes_parse_and_bad_ones_are_refused():
    assert parse_scope("company") == ("company", None)
    assert parse_scope("segment:key") == ("segment", "key")
    for bad in ("company:x", "team", "region:North", ""):
        with pytest.raises(ValueError):
            parse_scope(bad)
    assert scope_label("team:T-1", HISTORY.names) == "team East"
    assert scope_label("rep:R-1", HISTORY.names) == "张伟"


def test_the_statement_is_drafted_in_the_users_language():
    goal_draft = draft(target=420_000_000)
    statement = "Grow team East revenue to ¥4.20M in 2026-Q4"
    assert draft_statement(goal_draft, HISTORY.names) == statement
    set_language("zh")
    try:
        assert draft_statement(goal_draft, HISTORY.names) == "2026-Q4：East团队收入提升至 ¥4.20M"
    finally:
        set_language("en")
    units = draft(metric="units", scope="product:QS-Cloud", target=40)
    assert draft_statement(units, {}) == (
        "Sell 40 units of QS-Cloud for product QS-Cloud in 2026-Q4"
    )


def test_specific_step_checks_scope_ids_products_and_metric_fit():
    assert problems("specific", draft()) == []
    assert problems("specific", draft(scope="team:T-9")) == ["no team with id T-9"]
    assert problems("specific", draft(scope="segment:vip"))[0].startswith("segment must be")
    assert problems("specific", draft(metric="units")) == [
        "units need a product: set product or use a product scope"
    ]
    assert problems("specific", draft(metric="units", product="QS-Cloud")) == []
    assert problems("specific", draft(metric="market_share")) == [
        "market share is known for the company or a segment only"
    ]
    assert "scope must be" in problems("specific", draft(scope="galaxy"))[0]


# --- Measurable -------------------------------------------------------------------------


def test_baselines_show_last_quarter_last_year_and_forecast_with_growth():
    found = {b.kind: b for b in baselines(draft(target=528), HISTORY)}
    assert found["last_quarter"].value == 330 and found["last_quarter"].growth == Fraction(3, 5)
    assert found["last_year"].value == 440 and found["last_year"].growth == Fraction(1, 5)
    assert found["forecast"].value == 484 and found["forecast"].growth == Fraction(528, 484) - 1
    without_target = baselines(draft(target=None), HISTORY)
    assert all(b.growth is None for b in without_target)


def test_measurable_step_needs_a_target():
    assert problems("measurable", draft(target=None)) == ["enter a target"]
    assert problems("measurable", draft()) == []


# --- Achievable -------------------------------------------------------------------------


def test_a_target_in_line_with_history_raises_no_flag():
    assert flag_names(draft(target=484)) == []


def test_stretch_flag_beyond_the_best_growth_on_record_plus_margin():
    # best YoY on record 10%, margin 10 points: 20% over 440 = 528 is fine, 529 is not
    assert "stretch" not in flag_names(draft(target=528))
    assert "stretch" in flag_names(draft(target=529))
    wide = GoalRules(stretch_margin=Decimal("0.5"))
    assert achievability_flags(draft(target=529), HISTORY, CAL, wide) == []


def test_stretch_falls_back_to_quarter_on_quarter_without_last_year():
    short = GoalHistory(
        {"2026-Q2": 100, "2026-Q3": 150}, {"R-1": {"2026-Q3": 150}}, {}, ["R-1"], {"T-1": "East"}
    )
    assert flag_names(draft(target=160, allocation_method="even"), short) == []
    assert "stretch" in flag_names(draft(target=250, allocation_method="even"), short)


def test_sandbagging_flag_below_last_quarter():
    assert "sandbagging" in flag_names(draft(target=329))
    assert "sandbagging" not in flag_names(draft(target=330))


def test_rep_flag_when_a_share_needs_far_more_than_their_own_history():
    # even split of 484 gives 161 to a new hire with no history at all
    names = flag_names(draft(allocation_method="even", reps=["R-1", "R-2", "R-3"]))
    assert names == ["rep_stretch:R-3"]
    # R-2's best quarter was 200: a hand share above 300 (+50%) is flagged
    manual = draft(allocation_method="manual", allocation={"R-1": 183, "R-2": 301})
    assert flag_names(manual) == ["rep_stretch:R-2"]


def test_each_reps_required_growth_against_their_own_history():
    needs = rep_requirements(draft(), HISTORY, CAL, RULES)
    assert [(n.rep, n.share, n.last_quarter, n.best_recent) for n in needs] == [
        ("R-1", 264, 180, 240),
        ("R-2", 220, 150, 200),
    ]
    assert needs[0].growth == Fraction(264, 180) - 1
    assert rep_requirements(draft(metric="avg_csat", scope="company"), HISTORY, CAL, RULES) == []


def test_flags_need_a_reason_and_the_reason_is_saved():
    stretched = draft(target=600)
    assert problems("achievable", stretched) == ["acknowledge “Stretch” with a reason"]
    blank = stretched.model_copy(update={"acknowledgements": {"stretch": "  "}})
    assert unacknowledged(achievability_flags(blank, HISTORY, CAL, RULES), blank.acknowledgements)
    acknowledged = draft(
        target=600, acknowledgements={"stretch": "new product launch", "sandbagging": "stale"}
    )
    assert problems("achievable", acknowledged) == []
    record = build_goal(acknowledged, HISTORY, CAL, RULES, TODAY)
    assert record["acknowledgements"] == [{"flag": "stretch", "reason": "new product launch"}]


# --- Relevant and Time-bound ------------------------------------------------------------------


def test_relevant_step_needs_an_objective_and_a_why():
    assert problems("relevant", draft(objective="", why=" ")) == [
        "link the goal to an objective",
        "say why this goal matters",
    ]


def test_time_bound_step_refuses_an_ended_quarter_and_gives_checkpoints():
    assert problems("time_bound", draft(quarter="2026-Q3")) == ["2026-Q3 ended on 2026-09-30"]
    assert problems("time_bound", draft()) == []
    plan = timeline(CAL.quarter("2026-Q4"), CAL)
    assert (plan.start, plan.end, plan.working_days) == (date(2026, 10, 1), date(2026, 12, 31), 66)
    assert plan.checkpoints == [
        ("2026-10", date(2026, 10, 31), 22),
        ("2026-11", date(2026, 11, 30), 43),
        ("2026-12", date(2026, 12, 31), 66),
    ]


# --- Split over time -------------------------------------------------------------------------


def test_split_by_working_days():
    plan = plan_goal(draft(target=66), HISTORY, CAL, RULES)
    assert plan.split == {"2026-10": 22, "2026-11": 21, "2026-12": 23}
    assert sum(plan.split_weeks.values()) == 66 and plan.split_problems == []


def test_split_by_seasonality_follows_past_years_months():
    plan = plan_goal(draft(target=440, split_method="seasonality"), HISTORY, CAL, RULES)
    assert plan.split == {"2026-10": 100, "2026-11": 100, "2026-12": 240}
    assert not plan.seasonality_fallback


def test_seasonality_without_past_data_falls_back_to_working_days_and_says_so():
    bare = GoalHistory(HISTORY.quarterly, HISTORY.per_rep, {}, ["R-1", "R-2"], HISTORY.names)
    plan = plan_goal(draft(target=66, split_method="seasonality"), bare, CAL, RULES)
    assert plan.seasonality_fallback and plan.split["2026-10"] == 22


def test_custom_weights_and_manual_amounts():
    custom = draft(
        target=100,
        split_method="custom",
        month_weights={"2026-10": "1", "2026-11": "1", "2026-12": "2"},
    )
    assert plan_goal(custom, HISTORY, CAL, RULES).split == {
        "2026-10": 25,
        "2026-11": 25,
        "2026-12": 50,
    }
    manual = draft(
        target=100,
        split_method="manual",
        month_amounts={"2026-10": 10, "2026-11": 20, "2026-12": 60},
    )
    short = plan_goal(manual, HISTORY, CAL, RULES)
    assert short.split_problems == ["the months leave ¥0.10 still to place"]
    assert short.split == {"2026-10": 10, "2026-11": 20, "2026-12": 60}
    assert sum(short.split_weeks.values()) == 90
    wrong_months = draft(target=100, split_method="custom", month_weights={"2027-01": 1})
    assert (
        "month weights must name" in plan_goal(wrong_months, HISTORY, CAL, RULES).split_problems[0]
    )


def test_hand_edited_weeks_must_add_up():
    weeks = plan_goal(draft(target=66), HISTORY, CAL, RULES).split_weeks
    edited = dict(weeks, **{"2026-W40": weeks["2026-W40"] + 5})
    assert problems("split", draft(target=66, week_amounts=edited)) == [
        "the weeks place ¥0.05 more than the target"
    ]
    assert problems("split", draft(target=66, week_amounts={"2026-W40": 66}))[0].startswith(
        "weeks must be exactly"
    )
    assert plan_goal(draft(target=66, week_amounts=weeks), HISTORY, CAL, RULES).split_weeks == weeks


# --- Allocate to people -----------------------------------------------------------------------


def test_allocation_methods():
    assert plan_goal(
        draft(target=101, allocation_method="even"), HISTORY, CAL, RULES
    ).allocation == {"R-1": 51, "R-2": 50}
    # history over the last 4 quarters: R-1 600, R-2 500
    assert plan_goal(draft(target=484), HISTORY, CAL, RULES).allocation == {"R-1": 264, "R-2": 220}
    capacity = draft(target=100, allocation_method="capacity", capacity={"R-1": 3, "R-2": 1})
    assert plan_goal(capacity, HISTORY, CAL, RULES).allocation == {"R-1": 75, "R-2": 25}
    manual = draft(target=100, allocation_method="manual", allocation={"R-1": 70, "R-2": 30})
    assert problems("allocate", manual) == []


def test_allocation_problems_are_named():
    assert problems("allocate", draft(allocation_method="capacity", capacity={"R-1": 1})) == [
        "capacity weights missing for R-2"
    ]
    short = draft(target=100, allocation_method="manual", allocation={"R-1": 60, "R-2": 30})
    assert problems("allocate", short) == ["the reps' shares leave ¥0.10 still to place"]
    stranger = draft(
        target=100, allocation_method="manual", allocation={"R-1": 50, "R-2": 50, "R-9": 1}
    )
    assert problems("allocate", stranger) == ["R-9 is not in this goal's scope"]
    nobody = GoalHistory(HISTORY.quarterly, {}, {}, [], HISTORY.names)
    assert problems("allocate", draft(), nobody) == [
        "nobody to allocate to: the scope has no active reps"
    ]


def test_a_rep_goal_goes_to_that_rep():
    plan = plan_goal(draft(scope="rep:R-1", target=200), HISTORY, CAL, RULES)
    assert plan.allocation == {"R-1": 200}


def test_averages_and_shares_are_not_split_or_allocated():
    csat = draft(metric="avg_csat", scope="company", target=450)
    plan = plan_goal(csat, HISTORY, CAL, RULES)
    assert (plan.split, plan.split_weeks, plan.allocation) == ({}, {}, {})
    record = build_goal(csat, HISTORY, CAL, RULES, TODAY)
    assert record["split"] == {} and record["allocation"] == {}


# --- The record --------------------------------------------------------------------------------


def test_build_goal_gives_a_validated_record_with_every_part():
    record = build_goal(draft(split_method="seasonality"), HISTORY, CAL, RULES, TODAY)
    assert "id" not in record
    assert record["quarter"] == "2026-Q4" and record["target"] == 484
    assert record["statement"] == "Grow team East revenue to ¥5 in 2026-Q4"
    assert record["baseline"] == 484
    assert record["baselines"] == {"last_quarter": 330, "last_year": 440, "forecast": 484}
    assert record["relevance"] == "Grow key accounts"
    assert record["relevance_note"] == "Key accounts drive 60% of revenue"
    assert sum(record["split"].values()) == sum(record["split_weeks"].values()) == 484
    assert record["allocation"] == {"R-1": 264, "R-2": 220}
    assert record["status"] == "active" and record["acknowledgements"] == []


def test_build_goal_lists_every_problem():
    with pytest.raises(GoalError) as caught:
        build_goal(draft(target=600, objective=""), HISTORY, CAL, RULES, TODAY)
    assert caught.value.problems == [
        "acknowledge “Stretch” with a reason",
        "link the goal to an objective",
    ]
    assert [flag.name for flag in caught.value.flags] == ["stretch"]


def test_a_draft_survives_a_round_trip_through_a_dict():
    goal_draft = draft(
        split_method="custom",
        month_weights={"2026-10": Decimal("1.5"), "2026-11": 1, "2026-12": 1},
        step=5,
        acknowledgements={"stretch": "why not"},
    )
    data = goal_draft.to_dict()
    assert data["month_weights"]["2026-10"] == "1.5"
    assert GoalDraft.from_dict({**data, "from_a_later_version": 1}) == goal_draft
    with pytest.raises(GoalError, match="target"):
        GoalDraft.from_dict({**data, "target": -1})


def test_editing_a_goal_rebuilds_the_same_record():
    below_last_quarter = {"sandbagging": "two key accounts churned"}
    for goal_draft in (
        draft(split_method="seasonality"),
        draft(
            target=100,
            split_method="custom",
            month_weights={"2026-10": 1, "2026-11": 1, "2026-12": 2},
            allocation_method="capacity",
            capacity={"R-1": 3, "R-2": 1},
            acknowledgements=below_last_quarter,
        ),
        draft(
            target=100,
            split_method="manual",
            month_amounts={"2026-10": 10, "2026-11": 30, "2026-12": 60},
            allocation_method="manual",
            allocation={"R-1": 70, "R-2": 30},
            acknowledgements=below_last_quarter,
            week_amounts=WEEKS_OF_100,
        ),
    ):
        record = {**build_goal(goal_draft, HISTORY, CAL, RULES, TODAY), "id": "G-0007"}
        again = build_goal(draft_from_goal(record), HISTORY, CAL, RULES, TODAY)
        assert again == record


def test_a_goal_from_another_tool_with_unknown_values_is_named():
    with pytest.raises(GoalError, match="split_method"):
        draft_from_goal(
            {
                "quarter": "2026-Q4",
                "metric": "revenue",
                "scope": "company",
                "target": 1,
                "split_method": "seasonal",
            }
        )


WEEKS_OF_100 = {f"2026-W{week}": 0 for week in range(40, 54)} | {"2026-W50": 100}


def test_goal_rules_from_settings():
    rules = GoalRules.from_settings({"goal_checks": {"stretch_margin": 0.2, "history_quarters": 8}})
    assert rules.stretch_margin == Decimal("0.2") and rules.history_quarters == 8
    assert GoalRules.from_settings({}) == GoalRules()
    for bad in ({"stretch_margn": 1}, {"stretch_margin": "lots"}, {"history_quarters": 0}):
        with pytest.raises(GoalError):
            GoalRules.from_settings({"goal_checks": bad})


@settings(max_examples=100)
@given(
    target=st.integers(0, 10**12),
    split_method=st.sampled_from(["working_days", "seasonality", "custom"]),
    weights=st.lists(st.integers(0, 10**6), min_size=3, max_size=3),
    allocation_method=st.sampled_from(["even", "history", "capacity"]),
    capacity=st.lists(st.decimals(0, 100, places=2), min_size=2, max_size=2),
)
def test_every_plan_adds_up_to_the_target(
    target, split_method, weights, allocation_method, capacity
):
    months = ["2026-10", "2026-11", "2026-12"]
    goal_draft = draft(
        target=target,
        split_method=split_method,
        month_weights=dict(zip(months, weights, strict=True)),
        allocation_method=allocation_method,
        capacity=dict(zip(["R-1", "R-2"], capacity, strict=True)),
    )
    plan = plan_goal(goal_draft, HISTORY, CAL, RULES)
    assert plan.split_problems == plan.allocation_problems == []
    for part in (plan.split, plan.split_weeks, plan.allocation):
        assert sum(part.values()) == target


# --- flags as people read them --------------------------------------------------------------


def test_flags_carry_a_label_with_the_reps_name_and_the_code_stays_the_key():
    flags = achievability_flags(
        draft(allocation_method="even", reps=["R-1", "R-3"]), HISTORY, CAL, RULES
    )
    [rep_flag] = [flag for flag in flags if flag.name == "rep_stretch:R-3"]
    assert rep_flag.label == "Stretch for New Hire (R-3)"
    assert "acknowledge “Stretch for New Hire (R-3)” with a reason" in problems(
        "achievable", draft(allocation_method="even", reps=["R-1", "R-3"])
    )
    assert flag_label("rep_stretch:R-9", {}) == "Stretch for R-9 (R-9)"
    assert flag_label("sandbagging", {}) == "Sandbagging"
    assert flag_label("from_the_future", {}) == "from_the_future"


def test_flag_labels_in_chinese():
    set_language("zh")
    try:
        assert flag_label("rep_stretch:R-1", HISTORY.names) == "张伟（R-1）的份额过高"
        assert (
            "rep_stretch"
            not in problems(
                "achievable", draft(allocation_method="manual", allocation={"R-1": 84, "R-2": 400})
            )[0]
        )
    finally:
        set_language("en")


# --- one goal in force per quarter, metric and scope --------------------------------------------

G9 = {
    "id": "G-0009",
    "quarter": "2026-Q4",
    "metric": "revenue",
    "scope": "team:T-1",
    "target": 484,
    "status": "active",
    "created_at": "2026-09-21T10:00:00+08:00",
}


def test_a_second_goal_for_the_slot_raises_the_replaces_flag():
    replacing = draft()
    history = replace(HISTORY, replaced=replaced_goals(replacing, [G9]))
    [flag] = achievability_flags(replacing, history, CAL, RULES)
    assert (flag.name, flag.label) == ("replaces", "Replaces G-0009 (¥5)")
    assert flag.message == (
        "saving makes the new target the one payouts use, and marks the old one superseded"
    )
    assert problems("achievable", replacing, history) == [
        "acknowledge “Replaces G-0009 (¥5)” with a reason"
    ]
    with pytest.raises(GoalError):
        build_goal(replacing, history, CAL, RULES, TODAY)
    acknowledged = draft(acknowledgements={"replaces": "the board cut the plan"})
    record = build_goal(acknowledged, history, CAL, RULES, TODAY)
    assert record["replaces"] == ["G-0009"]
    assert record["acknowledgements"] == [{"flag": "replaces", "reason": "the board cut the plan"}]


def test_an_edit_keeps_the_reason_its_goal_replaced_another_with():
    reasons = {"replaces": "the board cut the plan", "sandbagging": "stale"}
    edit = draft(goal_id="G-0010", acknowledgements=reasons)
    assert build_goal(edit, HISTORY, CAL, RULES, TODAY)["acknowledgements"] == [
        {"flag": "replaces", "reason": "the board cut the plan"}
    ]
    # a new goal that replaces nothing saves no such reason
    new = draft(acknowledgements=reasons)
    assert build_goal(new, HISTORY, CAL, RULES, TODAY)["acknowledgements"] == []


def test_what_a_draft_replaces():
    others = [
        {**G9, "id": "G-0001", "scope": "team:T-2"},  # another scope
        {**G9, "id": "G-0002", "metric": "units", "product": "X"},  # another metric
        {**G9, "id": "G-0003", "quarter": "2026-Q3"},  # another quarter
        {**G9, "id": "G-0004", "status": "superseded"},
        {**G9, "id": "G-0005", "status": "cancelled"},
        {**G9, "id": "G-0006", "status": "draft"},
    ]
    assert replaced_goals(draft(), others) == ()
    assert [g["id"] for g in replaced_goals(draft(), [*others, G9])] == ["G-0009"]
    # editing G-0009 itself is no replacement; moving it into another's slot is
    assert replaced_goals(draft(goal_id="G-0009"), [G9]) == ()
    assert [g["id"] for g in replaced_goals(draft(goal_id="G-0001"), [*others, G9])] == ["G-0009"]
    # units of another product are another slot
    units = {**G9, "metric": "units", "product": "X"}
    assert replaced_goals(draft(metric="units", product="Y"), [units]) == ()
    assert len(replaced_goals(draft(metric="units", product="X"), [units])) == 1


def test_the_goal_in_force_is_the_newest_of_those_not_superseded():
    older = {**G9, "id": "G-0012", "created_at": "2026-09-01T10:00:00+08:00"}
    newer = {**G9, "id": "G-0010", "created_at": "2026-10-01T01:00:00+00:00"}
    gone = {**G9, "id": "G-0011", "status": "superseded", "created_at": "2026-11-01T10:00:00+08:00"}
    slot = ("2026-Q4", "revenue", "team:T-1", "")
    for order in ([older, newer, gone, G9], [G9, gone, newer, older]):
        assert goals_in_force(order)[slot]["id"] == "G-0010"
    # the same instant in two time zones, or no date at all: the higher id is newer
    twin = {**newer, "id": "G-0013", "created_at": "2026-10-01T09:00:00+08:00"}
    assert goals_in_force([twin, newer])[slot]["id"] == "G-0013"
    undated = [{k: v for k, v in goal.items() if k != "created_at"} for goal in (G9, older)]
    assert goals_in_force(undated)[slot]["id"] == "G-0012"
    assert goals_in_force([gone]) == {}
