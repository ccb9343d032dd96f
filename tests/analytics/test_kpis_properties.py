"""The vectorised customer figures agree with a plain reading of the definitions."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.analytics.drilldown import rows_behind
from qsales_tui.analytics.kpi_inputs import KpiInputs
from qsales_tui.analytics.kpis import breakdown, compute_all
from qsales_tui.domain.calendar import Quarter

TODAY = date(2026, 11, 27)
QUARTER = Quarter(2026, 3)  # complete: as of its last day
FIRST = date(2025, 10, 1)

sales_lists = st.lists(
    st.tuples(
        st.integers(0, 5),  # customer
        st.integers(0, (TODAY - FIRST).days),  # day offset
        st.integers(-500, 100_000),  # amount (returns are negative)
        st.sampled_from(["R-1", "R-2"]),
    ),
    max_size=40,
)


def _inputs(lines, window):
    sales = [
        {
            "id": f"S-{i}",
            "date": (FIRST + timedelta(days=offset)).isoformat(),
            "customer_id": f"C-{customer}",
            "rep_id": rep,
            "product": "P",
            "quantity": 1,
            "amount_minor": amount,
        }
        for i, (customer, offset, amount, rep) in enumerate(lines)
    ]
    customers = [
        {
            "id": f"C-{n}",
            "name": f"C{n}",
            "segment": "key",
            "region": "N",
            "owner_id": "R-1" if n % 2 else "R-2",
        }
        for n in range(6)
    ]
    reps = [{"id": r, "name": r, "team_id": "T-1", "role": "rep"} for r in ("R-1", "R-2")]
    return KpiInputs.from_records(
        today=TODAY,
        settings={"inactive_after_days": window},
        sales=sales,
        customers=customers,
        reps=reps,
        teams=[{"id": "T-1", "name": "T"}],
    )


def _plain_reading(lines, window):
    """Straight from the docstring: active on d ⇔ a purchase s with d − N < s ≤ d."""
    days: dict[int, list[date]] = {}
    for customer, offset, _, _ in lines:
        days.setdefault(customer, []).append(FIRST + timedelta(days=offset))

    def active(customer, day):
        return any(0 <= (day - s).days < window for s in days[customer])

    start_eve, end = QUARTER.start - timedelta(days=1), QUARTER.end
    at_start = {c for c in days if active(c, start_eve)}
    churned = {c for c in at_start if not active(c, end)}
    new = {c for c in days if QUARTER.start <= min(days[c]) <= end}
    return at_start, churned, new


@settings(max_examples=60, deadline=None)
@given(sales_lists, st.integers(1, 200))
def test_churn_counts_match_the_definition(lines, window):
    inputs = _inputs(lines, window)
    kpis = compute_all(inputs, QUARTER).kpis
    at_start, churned, new = _plain_reading(lines, window)
    assert kpis["customers_active_start"].value == len(at_start)
    assert kpis["customers_churned"].value == len(churned)
    if kpis["customers_new"].value is not None:
        assert kpis["customers_new"].value == len(new)
    assert not new & at_start  # new customers are never in the churn denominator
    rows = rows_behind(inputs, "churn_rate", QUARTER)
    assert sorted(rows["customer_id"]) == sorted(f"C-{c}" for c in at_start)
    assert set(rows.loc[rows["churned"], "customer_id"]) == {f"C-{c}" for c in churned}


@settings(max_examples=40, deadline=None)
@given(sales_lists)
def test_groups_always_add_up_to_the_company(lines):
    inputs = _inputs(lines, 90)
    company = compute_all(inputs, QUARTER).kpis
    for dimension in ("rep", "team", "product", "region"):
        rows = breakdown(inputs, QUARTER, dimension)
        assert sum(r.figures["revenue"].value for r in rows) == company["revenue"].value
    expected = sum(
        a for _, offset, a, _ in lines if QUARTER.contains(FIRST + timedelta(days=offset))
    )
    assert company["revenue"].value == expected
