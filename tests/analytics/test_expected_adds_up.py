"""Expected-to-date by rep and team adds up exactly: reps to their team, teams to the
company (each rep within one minor unit of allocation × company expected ÷ target)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.analytics.kpi_engine import TOTAL
from qsales_tui.analytics.kpi_sample import sample_inputs
from qsales_tui.domain.calendar import Quarter

Q4 = Quarter(2026, 4)
REPS = [
    {"id": f"R-{n}", "name": f"Rep {n}", "team_id": f"T-{n % 3}", "role": "rep"} for n in range(7)
]
TEAMS = [{"id": f"T-{n}", "name": f"Team {n}"} for n in range(3)]


def _expected(allocation: dict[str, int], target: int, today: date):
    goal = {
        "id": "G-1",
        "quarter": Q4.name,
        "metric": "revenue",
        "scope": "company",
        "target": target,
        "status": "active",
        "allocation": allocation,
    }
    engine = sample_inputs(goals=[goal], reps=REPS, teams=TEAMS, today=today).engine

    def expected(dimension: str) -> dict[str, int]:
        return {
            label: values["expected_minor"]
            for label, values in engine.raw(Q4, dimension).items()
            if "expected_minor" in values
        }

    return expected("total")[TOTAL], expected("team"), expected("rep")


allocations = st.lists(st.integers(0, 10**9), min_size=1, max_size=7)


@settings(max_examples=150, deadline=None)
@given(allocations, st.integers(0, 5), st.dates(date(2026, 10, 1), date(2026, 12, 31)))
def test_reps_add_up_to_teams_and_teams_to_the_company(amounts, spare, today):
    allocation = {f"R-{n}": amount for n, amount in enumerate(amounts)}
    target = sum(amounts) + spare  # allocated in full, or all but a few fen
    company, teams, reps = _expected(allocation, target, today)
    assert set(reps) == set(allocation)
    for team in teams:
        members = [rep["id"] for rep in REPS if rep["team_id"] == team and rep["id"] in reps]
        assert teams[team] == sum(reps[rep] for rep in members)
    if not spare:
        assert sum(teams.values()) == company
    for rep, amount in allocation.items():
        exact = Fraction(amount * company, target) if target else Fraction(0)
        assert abs(reps[rep] - exact) < 1


def test_the_one_fen_the_rounding_of_each_part_lost_goes_to_one_rep():
    # no monthly split: prorated by working days, 42 of 66 elapsed on 2026-11-27.
    # company: 3 fen × 42 ÷ 66 = 1.909… → 2. Each rep alone: 1 × 42 ÷ 66 = 0.636… → 1,
    # and 1 + 1 + 1 = 3 ≠ 2. Largest remainder (ties: the rep allocated first): 1, 1, 0.
    company, teams, reps = _expected({"R-0": 1, "R-1": 1, "R-2": 1}, 3, date(2026, 11, 27))
    assert company == 2
    assert reps == {"R-0": 1, "R-1": 1, "R-2": 0}
    assert teams == {"T-0": 1, "T-1": 1, "T-2": 0}
