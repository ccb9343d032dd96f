"""``qsales goals`` and the goal services behind it, on the tiny company of conftest.

Team T-0001 sold ¥100,000 in 2026-Q2 (R-0002) and ¥165,000 in 2026-Q3 (R-0002 ¥150,000,
R-0003 ¥15,000); so far in 2026-Q4 R-0002 sold ¥80,000 and R-0003 ¥20,000.
"""

import textwrap
from datetime import date

import orjson
import pytest

from qsales_tui.cli.main import main
from qsales_tui.domain.goals import GoalDraft, GoalError
from qsales_tui.services import goals as service
from qsales_tui.storage.errors import ConflictError

GOOD = """\
    quarter: 2026-Q4
    scope: team:T-0001
    target: 180k
    objective: Grow key accounts
    why: Key accounts carry the team
    split: working_days
    allocation: history
"""


def write(tmp_path, text: str, name: str = "goal.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def qsales(tiny_dir, *args: str) -> int:
    return main(["--db", str(tiny_dir), "--today", "2026-11-27", *args])


def goals_in(tiny_ctx) -> list[dict]:
    return tiny_ctx.store.all("goals")


# --- goals create -------------------------------------------------------------------------


def test_create_saves_a_goal_and_list_shows_the_same_numbers(tiny_dir, tmp_path, capsys):
    assert qsales(tiny_dir, "goals", "create", "--file", str(write(tmp_path, GOOD))) == 0
    assert "Saved G-0001: Grow team 华东 East revenue to ¥180.00K in 2026-Q4" in (
        capsys.readouterr().out
    )
    assert qsales(tiny_dir, "goals", "list", "--quarter", "2026-Q4", "--format", "json") == 0
    [goal] = orjson.loads(capsys.readouterr().out)
    assert goal["target"] == 18_000_000
    assert goal["split"] == {"2026-10": 6_000_000, "2026-11": 5_727_273, "2026-12": 6_272_727}
    assert sum(goal["split_weeks"].values()) == 18_000_000
    # average quarter since their first sale: R-0002 ¥125,000, R-0003 ¥15,000
    assert goal["allocation"] == {"R-0002": 16_071_429, "R-0003": 1_928_571}
    assert goal["progress"] == {
        "actual_to_date": 10_000_000,
        "expected_to_date": 11_454_546,  # October, and 20 of November's 21 days: 5,454,545.7
        "per_rep": {
            "R-0002": {"actual_to_date": 8_000_000, "target": 16_071_429},
            "R-0003": {"actual_to_date": 2_000_000, "target": 1_928_571},
        },
    }
    assert qsales(tiny_dir, "goals", "list") == 0
    table = capsys.readouterr().out
    assert "G-0001" in table and "¥180.00K" in table and "¥100.00K" in table


def test_unacknowledged_flags_fail_the_command_and_write_nothing(
    tiny_dir, tiny_ctx, tmp_path, capsys
):
    stretched = write(tmp_path, GOOD.replace("180k", "400k"))
    assert qsales(tiny_dir, "goals", "create", "--file", str(stretched)) == 2
    err = capsys.readouterr().err
    assert "the goal was not saved" in err
    assert "Stretch: needs +142.4% growth quarter on quarter" in err
    assert "Stretch for 张伟 (R-0002): 张伟 would need" in err
    for key in ("stretch", "rep_stretch:R-0002", "rep_stretch:R-0003"):
        assert f"add `acknowledge: {{{key}: <reason>}}` to the file" in err
    assert "acknowledge “" not in err  # each flag is said once, with its key
    assert goals_in(tiny_ctx) == []


def test_acknowledged_flags_are_saved_with_their_reasons(tiny_dir, tiny_ctx, tmp_path):
    acknowledged = write(
        tmp_path,
        GOOD.replace("180k", "400k")
        + """\
    acknowledge:
      stretch: a new product line launches in October
      rep_stretch:R-0002: takes over two key accounts
      rep_stretch:R-0003: back from leave
""",
    )
    assert qsales(tiny_dir, "goals", "create", "--file", str(acknowledged)) == 0
    [goal] = goals_in(tiny_ctx)
    assert {"flag": "stretch", "reason": "a new product line launches in October"} in (
        goal["acknowledgements"]
    )
    assert len(goal["acknowledgements"]) == 3


@pytest.mark.parametrize(
    "text, message",
    [
        ("quarter: [2026\n", "goal.yaml:2: not valid YAML"),
        ("- a list\n", "expected a mapping of goal fields"),
        (GOOD + "    colour: blue\n", "colour: Extra inputs are not permitted"),
        (GOOD.replace("180k", "lots"), "target: not an amount"),
        (GOOD.replace("working_days", "by_feel"), "split: Input should be"),
        (GOOD.replace("team:T-0001", "team:T-0009"), "no team with id T-0009"),
        (GOOD.replace("    objective: Grow key accounts\n", ""), "objective: Field required"),
    ],
)
def test_a_bad_file_gets_a_clear_error_and_writes_nothing(
    tiny_dir, tiny_ctx, tmp_path, capsys, text, message
):
    assert qsales(tiny_dir, "goals", "create", "--file", str(write(tmp_path, text))) == 2
    assert message in capsys.readouterr().err
    assert goals_in(tiny_ctx) == []


def test_a_second_goal_for_the_quarter_must_say_it_replaces_the_first(
    tiny_dir, tiny_ctx, tmp_path, capsys
):
    good = write(tmp_path, GOOD)
    assert qsales(tiny_dir, "goals", "create", "--file", str(good)) == 0
    capsys.readouterr()
    assert qsales(tiny_dir, "goals", "create", "--file", str(good)) == 2
    err = capsys.readouterr().err
    assert (
        "Replaces G-0001 (¥180.00K): saving makes the new target the one payouts use, "
        "and marks the old one superseded"
    ) in err
    assert "add `acknowledge: {replaces: <reason>}` to the file" in err
    assert [goal["status"] for goal in goals_in(tiny_ctx)] == ["active"]

    replacing = write(
        tmp_path,
        GOOD.replace("180k", "170k") + ("    acknowledge: {replaces: the board cut the plan}\n"),
        "replacing.yaml",
    )
    assert qsales(tiny_dir, "goals", "create", "--file", str(replacing)) == 0
    old, new = sorted(goals_in(tiny_ctx), key=lambda goal: goal["id"])
    assert (old["status"], old["superseded_by"]) == ("superseded", "G-0002")
    assert (new["status"], new["replaces"], new["created_by"]) == (
        "active",
        ["G-0001"],
        tiny_ctx.os_user,
    )
    assert {"flag": "replaces", "reason": "the board cut the plan"} in new["acknowledgements"]
    capsys.readouterr()
    assert qsales(tiny_dir, "goals", "list") == 0
    table = capsys.readouterr().out
    assert "superseded" in table and "in force" in table


def test_create_help_points_to_the_file_format(tiny_dir, capsys):
    with pytest.raises(SystemExit):
        qsales(tiny_dir, "goals", "create", "--help")
    assert "docs/goal-yaml.md" in capsys.readouterr().out


def test_a_missing_file_is_named(tiny_dir, tmp_path, capsys):
    assert qsales(tiny_dir, "goals", "create", "--file", str(tmp_path / "nope.yaml")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_only_managers_create_goals(tiny_dir, tiny_ctx, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QSALES_USER", "zhangwei")
    assert qsales(tiny_dir, "goals", "create", "--file", str(write(tmp_path, GOOD))) == 2
    assert "only managers may set goals" in capsys.readouterr().err
    assert goals_in(tiny_ctx) == []


def test_manual_split_and_shares_in_the_file(tiny_dir, tiny_ctx, tmp_path):
    manual = GOOD.replace("working_days", "manual").replace("history", "manual") + (
        "    month_amounts: {2026-10: 60k, 2026-11: 60k, 2026-12: 60k}\n"
        "    shares: {R-0002: 170k, R-0003: 10k}\n"
    )
    assert qsales(tiny_dir, "goals", "create", "--file", str(write(tmp_path, manual))) == 0
    [goal] = goals_in(tiny_ctx)
    assert goal["split"] == dict.fromkeys(["2026-10", "2026-11", "2026-12"], 6_000_000)
    assert goal["allocation"] == {"R-0002": 17_000_000, "R-0003": 1_000_000}


def test_list_of_an_empty_quarter_and_a_bad_quarter(tiny_dir, capsys):
    assert qsales(tiny_dir, "goals", "list", "--quarter", "2027-Q1") == 0
    assert "No goals for 2027-Q1." in capsys.readouterr().out
    assert qsales(tiny_dir, "goals", "list", "--quarter", "Q5") == 2
    assert "not a quarter name" in capsys.readouterr().err


# --- services ------------------------------------------------------------------------------


def draft(**changes) -> GoalDraft:
    values = {
        "quarter": "2026-Q4",
        "scope": "team:T-0001",
        "target": 18_000_000,
        "objective": "Grow key accounts",
        "why": "Key accounts carry the team",
    }
    return GoalDraft(**{**values, **changes})


def test_history_of_a_teams_revenue(tiny_ctx):
    history = service.goal_history(tiny_ctx, draft())
    assert history.quarterly == {"2026-Q2": 10_000_000, "2026-Q3": 16_500_000}
    assert history.per_rep == {
        "R-0002": {"2026-Q2": 10_000_000, "2026-Q3": 15_000_000},
        "R-0003": {"2026-Q2": 0, "2026-Q3": 1_500_000},
    }
    assert history.monthly == {
        "2026-04": 10_000_000,
        "2026-07": 12_000_000,
        "2026-08": 3_000_000,
        "2026-09": 1_500_000,
    }
    assert history.scope_reps == ["R-0002", "R-0003"]
    assert history.names["T-0001"] == "华东 East"


def test_history_per_metric_and_scope(tiny_ctx):
    def quarterly(**changes):
        return service.goal_history(tiny_ctx, draft(**changes)).quarterly

    assert quarterly(scope="segment:growth") == {"2026-Q3": 3_000_000}
    assert quarterly(scope="rep:R-0003") == {"2026-Q3": 1_500_000}
    # first purchases: C-0001 in Q2 (the history's first quarter: left out), C-0002 and
    # C-0003 in Q3
    assert quarterly(metric="new_customers", scope="company") == {"2026-Q3": 2}
    assert quarterly(metric="units", scope="product:QS-Cloud") == {"2026-Q2": 1, "2026-Q3": 3}
    assert quarterly(metric="units", scope="company", product="Other") == {}
    # the one rated interaction before 2026-Q4 has no CSAT: nothing to average
    assert quarterly(metric="avg_csat", scope="company") == {}


def test_avg_csat_and_market_share_history(tiny_ctx):
    csat = service.goal_history(
        tiny_ctx, draft(metric="avg_csat", scope="company", quarter="2027-Q1")
    )
    assert csat.quarterly["2026-Q4"] == 500
    assert csat.per_rep == {"R-0002": {"2026-Q4": 500}}
    tiny_ctx.store.insert(
        "market", {"quarter": "2026-Q3", "segment": "growth", "size_minor": 60_000_000}
    )
    share = service.goal_history(tiny_ctx, draft(metric="market_share", scope="segment:growth"))
    assert share.quarterly == {"2026-Q3": 500}  # ¥30,000 of ¥600,000 = 5.00%


def test_save_goal_adds_a_new_objective_and_editing_detects_a_conflict(tiny_ctx):
    saved = service.save_goal(tiny_ctx, draft(objective="Win the north"))
    assert "Win the north" in service.objectives(tiny_ctx)
    assert service.list_goals(tiny_ctx, "2026-Q4") == [saved]
    edit = draft(target=19_000_000, goal_id=saved["id"], goal_version=saved["_v"])
    assert service.save_goal(tiny_ctx, edit)["target"] == 19_000_000
    with pytest.raises(ConflictError):
        service.save_goal(tiny_ctx, edit.model_copy(update={"target": 20_000_000}))


def test_preview_lists_problems_without_writing(tiny_ctx):
    with pytest.raises(GoalError):
        service.preview_goal(tiny_ctx, draft(target=None))
    assert service.list_goals(tiny_ctx, "2026-Q4") == []


def test_progress_before_the_quarter_and_for_a_split_less_metric(tiny_ctx):
    saved = service.save_goal(tiny_ctx, draft())
    early = service.goal_progress(tiny_ctx, saved, date(2026, 9, 1))
    assert (early.actual_to_date, early.expected_to_date) == (None, 0)
    csat = service.save_goal(tiny_ctx, draft(metric="avg_csat", scope="company", target=450))
    progress = service.goal_progress(tiny_ctx, csat)
    assert (progress.actual_to_date, progress.expected_to_date) == (500, None)


def test_drafts_are_kept_per_user_and_kind(tiny_ctx, tiny_dir):
    from qsales_tui.context import Context

    assert service.load_draft(tiny_ctx, service.GOAL_DRAFT) is None
    service.save_draft(tiny_ctx, service.GOAL_DRAFT, draft(step=2).to_dict())
    service.save_draft(tiny_ctx, service.GOAL_DRAFT, draft(step=3).to_dict())
    resumed = GoalDraft.from_dict(service.load_draft(tiny_ctx, service.GOAL_DRAFT))
    assert resumed == draft(step=3)
    assert len(tiny_ctx.store.find("drafts", kind="goal")) == 1
    other = Context(data_dir=tiny_dir, today_override=date(2026, 11, 27), os_user="lucy")
    assert service.load_draft(other, service.GOAL_DRAFT) is None
    service.delete_draft(tiny_ctx, service.GOAL_DRAFT)
    assert service.load_draft(tiny_ctx, service.GOAL_DRAFT) is None


def test_save_goal_can_discard_the_wizard_draft(tiny_ctx):
    service.save_draft(tiny_ctx, service.GOAL_DRAFT, draft().to_dict())
    service.save_goal(tiny_ctx, draft(), discard_draft=True)
    assert service.load_draft(tiny_ctx, service.GOAL_DRAFT) is None


def test_improvement_actions_come_from_last_quarters_review(tiny_ctx):
    tiny_ctx.store.insert(
        "reviews",
        {
            "quarter": "2026-Q3",
            "summary": "",
            "actions": ["Call key accounts weekly", {"text": "Train on demos"}, " "],
        },
    )
    assert service.improvement_actions(tiny_ctx, "2026-Q4") == [
        "Call key accounts weekly",
        "Train on demos",
    ]
    assert service.improvement_actions(tiny_ctx, "2027-Q1") == []


# --- one goal in force per slot ---------------------------------------------------------------


def test_replacing_a_goal_supersedes_it_and_the_kpis_follow(tiny_ctx):
    from qsales_tui.analytics.kpi_inputs import KpiInputs

    first = service.save_goal(tiny_ctx, draft(scope="company"))
    replacing = draft(scope="company", target=17_000_000)
    with pytest.raises(GoalError) as refused:
        service.save_goal(tiny_ctx, replacing)
    assert [flag.name for flag in refused.value.flags] == ["replaces"]
    second = service.save_goal(
        tiny_ctx, replacing.model_copy(update={"acknowledgements": {"replaces": "plan cut"}})
    )
    assert tiny_ctx.store.get("goals", first["id"])["status"] == "superseded"
    quarter = tiny_ctx.calendar.quarter("2026-Q4")
    engine = KpiInputs.from_store(tiny_ctx.store, tiny_ctx.today).engine
    assert engine.revenue_goals(quarter)["company"]["id"] == second["id"]
    [(target, _expected)] = engine.targets(quarter, "total").values()
    assert target == 17_000_000


def test_editing_a_goal_is_no_replacement_and_a_superseded_one_is_not_edited(tiny_ctx):
    first = service.save_goal(tiny_ctx, draft())
    edited = service.save_goal(
        tiny_ctx, draft(target=19_000_000, goal_id=first["id"], goal_version=first["_v"])
    )
    assert (edited["id"], edited["status"], len(goals_in(tiny_ctx))) == (first["id"], "active", 1)
    second = service.save_goal(tiny_ctx, draft(acknowledgements={"replaces": "re-plan"}))
    old = tiny_ctx.store.get("goals", first["id"])
    with pytest.raises(GoalError, match=f"superseded by {second['id']}"):
        service.save_goal(tiny_ctx, draft(goal_id=old["id"], goal_version=old["_v"]))
    assert tiny_ctx.store.get("goals", first["id"])["status"] == "superseded"
    # editing the new goal keeps why it replaced the first, and replaces nothing more
    from qsales_tui.domain.goals import draft_from_goal

    again = draft_from_goal(second).model_copy(update={"target": 17_500_000})
    edited = service.save_goal(tiny_ctx, again)
    assert {"flag": "replaces", "reason": "re-plan"} in edited["acknowledgements"]
    assert edited["replaces"] == [first["id"]]


def test_a_goal_saved_meanwhile_is_caught_under_the_lock(tiny_ctx, monkeypatch):
    """The wizard read the history before another manager saved a goal for the slot."""
    stale = service.goal_history(tiny_ctx, draft())
    other = service.save_goal(tiny_ctx, draft())
    monkeypatch.setattr(service, "goal_history", lambda ctx, d: stale)
    with pytest.raises(GoalError) as refused:
        service.save_goal(tiny_ctx, draft())
    assert [flag.name for flag in refused.value.flags] == ["replaces"]
    assert [goal["id"] for goal in goals_in(tiny_ctx)] == [other["id"]]


def test_old_data_with_two_goals_in_force_counts_the_newest(tiny_ctx):
    from qsales_tui.analytics.kpi_inputs import KpiInputs

    base = {
        "quarter": "2026-Q4",
        "metric": "revenue",
        "scope": "company",
        "status": "active",
        "split": {},
        "allocation": {},
    }
    tiny_ctx.store.insert_many(
        "goals",
        [
            {**base, "id": "G-0001", "target": 1, "created_at": "2026-10-02T09:00:00+08:00"},
            {**base, "id": "G-0002", "target": 2, "created_at": "2026-10-01T09:00:00+08:00"},
        ],
    )
    quarter = tiny_ctx.calendar.quarter("2026-Q4")
    engine = KpiInputs.from_store(tiny_ctx.store, tiny_ctx.today).engine
    assert engine.revenue_goals(quarter)["company"]["id"] == "G-0001"
    # a new goal for the slot replaces both
    saved = service.save_goal(
        tiny_ctx, draft(scope="company", acknowledgements={"replaces": "one goal again"})
    )
    assert saved["replaces"] == ["G-0001", "G-0002"]
    assert {g["id"]: g["status"] for g in goals_in(tiny_ctx)} == {
        "G-0001": "superseded",
        "G-0002": "superseded",
        saved["id"]: "active",
    }
