"""Incentive plans (``incentives.yaml``) and the payout statement they produce.

A plan pays, in this order (each step is one or more statement lines):

1. **Threshold** — below ``threshold_pct`` attainment nothing is earned (no
   commission, no bonuses); only clawbacks still apply.
2. **Base** — ``base_rate`` on all sales of the period.
3. **Tiers** on attainment (sales ÷ target), on top of the base. ``marginal``: each
   band's rate on the part of sales inside that band. ``flat`` (retroactive): the rate
   of the band reached on all sales. Accelerators are simply higher tiers above 100%.
   A band runs from ``from_pct`` (inclusive) to ``to_pct`` (exclusive); the last band
   is open-ended. Band limits in money are rounded half up to the minor unit.
4. **Bonuses** — per new customer, for reaching the quarter target (attainment ≥
   100%), per unit sold of a named product.
5. **Grade multiplier** (from the scorecard) on commission + bonuses.
6. **Cap** — the earned amount after the multiplier is limited to the lower of
   ``cap.amount`` and ``cap.pct_of_target`` % of the target.
7. **Clawbacks** — commission on sales to customers who churned within
   ``clawback.within_days`` days of the sale is taken back, at this statement's
   effective commission rate (base + tier commission ÷ period sales; zero below the
   threshold). Sales of earlier periods (``PayoutInputs.earlier_sales``) are clawed
   back at the same rate, an estimate since their own statements are not stored. The
   rate is rounded half up to 6 decimal places, as shown on the line, and each line is
   its sales × that rate, so it can be recomputed from the statement alone.
   Clawbacks are neither multiplied nor capped, so only they can make a total negative.

Money is int minor units throughout. Every line is rounded half up to the minor unit
on its own and the total is the sum of the lines, so a statement always adds up.
Negative period sales (more returns than sales) earn no commission rather than a
negative one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Literal

from pydantic import Field, field_validator, model_validator

from qsales_tui.domain.money import apply_rate, format_money, parse_money
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.rules.base import Amount, Days, LocatedError, Pct, Rate, RuleModel, plain
from qsales_tui.rules.source import did_you_mean

Role = Literal["rep", "manager", "director"]
HUNDRED = Decimal(100)
RATE_PLACES = Decimal("0.000001")  # a clawback's effective rate, as shown


class Tier(RuleModel):
    from_pct: Pct
    to_pct: Pct | None = None
    rate: Rate

    def band(self) -> str:
        if self.to_pct is None:
            return f"{plain(self.from_pct)}%+"
        return f"{plain(self.from_pct)}–{plain(self.to_pct)}%"


class Cap(RuleModel):
    amount: Amount | None = None
    pct_of_target: Pct | None = None

    @model_validator(mode="after")
    def _one_limit(self) -> Cap:
        if self.amount is None and self.pct_of_target is None:
            raise ValueError(_("a cap needs 'amount', 'pct_of_target' or both"))
        return self


class ProductBonus(RuleModel):
    product: str = Field(min_length=1)
    per_unit: Amount


class Bonuses(RuleModel):
    per_new_customer: Amount = Decimal(0)
    target_reached: Amount = Decimal(0)
    products: list[ProductBonus] = Field(default_factory=list)


class Clawback(RuleModel):
    within_days: Days


class Plan(RuleModel):
    label: str = ""
    method: Literal["marginal", "flat"]
    base_rate: Rate = Decimal(0)
    threshold_pct: Pct = Decimal(0)
    tiers: list[Tier] = Field(min_length=1)
    cap: Cap | None = None
    bonuses: Bonuses = Bonuses()
    clawback: Clawback | None = None

    @field_validator("tiers")
    @classmethod
    def _contiguous(cls, tiers: list[Tier]) -> list[Tier]:
        """Bands start at 0%, follow each other without gap or overlap, the last is open."""
        if tiers[0].from_pct != 0:
            raise LocatedError((0, "from_pct"), _("the first tier must start at 0"))
        pairs = list(enumerate(pairwise(tiers)))
        for index, (tier, after) in pairs:
            if after.from_pct < tier.from_pct:
                raise LocatedError(
                    (index + 1, "from_pct"),
                    _(
                        "tiers must be in ascending order: {after}% comes after {before}%",
                        after=plain(after.from_pct),
                        before=plain(tier.from_pct),
                    ),
                )
        for index, (tier, after) in pairs:
            if tier.to_pct is None:
                raise LocatedError(
                    (index, "to_pct"), _("only the last tier may leave out 'to_pct'")
                )
            if tier.to_pct <= tier.from_pct:
                raise LocatedError((index, "to_pct"), _("'to_pct' must be above 'from_pct'"))
            if after.from_pct < tier.to_pct:
                raise LocatedError(
                    (index + 1, "from_pct"),
                    _(
                        "tiers overlap: this tier starts at {start}% "
                        "but the one before runs to {end}%",
                        start=plain(after.from_pct),
                        end=plain(tier.to_pct),
                    ),
                )
            if after.from_pct > tier.to_pct:
                raise LocatedError(
                    (index + 1, "from_pct"),
                    _(
                        "gap between tiers: the one before ends at {end}%, "
                        "this one starts at {start}%",
                        end=plain(tier.to_pct),
                        start=plain(after.from_pct),
                    ),
                )
        if tiers[-1].to_pct is not None:
            raise LocatedError(
                (len(tiers) - 1, "to_pct"),
                _("the last tier must be open-ended (leave out 'to_pct')"),
            )
        return tiers


class Assignments(RuleModel):
    """Which plan a rep is on: by rep id first, else by role."""

    roles: dict[Role, str] = Field(default_factory=dict)
    reps: dict[str, str] = Field(default_factory=dict)


class IncentiveRules(RuleModel):
    plans: dict[str, Plan] = Field(min_length=1)
    assign: Assignments

    @model_validator(mode="after")
    def _assigned_plans_exist(self) -> IncentiveRules:
        for group, mapping in (("roles", self.assign.roles), ("reps", self.assign.reps)):
            for who, plan in mapping.items():
                if plan not in self.plans:
                    raise LocatedError(
                        ("assign", group, who),
                        _("no plan named '{plan}'", plan=plan) + did_you_mean(plan, self.plans),
                    )
        return self

    def plan_for(self, rep_id: str, role: str) -> tuple[str, Plan] | None:
        """The (name, plan) a rep is paid on; a rep assignment overrides the role's."""
        name = self.assign.reps.get(rep_id) or self.assign.roles.get(role)  # type: ignore[call-overload]
        return (name, self.plans[name]) if name else None


