"""Broken rule files: each gives its own message with file, line and field, and the
last good rules stay in force."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from qsales_tui.context import SAMPLE_RULES_DIR
from qsales_tui.domain.incentives import PayoutInputs, SaleLine, payout
from qsales_tui.rules import RulesRegistry, load_cadences
from qsales_tui.rules.registry import load_rules_dir
from qsales_tui.rules.source import RulesInvalid


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(SAMPLE_RULES_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new``; return the (1-based) line where it starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


# (file, old text, new text, field, message, line offset from the edit or a line marker)
BROKEN = {
    "syntax error": (
        "incentives.yaml",
        "rate: 0.01}",
        "rate: 0.01",
        "",
        "YAML syntax error: expected ',' or '}', but got '{' "
        "(while parsing a flow mapping that starts on line {line})",
        1,
    ),
    "unknown key with suggestion": (
        "incentives.yaml",
        "rate: 0.03}",
        "rat: 0.03}",
        "plans.standard.tiers[1].rat",
        "unknown key 'rat' (did you mean 'rate'?)",
        0,
    ),
    "wrong type": (
        "incentives.yaml",
        "base_rate: 0.01",
        "base_rate: one percent",
        "plans.standard.base_rate",
        "expected a number, got 'one percent'",
        0,
    ),
    "overlapping tiers": (
        "incentives.yaml",
        "{from_pct: 80,  to_pct: 100, rate: 0.03}",
        "{from_pct: 70,  to_pct: 100, rate: 0.03}",
        "plans.standard.tiers[1].from_pct",
        "tiers overlap: this tier starts at 70% but the one before runs to 80%",
        0,
    ),
    "unordered tiers": (
        "incentives.yaml",
        "      - {from_pct: 80,  to_pct: 100, rate: 0.03}\n"
        "      - {from_pct: 100, to_pct: 130, rate: 0.05}   # accelerator above target\n",
        "      - {from_pct: 100, to_pct: 130, rate: 0.05}\n"
        "      - {from_pct: 80,  to_pct: 100, rate: 0.03}\n",
        "plans.standard.tiers[2].from_pct",
        "tiers must be in ascending order: 80% comes after 100%",
        1,
    ),
    "negative rate": (
        "incentives.yaml",
        "rate: 0.07}",
        "rate: -0.07}",
        "plans.standard.tiers[3].rate",
        "must be ≥ 0, got -0.07",
        0,
    ),
    "rate out of range": (
        "incentives.yaml",
        "base_rate: 0.01",
        "base_rate: 5",
        "plans.standard.base_rate",
        "must be ≤ 1, got 5",
        0,
    ),
    "missing required field": (
        "incentives.yaml",
        "    method: marginal\n",
        "",
        "plans.standard.method",
        "required key is missing",
        "  standard:",
    ),
    "assignment to a plan that does not exist": (
        "incentives.yaml",
        "rep: standard",
        "rep: standart",
        "assign.roles.rep",
        "no plan named 'standart' (did you mean 'standard'?)",
        0,
    ),
    "unknown role": (
        "incentives.yaml",
        "    manager: manager\n",
        "    manager: manager\n    salesman: standard\n",
        "assign.roles.salesman",
        "must be one of 'rep', 'manager' or 'director', got 'salesman'",
        1,
    ),
    "duplicate key": (
        "incentives.yaml",
        "    threshold_pct: 50",
        "    threshold_pct: 40\n    threshold_pct: 50",
        "plans.standard.threshold_pct",
        "duplicate key (first given on line {line})",
        1,
    ),
    "python tag is refused, never run": (
        "incentives.yaml",
        "label: Field rep (marginal tiers)",
        'label: !!python/object/apply:os.system ["echo pwned"]',
        "",
        "not allowed in a rule file: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
        0,
    ),
    "weights not summing to 1": (
        "scoring.yaml",
        "weight: 0.45",
        "weight: 0.55",
        "kpis",
        "the KPI weights add up to 1.1, not 1",
        "kpis:",
    ),
    "unknown KPI": (
        "scoring.yaml",
        "  csat:  ",
        "  csatt: ",
        "kpis.csatt",
        "unknown KPI 'csatt' (did you mean 'csat'?); known: "
        "revenue_attainment, new_customers, csat, followups_on_time, training_hours",
        0,
    ),
    "grade bands overlapping": (
        "scoring.yaml",
        "to_score: 90",
        "to_score: 95",
        "grades[1].to_score",
        "grade bands overlap: 'B' runs to 95 but 'A' starts at 90",
        0,
    ),
    "grade multiplier out of range": (
        "scoring.yaml",
        "bonus_multiplier: 1.2",
        "bonus_multiplier: 12",
        "grades[0].bonus_multiplier",
        "must be ≤ 5, got 12",
        0,
    ),
    "a list where a mapping is expected": (
        "cadences.yaml",
        (
            "followup_days:\n  key: 14          # key accounts: every two weeks\n"
            "  growth: 30       # growth accounts: monthly\n"
            "  standard: 60     # standard accounts: every two months\n"
        ),
        "followup_days: [14, 30, 60]\n",
        "followup_days",
        "expected a mapping (key: value), got a list",
        0,
    ),
    "fractional days": (
        "cadences.yaml",
        "key: 14",
        "key: 14.5",
        "followup_days.key",
        "expected a whole number, got 14.5",
        0,
    ),
    "not a boolean": (
        "cadences.yaml",
        "enabled: true",
        "enabled: maybe",
        "public_pool.enabled",
        "expected true or false, got 'maybe'",
        0,
    ),
    "alert thresholds in the wrong order": (
        "alerts.yaml",
        "caution_pct: 5 ",
        "caution_pct: 15",
        "behind_pace.caution_pct",
        "'caution_pct' must be below 'off_track_pct'",
        0,
    ),
    "infinite value": (
        "alerts.yaml",
        "min_coverage: 3.0",
        "min_coverage: .inf",
        "thin_pipeline.min_coverage",
        "expected a finite number, got inf",
        0,
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_file_is_reported_and_last_good_stays(rules_dir, case):
    file, old, new, field, message, where = BROKEN[case]
    registry = RulesRegistry()
    assert registry.reload(rules_dir).ok
    good = registry.rules
    path = rules_dir / file
    edited = edit(path, old, new)
    line = line_of(path, where) if isinstance(where, str) else edited + where
    result = registry.reload(rules_dir)
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    problem = result.problems[0]
    assert (problem.file, problem.line, problem.field) == (file, line, field)
    assert problem.message == message.replace("{line}", str(edited))
    assert str(problem).startswith(f"{file}:{line}: ")
    assert result.kept == (file,)
    assert result.notices() == [f"{file} has errors; the last good rules stay in force"]
    assert registry.rules == good


@pytest.mark.parametrize("content", ["", "   \n", "# only a comment\n"])
def test_empty_file(rules_dir, content):
    (rules_dir / "scoring.yaml").write_text(content)
    result = RulesRegistry().reload(rules_dir)
    assert [str(p) for p in result.problems] == ["scoring.yaml:1: the file is empty"]


def test_whole_file_is_a_list(rules_dir):
    (rules_dir / "alerts.yaml").write_text("- behind_pace\n- churn_spike\n")
    result = RulesRegistry().reload(rules_dir)
    assert [str(p) for p in result.problems] == [
        "alerts.yaml:1: expected a mapping (key: value), got a list"
    ]


def test_misspelt_top_level_key(rules_dir):
    line = edit(rules_dir / "incentives.yaml", "\nplans:", "\nplan:") + 1
    problems = [str(p) for p in RulesRegistry().reload(rules_dir).problems]
    # one mistake, one message: no echo "plans: required key is missing"
    assert problems == [f"incentives.yaml:{line}: plan: unknown key 'plan' (did you mean 'plans'?)"]


def test_a_missing_key_without_a_lookalike_is_reported(rules_dir):
    line = edit(rules_dir / "incentives.yaml", "\nassign:", "\nwho_gets_what:") + 1
    problems = [str(p) for p in RulesRegistry().reload(rules_dir).problems]
    assert f"incentives.yaml:{line}: who_gets_what: unknown key 'who_gets_what'" in problems
    assert "incentives.yaml:16: assign: required key is missing" in problems


def test_every_problem_of_a_file_is_listed(rules_dir):
    path = rules_dir / "incentives.yaml"
    edit(path, "rate: 0.03}", "rat: 0.03}")
    edit(path, "per_new_customer: 2000", "per_new_customer: -2000")
    fields = [p.field for p in RulesRegistry().reload(rules_dir).problems]
    assert "plans.standard.tiers[1].rat" in fields
    assert "plans.senior.bonuses.per_new_customer" in fields


def test_unsafe_tag_runs_nothing(rules_dir, tmp_path):
    marker = tmp_path / "pwned"
    edit(
        rules_dir / "cadences.yaml",
        "key: 14",
        f'key: !!python/object/apply:os.system ["touch {marker}"]',
    )
    assert not RulesRegistry().reload(rules_dir).ok
    assert not marker.exists()


def test_a_bad_file_on_first_load_uses_the_shipped_default(rules_dir):
    edit(rules_dir / "scoring.yaml", "weight: 0.45", "weight: 0.55")
    registry = RulesRegistry()
    result = registry.reload(rules_dir)
    assert result.defaulted == ("scoring.yaml",) and result.kept == ()
    assert result.notices() == ["scoring.yaml has errors; the default rules are used"]
    assert registry.rules.scoring == load_rules_dir(SAMPLE_RULES_DIR).scoring


def test_fixing_the_file_puts_the_new_rules_in_force(rules_dir):
    registry = RulesRegistry()
    registry.reload(rules_dir)
    path = rules_dir / "cadences.yaml"
    edit(path, "key: 14", "key: x")
    assert registry.reload(rules_dir).kept == ("cadences.yaml",)
    assert registry.rules.cadences.as_dict()["key"] == 14
    edit(path, "key: x", "key: 7")
    result = registry.reload(rules_dir)
    assert result.ok and not result.notices()
    assert registry.rules.cadences.as_dict()["key"] == 7


def test_missing_file_uses_the_default_and_says_so(rules_dir):
    (rules_dir / "alerts.yaml").unlink()
    registry = RulesRegistry()
    result = registry.reload(rules_dir)
    assert result.ok and result.missing == ("alerts.yaml",)
    assert result.notices() == ["alerts.yaml not found; the default rules are used"]
    assert registry.rules.alerts.behind_pace.off_track_pct == 10


def test_vanished_directory_keeps_the_rules_in_force(rules_dir):
    registry = RulesRegistry()
    registry.reload(rules_dir)
    edit(rules_dir / "cadences.yaml", "key: 14", "key: 21")
    registry.reload(rules_dir)
    shutil.rmtree(rules_dir)
    result = registry.reload(rules_dir)
    assert not result.ok and "does not exist" in result.problems[0].message
    assert "cadences.yaml" in result.kept
    assert registry.rules.cadences.as_dict()["key"] == 21


def test_load_rules_dir_is_strict(rules_dir):
    edit(rules_dir / "incentives.yaml", "rate: 0.03}", "rat: 0.03}")
    with pytest.raises(RulesInvalid, match=r"incentives.yaml:\d+: plans.standard.tiers\[1\].rat"):
        load_rules_dir(rules_dir)


def test_load_cadences_keeps_the_last_good_cadences(rules_dir):
    edit(rules_dir / "cadences.yaml", "growth: 30", "growth: 21")
    assert load_cadences(rules_dir) == {"key": 14, "growth": 21, "standard": 60}
    edit(rules_dir / "cadences.yaml", "growth: 21", "growth: soon")
    assert load_cadences(rules_dir) == {"key": 14, "growth": 21, "standard": 60}


def test_messages_follow_the_language(rules_dir):
    from qsales_tui.i18n import set_language

    edit(rules_dir / "incentives.yaml", "rate: 0.03}", "rat: 0.03}")
    set_language("zh")
    try:
        result = RulesRegistry().reload(rules_dir)
        notices = result.notices()
    finally:
        set_language("en")
    assert result.problems[0].message == "未知的键 'rat'（是否应为 'rate'？）"
    assert notices == ["incentives.yaml 有错误；使用默认规则"]


def test_shipped_rules_are_valid_and_realistic():
    rules = load_rules_dir(SAMPLE_RULES_DIR)
    name, plan = rules.incentives.plan_for("R-0099", "rep")
    assert name == "standard"
    assert payout(plan, PayoutInputs(target_minor=100_000_000, sales=[])).total_minor == 0
    # A rep exactly on a ¥1,000,000 target: base 1% 10,000 + tier 0–80% at 1% 8,000
    # + tier 80–100% at 3% 6,000 + target bonus 8,000 = ¥32,000
    line = SaleLine(date(2026, 11, 1), "C-0001", "QS-Edge 边缘网关", 1, 100_000_000)
    assert payout(plan, PayoutInputs(100_000_000, [line])).total_minor == 3_200_000
    assert rules.cadences.as_dict() == {"key": 14, "growth": 30, "standard": 60}
    assert sum(kpi.weight for kpi in rules.scoring.kpis.values()) == 1


def test_alias_bomb_is_refused_quickly(rules_dir):
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    (rules_dir / "alerts.yaml").write_text("\n".join(levels) + "\n")
    result = RulesRegistry().reload(rules_dir)
    assert [str(p) for p in result.problems] == ["alerts.yaml: too many values (more than 20000)"]


def test_anchors_and_aliases_may_share_tiers(rules_dir):
    path = rules_dir / "incentives.yaml"
    edit(
        path,
        "    tiers:\n      - {from_pct: 0,   to_pct: 80,",
        "    tiers: &standard_tiers\n      - {from_pct: 0,   to_pct: 80,",
    )
    edit(
        path,
        "    tiers:\n      - {from_pct: 0,   to_pct: 70,",
        "    tiers: *standard_tiers\n    unused:\n      - {from_pct: 0,   to_pct: 70,",
    )
    problems = RulesRegistry().reload(rules_dir).problems
    assert [(p.field, p.message) for p in problems] == [
        ("plans.senior.unused", "unknown key 'unused'")
    ]
