"""``cadences.yaml``: how often each customer segment is followed up, and the public
pool (公海池) that takes back customers left without contact or deal too long."""

from __future__ import annotations

from pydantic import Field

from qsales_tui.rules.base import Days, RuleModel


class SegmentDays(RuleModel):
    key: Days
    growth: Days
    standard: Days


class PublicPool(RuleModel):
    enabled: bool = True
    reclaim_after_days: Days = 90
    claim_limit: int = Field(default=30, ge=0, le=10_000)


class CadenceRules(RuleModel):
    followup_days: SegmentDays
    public_pool: PublicPool = PublicPool()

    def as_dict(self) -> dict[str, int]:
        """Segment → days between follow-ups."""
        return self.followup_days.model_dump()