class PayoutError(QsalesError):
    """A payout that cannot be computed from the inputs given."""


@dataclass(frozen=True)
class SaleLine:
    date: date
    customer_id: str
    product: str
    quantity: Decimal | int
    amount_minor: int


@dataclass(frozen=True)
class PayoutInputs:
    """Plain data for one rep and period; ``churned`` maps customer id → churn date."""

    target_minor: int
    sales: Sequence[SaleLine] = ()
    new_customers: int = 0
    churned: Mapping[str, date] = field(default_factory=dict)
    earlier_sales: Sequence[SaleLine] = ()
    multiplier: Decimal = Decimal(1)
    currency: str = "CNY"


LineKind = Literal["threshold", "base", "tier", "bonus", "multiplier", "cap", "clawback", "total"]


@dataclass(frozen=True)
class PayoutLine:
    kind: LineKind
    label: str
    basis_minor: int | None
    rate: Decimal | None
    amount_minor: int
    detail: str = ""


@dataclass(frozen=True)
class PayoutStatement:
    plan_name: str
    target_minor: int
    sales_minor: int
    attainment: Decimal  # a fraction: 1.05 = 105%
    lines: tuple[PayoutLine, ...]  # the last one is the total
    currency: str = "CNY"
    plan_label: str = ""  # the plan's ``label`` from incentives.yaml, as written there

    @property
    def plan_title(self) -> str:
        """What to show for the plan: its label, else its key."""
        return self.plan_label or self.plan_name

    @property
    def total_minor(self) -> int:
        return self.lines[-1].amount_minor

    def as_dict(self) -> dict[str, object]:
        """The whole statement as JSON-ready data.

        Exact: money in minor units, ratios as strings.
        """
        return {
            "plan": self.plan_name,
            "plan_label": self.plan_label,
            "currency": self.currency,
            "target_minor": self.target_minor,
            "sales_minor": self.sales_minor,
            "attainment": str(self.attainment.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
            "total_minor": self.total_minor,
            "lines": self.rows(),
        }

    def rows(self) -> list[dict[str, object]]:
        """Plain rows for a table or an export (rates as strings, exact)."""
        return [
            {
                "kind": line.kind,
                "label": line.label,
                "basis_minor": line.basis_minor,
                "rate": None if line.rate is None else str(line.rate),
                "amount_minor": line.amount_minor,
                "detail": line.detail,
            }
            for line in self.lines
        ]


def payout(plan: Plan, inputs: PayoutInputs, plan_name: str = "") -> PayoutStatement:
    """The explained statement of what ``plan`` pays for ``inputs``."""
    if inputs.target_minor <= 0:
        raise PayoutError(_("a payout needs a positive target"))
    if inputs.multiplier < 0:
        raise PayoutError(_("the grade multiplier cannot be negative"))
    money = _Money(inputs.currency)
    sales = sum(line.amount_minor for line in inputs.sales)
    basis = max(sales, 0)
    target = inputs.target_minor
    attainment = Decimal(sales) / Decimal(target)
    lines: list[PayoutLine] = []
    commission = 0
    if basis * HUNDRED < plan.threshold_pct * target:
        detail = _(
            "attainment {att} is below the {pct}% threshold: nothing is earned",
            att=_pct(attainment),
            pct=plain(plan.threshold_pct),
        )
        lines.append(PayoutLine("threshold", _("Threshold not reached"), sales, None, 0, detail))
    else:
        if plan.base_rate:
            base = apply_rate(basis, plan.base_rate)
            lines.append(PayoutLine("base", _("Base commission"), basis, plan.base_rate, base))
        lines += _tier_lines(plan, basis, target, money)
        commission = sum(line.amount_minor for line in lines)
        lines += _bonus_lines(plan.bonuses, inputs, sales >= target, money)
    earned = sum(line.amount_minor for line in lines)
    if inputs.multiplier != 1 and earned:
        multiplied = apply_rate(earned, inputs.multiplier)
        lines.append(
            PayoutLine(
                "multiplier",
                _("Grade multiplier"),
                earned,
                inputs.multiplier,
                multiplied - earned,
                f"×{plain(inputs.multiplier)}",
            )
        )
        earned = multiplied
    cap = _cap_minor(plan.cap, target, inputs.currency)
    if cap is not None and earned > cap:
        lines.append(
            PayoutLine(
                "cap",
                _("Cap"),
                earned,
                None,
                cap - earned,
                _("earnings limited to {cap}", cap=money(cap)),
            )
        )
    if plan.clawback:
        lines += _clawback_lines(plan.clawback, inputs, commission, basis, money)
    total = sum(line.amount_minor for line in lines)
    lines.append(PayoutLine("total", _("Total"), None, None, total))
    return PayoutStatement(
        plan_name, target, sales, attainment, tuple(lines), inputs.currency, plan.label
    )


def statement_for(
    rules: IncentiveRules, rep_id: str, role: str, inputs: PayoutInputs
) -> PayoutStatement | None:
    """The statement of the plan the rep is on, or None when no plan applies to them."""
    found = rules.plan_for(rep_id, role)
    return payout(found[1], inputs, found[0]) if found else None


class _Money:
    def __init__(self, currency: str):
        self.currency = currency

    def __call__(self, minor: int) -> str:
        return format_money(minor, self.currency)

    def minor(self, major: Decimal) -> int:
        return parse_money(major, self.currency)


def _pct(fraction: Decimal) -> str:
    return f"{(fraction * HUNDRED).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _bound(target: int, pct: Decimal) -> int:
    return apply_rate(target, pct / HUNDRED)


def _tier_lines(plan: Plan, basis: int, target: int, money: _Money) -> list[PayoutLine]:
    lines = []
    for tier in plan.tiers:
        low = _bound(target, tier.from_pct)
        high = None if tier.to_pct is None else _bound(target, tier.to_pct)
        label = _("Tier {band}", band=tier.band())
        if plan.method == "flat":
            if basis >= low and (high is None or basis < high):
                detail = _("flat: the rate of the band reached, on all sales")
                return [
                    PayoutLine(
                        "tier", label, basis, tier.rate, apply_rate(basis, tier.rate), detail
                    )
                ]
            continue
        inside = max(0, (basis if high is None else min(basis, high)) - low)
        end = money(high) if high is not None else "…"
        detail = _("sales from {low} to {high}", low=money(low), high=end)
        lines.append(
            PayoutLine("tier", label, inside, tier.rate, apply_rate(inside, tier.rate), detail)
        )
    return lines


def _bonus_lines(
    bonuses: Bonuses, inputs: PayoutInputs, reached: bool, money: _Money
) -> list[PayoutLine]:
    lines = []
    if bonuses.per_new_customer and inputs.new_customers > 0:
        each = money.minor(bonuses.per_new_customer)
        lines.append(
            PayoutLine(
                "bonus",
                _("New customers"),
                None,
                None,
                each * inputs.new_customers,
                f"{inputs.new_customers} × {money(each)}",
            )
        )
    if bonuses.target_reached and reached:
        lines.append(
            PayoutLine(
                "bonus",
                _("Quarter target reached"),
                None,
                None,
                money.minor(bonuses.target_reached),
            )
        )
    for product in bonuses.products:
        units = sum(
            (
                Decimal(str(line.quantity))
                for line in inputs.sales
                if line.product == product.product
            ),
            Decimal(0),
        )
        if units > 0:
            each = money.minor(product.per_unit)
            lines.append(
                PayoutLine(
                    "bonus",
                    _("Units of {product}", product=product.product),
                    None,
                    None,
                    apply_rate(each, units),
                    f"{plain(units)} × {money(each)}",
                )
            )
    return lines


def _cap_minor(cap: Cap | None, target: int, currency: str) -> int | None:
    if cap is None:
        return None
    limits = []
    if cap.amount is not None:
        limits.append(parse_money(cap.amount, currency))
    if cap.pct_of_target is not None:
        limits.append(_bound(target, cap.pct_of_target))
    return min(limits)


def _clawback_lines(
    rule: Clawback, inputs: PayoutInputs, commission: int, basis: int, money: _Money
) -> list[PayoutLine]:
    """One line per churned customer, listing the sales behind it."""
    window = timedelta(days=rule.within_days)
    hit: dict[str, list[SaleLine]] = {}
    for line in (*inputs.earlier_sales, *inputs.sales):
        churned_on = inputs.churned.get(line.customer_id)
        if (
            churned_on is not None
            and line.date <= churned_on <= line.date + window
            and line.amount_minor > 0
        ):
            hit.setdefault(line.customer_id, []).append(line)
    lines = []
    millionths = _round_half_up(commission * 1_000_000, basis) if basis > 0 else 0
    rate = Decimal(millionths).scaleb(-6).quantize(RATE_PLACES)
    for customer_id, sold in sorted(hit.items()):
        clawed = sum(line.amount_minor for line in sold)
        amount = apply_rate(clawed, rate)  # basis × the rate shown: checkable by hand
        sales_text = ", ".join(
            f"{line.date.isoformat()} {money(line.amount_minor)}" for line in sold
        )
        lines.append(
            PayoutLine(
                "clawback",
                _("Clawback: {customer}", customer=customer_id),
                clawed,
                rate,
                -amount,
                _(
                    "churned {day}; sales {sales}",
                    day=inputs.churned[customer_id].isoformat(),
                    sales=sales_text,
                ),
            )
        )
    return lines


def _round_half_up(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half up, exactly (both non-negative)."""
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)
