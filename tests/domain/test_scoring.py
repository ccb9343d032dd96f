"""Scorecards: hand-worked scores, grade bands and their validation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from qsales_tui.domain.scoring import ScoringRules, kpi_label, score

KPIS = {
    "revenue_attainment": {"weight": 0.45, "target": 100, "cap": 1.2},
    "new_customers": {"weight": 0.15, "target": 4, "cap": 1.5},
    "csat": {"weight": 0.15, "target": 4.5},
    "followups_on_time": {"weight": 0.15, "target": 90, "cap": 1.1},
    "training_hours": {"weight": 0.10, "target": 8},
}
GRADES = [
    {
        "grade": "A",
        "from_score": 90,
        "to_score": 100,
        "bonus_multiplier": 1.2,
        "promotion_eligible": True,
    },
    {"grade": "B", "from_score": 75, "to_score": 90, "bonus_multiplier": 1.0},
    {"grade": "C", "from_score": 60, "to_score": 75, "bonus_multiplier": 0.8},
    {
        "grade": "D",
        "from_score": 0,
        "to_score": 60,
        "bonus_multiplier": 0.5,
        "improvement_plan": True,
    },
]


def card(**changes) -> ScoringRules:
    return ScoringRules.model_validate({"kpis": KPIS, "grades": GRADES, **changes})


def test_overachiever_is_capped_per_kpi_and_at_100():
    result = score(
        card(),
        {
            "revenue_attainment": 110,
            "new_customers": 6,
            "csat": 4.2,
            "followups_on_time": 99,
            "training_hours": 4,
        },
    )
    points = {line.name: line.points for line in result.kpis}
    # 110/100 = 1.1 (under the 1.2 cap) × 0.45 × 100 = 49.50
    # 6/4 = 1.5 (the cap) × 15 = 22.50
    # 4.2/4.5 = 0.9333 × 15 = 13.9995 → 14.00
    # 99/90 = 1.1 (the cap) × 15 = 16.50
    # 4/8 = 0.5 × 10 = 5.00          sum 107.50 → score 100
    assert points == {
        "revenue_attainment": Decimal("49.50"),
        "new_customers": Decimal("22.50"),
        "csat": Decimal("14.00"),
        "followups_on_time": Decimal("16.50"),
        "training_hours": Decimal("5.00"),
    }
    assert result.score == Decimal("100.00")
    assert result.grade.grade == "A" and result.grade.promotion_eligible
    assert result.bonus_multiplier == Decimal("1.2")


def test_middling_rep_with_a_missing_value():
    result = score(
        card(), {"revenue_attainment": 70, "new_customers": 2, "csat": 4.5, "followups_on_time": 81}
    )
    # 0.7×45 31.50 + 0.5×15 7.50 + 1×15 15.00 + 0.9×15 13.50 + no training 0 = 67.50 → C
    assert result.score == Decimal("67.50")
    assert result.grade.grade == "C" and result.bonus_multiplier == Decimal("0.8")
    training = next(line for line in result.kpis if line.name == "training_hours")
    assert (training.value, training.points) == (None, Decimal("0.00"))


def test_band_start_is_inclusive():
    # 45 + 15 + 0 + 15 + 0 = 75.00 → exactly the start of B
    result = score(card(), {"revenue_attainment": 100, "new_customers": 4, "followups_on_time": 90})
    assert result.score == Decimal("75.00")
    assert result.grade.grade == "B"


def test_negative_values_count_as_zero_and_low_scores_get_an_improvement_plan():
    result = score(card(), {"revenue_attainment": -20})
    assert result.score == 0
    assert result.grade.grade == "D" and result.grade.improvement_plan


def test_as_dict_is_json_ready():
    data = score(
        card(), {"revenue_attainment": 70, "new_customers": 2, "csat": 4.5, "followups_on_time": 81}
    ).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert (data["score"], data["grade"], data["bonus_multiplier"]) == ("67.50", "C", "0.8")
    assert data["kpis"][0] == {
        "kpi": "revenue_attainment",
        "value": "70",
        "target": "100",
        "normalised": "0.7000",
        "weight": "0.45",
        "points": "31.50",
    }


def test_kpi_labels_are_translated():
    assert kpi_label("csat") == "Customer satisfaction"


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"kpis": {**KPIS, "csat": {"weight": 0.2, "target": 4.5}}},
            "weights add up to 1.05, not 1",
        ),
        (
            {"kpis": {**KPIS, "revenu_attainment": {"weight": 0.1, "target": 1}}},
            "did you mean 'revenue_attainment'",
        ),
        ({"grades": [GRADES[1], GRADES[0], *GRADES[2:]]}, "top grade must reach 100"),
        ({"grades": [GRADES[0], GRADES[2], GRADES[1], GRADES[3]]}, "highest band down"),
        (
            {"grades": [GRADES[0], {**GRADES[1], "to_score": 95}, *GRADES[2:]]},
            "grade bands overlap",
        ),
        ({"grades": [GRADES[0], {**GRADES[1], "to_score": 85}, *GRADES[2:]]}, "gap between grades"),
        (
            {"grades": [*GRADES[:3], {**GRADES[3], "from_score": 10}]},
            "lowest grade must start at 0",
        ),
        ({"grades": [*GRADES[:3], {**GRADES[3], "grade": "A"}]}, "listed twice"),
    ],
)
def test_scorecard_validation(changes, message):
    with pytest.raises(ValidationError, match=message):
        card(**changes)
