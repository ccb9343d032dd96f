"""``alerts.yaml``: thresholds of the early warnings. Every section and value has a
default, so a file may set only what it changes.

Status: validated by ``check-rules`` and the app, but no screen raises these warnings
yet (the risk-and-alerts screen is still to come). The on track / caution / off track
status of pace comes from the dataset's ``settings.pace_thresholds`` (see
``analytics.kpis.pace_thresholds``), not from ``behind_pace`` here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from qsales_tui.domain.models import Segment
from qsales_tui.i18n import _
from qsales_tui.rules.base import Days, LocatedError, Pct, RuleModel


class BehindPace(RuleModel):
    """Behind the expected-to-date by at least ``caution_pct`` %: caution.

    By at least ``off_track_pct`` %: off track.
    """

    enabled: bool = True
    caution_pct: Pct = Decimal(5)
    off_track_pct: Pct = Decimal(10)

    @model_validator(mode="after")
    def _ordered(self) -> BehindPace:
        if self.caution_pct >= self.off_track_pct:
            raise LocatedError(("caution_pct",), _("'caution_pct' must be below 'off_track_pct'"))
        return self


class AccountSilent(RuleModel):
    """A customer of these segments with no contact for ``days`` days."""

    enabled: bool = True
    days: Days = 30
    segments: list[Segment] = Field(default=["key"], min_length=1)


class ThinPipeline(RuleModel):
    """Open pipeline closing this quarter ÷ target still to go below ``min_coverage``."""

    enabled: bool = True
    min_coverage: Annotated[Decimal, Field(gt=0, le=20, allow_inf_nan=False)] = Decimal(3)


class ChurnSpike(RuleModel):
    """Quarter churn above ``max_churn_pct`` %, or up ``rise_points`` points on last quarter."""

    enabled: bool = True
    max_churn_pct: Pct = Decimal(5)
    rise_points: Pct = Decimal(2)


class SatisfactionDrop(RuleModel):
    """Mean CSAT down ``csat_drop`` or NPS down ``nps_drop`` points on last quarter."""

    enabled: bool = True
    csat_drop: Annotated[Decimal, Field(gt=0, le=4, allow_inf_nan=False)] = Decimal("0.3")
    nps_drop: Annotated[Decimal, Field(gt=0, le=200, allow_inf_nan=False)] = Decimal(10)


class AlertRules(RuleModel):
    behind_pace: BehindPace = BehindPace()
    key_account_silent: AccountSilent = AccountSilent()
    thin_pipeline: ThinPipeline = ThinPipeline()
    churn_spike: ChurnSpike = ChurnSpike()
    satisfaction_drop: SatisfactionDrop = SatisfactionDrop()
