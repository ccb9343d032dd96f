"""Scorecards (``scoring.yaml``): weighted KPIs → score → grade → what follows.

Each KPI is normalised to its target, ``min(actual ÷ target, cap)`` (never below 0),
rounded half up to 4 decimals, and earns ``normalised × weight × 100`` points, rounded
half up to 0.01. The score is the sum of the points, at most 100: a cap above 1 lets
over-achievement on one KPI make up for a shortfall on another, but never lifts the
score past 100. A KPI with no value (e.g. no survey answered) earns 0 points and shows
no value.

Grades are listed from the top band down (A first); a band runs from ``from_score``
(inclusive) to ``to_score`` (exclusive), and the top band includes 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Annotated

from pydantic import Field, field_validator

from qsales_tui.i18n import _
from qsales_tui.rules.base import LocatedError, RuleModel, plain
from qsales_tui.rules.source import did_you_mean

# The KPIs a scorecard may weigh, and the unit each value is given in.
KPI_UNITS = {
    "revenue_attainment": "%",  # sales ÷ target × 100
    "new_customers": "count",
    "csat": "1-5",  # mean satisfaction
    "followups_on_time": "%",  # follow-ups done by their due date ÷ all due
    "training_hours": "hours",
}
Score = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def kpi_label(name: str) -> str:
    """The KPI's name for people, in the current language."""
    labels = {
        "revenue_attainment": _("Revenue attainment"),
        "new_customers": _("New customers"),
        "csat": _("Customer satisfaction"),
        "followups_on_time": _("Follow-ups on time"),
        "training_hours": _("Training hours"),
    }
    return labels.get(name, name)


class Kpi(RuleModel):
    weight: Annotated[Decimal, Field(gt=0, le=1, allow_inf_nan=False)]
    target: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
    cap: Annotated[Decimal, Field(ge=1, le=5, allow_inf_nan=False)] = Decimal(1)


class Grade(RuleModel):
    grade: str = Field(min_length=1, max_length=8)
    from_score: Score
    to_score: Score
    bonus_multiplier: Annotated[Decimal, Field(ge=0, le=5, allow_inf_nan=False)]
    promotion_eligible: bool = False
    improvement_plan: bool = False


class ScoringRules(RuleModel):
    kpis: dict[str, Kpi] = Field(min_length=1)
    grades: list[Grade] = Field(min_length=1)

    @field_validator("kpis")
    @classmethod
    def _known_and_weighted(cls, kpis: dict[str, Kpi]) -> dict[str, Kpi]:
        for name in kpis:
            if name not in KPI_UNITS:
                raise LocatedError(
                    (name,),
                    _("unknown KPI '{name}'", name=name)
                    + did_you_mean(name, KPI_UNITS)
                    + _("; known: {names}", names=", ".join(KPI_UNITS)),
                )
        total = sum((kpi.weight for kpi in kpis.values()), Decimal(0))
        if total != 1:
            raise ValueError(_("the KPI weights add up to {total}, not 1", total=plain(total)))
        return kpis

    @field_validator("grades")
    @classmethod
    def _bands(cls, grades: list[Grade]) -> list[Grade]:
        """Top band first, reaching 100; each band ends where the one above starts.

        The bottom band starts at 0.
        """
        seen: set[str] = set()
        for index, grade in enumerate(grades):
            if grade.grade in seen:
                raise LocatedError(
                    (index, "grade"), _("grade '{grade}' is listed twice", grade=grade.grade)
                )
            seen.add(grade.grade)
            if grade.to_score <= grade.from_score:
                raise LocatedError((index, "to_score"), _("'to_score' must be above 'from_score'"))
        if grades[0].to_score != 100:
            raise LocatedError((0, "to_score"), _("the top grade must reach 100"))
        pairs = list(enumerate(pairwise(grades), start=1))
        for index, (upper, lower) in pairs:
            if lower.from_score >= upper.from_score:
                raise LocatedError(
                    (index, "from_score"),
                    _(
                        "grades must be listed from the highest band down: "
                        "'{lower}' comes after '{upper}'",
                        lower=lower.grade,
                        upper=upper.grade,
                    ),
                )
        for index, (upper, lower) in pairs:
            if lower.to_score > upper.from_score:
                raise LocatedError(
                    (index, "to_score"),
                    _(
                        "grade bands overlap: "
                        "'{lower}' runs to {end} but '{upper}' starts at {start}",
                        lower=lower.grade,
                        end=plain(lower.to_score),
                        upper=upper.grade,
                        start=plain(upper.from_score),
                    ),
                )
            if lower.to_score < upper.from_score:
                raise LocatedError(
                    (index, "to_score"),
                    _(
                        "gap between grades: "
                        "'{lower}' ends at {end} but '{upper}' starts at {start}",
                        lower=lower.grade,
                        end=plain(lower.to_score),
                        upper=upper.grade,
                        start=plain(upper.from_score),
                    ),
                )
        if grades[-1].from_score != 0:
            raise LocatedError(
                (len(grades) - 1, "from_score"), _("the lowest grade must start at 0")
            )
        return grades

    def grade_for(self, score: Decimal) -> Grade:
        for grade in self.grades:
            if score >= grade.from_score:
                return grade
        return self.grades[-1]


@dataclass(frozen=True)
class KpiScore:
    name: str
    value: Decimal | None
    target: Decimal
    normalised: Decimal
    weight: Decimal
    points: Decimal


@dataclass(frozen=True)
class Scorecard:
    kpis: tuple[KpiScore, ...]
    score: Decimal
    grade: Grade

    @property
    def bonus_multiplier(self) -> Decimal:
        return self.grade.bonus_multiplier

    def as_dict(self) -> dict[str, object]:
        """JSON-ready data; numbers as exact decimal strings."""
        return {
            "score": str(self.score),
            "grade": self.grade.grade,
            "bonus_multiplier": str(self.grade.bonus_multiplier),
            "promotion_eligible": self.grade.promotion_eligible,
            "improvement_plan": self.grade.improvement_plan,
            "kpis": [
                {
                    "kpi": line.name,
                    "value": None if line.value is None else str(line.value),
                    "target": str(line.target),
                    "normalised": str(line.normalised),
                    "weight": str(line.weight),
                    "points": str(line.points),
                }
                for line in self.kpis
            ],
        }


def score(rules: ScoringRules, kpi_values: Mapping[str, Decimal | int | float | None]) -> Scorecard:
    """Score one rep's KPI values (units as in ``KPI_UNITS``) against the scorecard.

    Values of KPIs the scorecard does not weigh are ignored."""
    lines = []
    for name, kpi in rules.kpis.items():
        raw = kpi_values.get(name)
        value = None if raw is None else Decimal(str(raw))
        normalised = (
            Decimal(0) if value is None else min(max(value / kpi.target, Decimal(0)), kpi.cap)
        )
        normalised = normalised.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        points = (normalised * kpi.weight * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(KpiScore(name, value, kpi.target, normalised, kpi.weight, points))
    total = min(sum((line.points for line in lines), Decimal(0)), HUNDRED).quantize(CENT)
    return Scorecard(tuple(lines), total, rules.grade_for(total))
