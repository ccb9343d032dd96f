"""Sales lines: each customer buys month by month at its own rate, shaped by the season.

Lines per customer-month ~ Poisson(segment rate × the customer's own rate × season ×
growth). Sales happen on working days only (so Spring Festival and Golden Week are
quiet), from the customer's arrival to its churn month, never after ``today``. About
one line in twelve is booked by a teammate of the owner (co-selling); the rest by the
owner on that day.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate

from qsales_tui.demo import vocab
from qsales_tui.demo.world import World, poisson, record_id

LINES_PER_MONTH = {"key": 6.4, "growth": 3.2, "standard": 1.38}
QUANTITY_FACTOR = {"key": 1.6, "growth": 1.2, "standard": 1.0}
DISCOUNT_BP = {"key": 1500, "growth": 800, "standard": 300}  # basis points off list price
# Seasonality by calendar month: weak Q1 (Spring Festival), strong Q4 (year-end budgets).
SEASON = (0.80, 0.62, 0.95, 1.0, 0.95, 1.05, 0.92, 0.90, 1.05, 0.92, 1.18, 1.40)
YEARLY_GROWTH = 1.03  # per customer; new customers add the rest (~12% a year)
CO_SELL_SHARE = 1 / 12


def _working_days(world: World, first: date) -> list[date]:
    """The working days of the month that starts on ``first``."""
    days, day = [], first
    while day.month == first.month:
        if world.calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def make_sales(world: World) -> list[dict]:
    rng = world.rng("sales")
    full_months = [_working_days(world, m) for m in world.months]
    month_days = [[d for d in days if d <= world.today] for days in full_months]
    products = vocab.PRODUCTS
    team_mates = {
        team: {day: world.team_reps(team, day) for day in {d for days in month_days for d in days}}
        for team in range(len(vocab.TEAMS))
    }
    lines: list[tuple[str, int, str, str, int, int]] = []
    for profile in world.profiles:
        base = LINES_PER_MONTH[profile.segment] * profile.rate
        qty_factor = QUANTITY_FACTOR[profile.segment]
        discount = DISCOUNT_BP[profile.segment]
        # Each customer leans towards a few products.
        leaning = [w * rng.uniform(0.2, 2.0) for w in (p.weight for p in products)]
        cum = list(accumulate(leaning))
        for month in range(profile.first_month, profile.last_month + 1):
            days = month_days[month]
            if month == profile.first_month:
                days = [d for d in days if d >= profile.created_on]
            if not days:
                continue
            first = world.months[month]
            mean = (
                base
                * SEASON[first.month - 1]
                * YEARLY_GROWTH ** (month / 12)
                * len(days)
                / len(full_months[month])
            )
            for _ in range(poisson(rng, mean)):
                day = days[int(rng.random() * len(days))]
                product = products[rng.choices(range(len(products)), cum_weights=cum)[0]]
                low, high = product.qty
                quantity = max(1, round(rng.randint(low, high) * qty_factor))
                off = discount + rng.randint(-200, 300)
                amount = product.price_minor * quantity * (10_000 - off) // 10_000
                rep_id = profile.owner_on(day)
                if rng.random() < CO_SELL_SHARE:
                    rep_id = rng.choice(team_mates[profile.team][day])
                lines.append(
                    (day.isoformat(), profile.index, rep_id, product.name, quantity, amount)
                )
    lines.sort(key=lambda line: (line[0], line[1]))
    return [
        {
            "id": record_id("sales", n),
            "date": day,
            "customer_id": record_id("customers", index + 1),
            "rep_id": rep_id,
            "product": product,
            "quantity": quantity,
            "amount_minor": amount,
        }
        for n, (day, index, rep_id, product, quantity, amount) in enumerate(lines, 1)
    ]
