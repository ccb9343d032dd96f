"""What every rule model shares: unknown keys are errors, values are immutable, and
cross-field checks can point at the exact part of the value that is wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Path = tuple[str | int, ...]

# Commission rates are fractions of sales (0.04 = 4%); above 1 is surely a typo.
Rate = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]
# Percentages of a target (attainment, thresholds): 0–1000.
Pct = Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)]
# Money in rule files is written in major units (yuan, dollars): 2000 = ¥2,000.00.
Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Days = Annotated[int, Field(ge=1, le=3650)]


class RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocatedError(ValueError):
    """A validator's complaint about one part of the value it checks.

    ``where`` is the path below the validated value (e.g. ``(2, "from_pct")`` for the
    third tier's start), so the message can name that field and its line.
    """

    def __init__(self, where: Path, message: str):
        super().__init__(message)
        self.where = where
        self.message = message


def plain(number: Decimal) -> str:
    """A rule number as people write it: ``Decimal("80.0")`` → ``80``, ``0.035`` → ``0.035``."""
    return f"{number.normalize():f}"
