"""The follow-up queue's rules: stats, score parts, ordering, cadence, quick picks, bad input."""

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.domain.calendar import FiscalCalendar
from qsales_tui.domain.followups import (
    DEFAULT_CADENCES,
    CustomerStats,
    InvalidInput,
    NeedsConfirmation,
    QueueFilter,
    RevenueWindows,
    check_interaction,
    check_not_past,
    customer_stats,
    parse_due,
    plan_next_due,
    quick_pick,
    sales_totals,
    score_parts,
)
from qsales_tui.domain.followups import build_queue as _build_queue

TODAY = date(2026, 11, 27)  # a Friday in 2026-Q4
CAL = FiscalCalendar()


def customer(
    cid, name="客户", segment="standard", owner="R-1", status="active", created="2026-11-01"
):
    return dict(
        id=cid, name=name, segment=segment, owner_id=owner, status=status, created_on=created
    )


def followup(fid, cid, due, rep="R-1", status="open", priority="normal", **extra):
    return dict(
        id=fid,
        customer_id=cid,
        rep_id=rep,
        due=due,
        status=status,
        priority=priority,
        created_at="2026-11-01T09:00:00+08:00",
        _v=1,
        **extra,
    )


def build_queue(customers, followups, stats=None, **where):
    return _build_queue(
        customers,
        followups,
        stats or {},
        today=TODAY,
        cadences=DEFAULT_CADENCES,
        where=QueueFilter(**where),
    )


def parts_of(item):
    return {part.name: part.points for part in item.parts}


# ---------------------------------------------------------------------------- stats


def sales_frame(rows):
    return pd.DataFrame(
        {
            "date": pd.to_datetime([day for day, _, _ in rows]).astype("datetime64[s]"),
            "customer_id": pd.Categorical([cid for _, cid, _ in rows]),
            "amount_minor": pd.array([amount for _, _, amount in rows], dtype="int64"),
        }
    )


def test_sales_totals_use_the_four_complete_quarters_before_today():
    windows = RevenueWindows.around(TODAY, CAL)
    assert windows == RevenueWindows(
        date(2025, 10, 1), date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)
    )
    frame = sales_frame(
        [
            ("2025-09-30", "C-1", 1),  # before the window
            ("2025-10-01", "C-1", 10),  # 2025-Q4
            ("2026-05-31", "C-1", 300),  # 2026-Q2: the quarter before the last
            ("2026-09-30", "C-1", 100),  # 2026-Q3: the last complete quarter
            ("2026-10-01", "C-1", 5000),  # today's quarter: not counted
            ("2026-07-01", "C-2", 9_007_199_254_740_993),  # beyond float precision: exact
        ]
    )
    assert sales_totals(frame, windows) == {
        "C-1": (410, 100, 300),
        "C-2": (9_007_199_254_740_993,) * 2 + (0,),
    }
    assert sales_totals(frame.iloc[:1], windows) == {}


def test_fiscal_year_start_moves_the_windows():
    windows = RevenueWindows.around(TODAY, FiscalCalendar(start_month=4))  # Q3 = Oct–Dec
    assert (windows.first, windows.current) == (date(2025, 10, 1), date(2026, 10, 1))


def test_stats_take_the_latest_contact_and_scores():
    interactions = [
        dict(customer_id="C-1", at="2026-11-02T10:00:00+08:00", csat=2, nps=None),
        dict(customer_id="C-1", at="2026-11-10T10:00:00+08:00", csat=None, nps=5),
        dict(customer_id="C-1", at="2026-10-02T10:00:00+08:00", csat=5, nps=10),
    ]
    followups = [
        dict(customer_id="C-1", status="done", done_at="2026-11-20T09:00:00+08:00"),
        dict(customer_id="C-2", status="cancelled", done_at="2026-11-25T09:00:00+08:00"),
    ]
    deals = [
        dict(customer_id="C-1", status="open", expected_close="2026-12-27", amount_minor=7),
        dict(customer_id="C-1", status="open", expected_close="2026-12-28", amount_minor=70),
        dict(customer_id="C-1", status="won", expected_close="2026-12-01", amount_minor=700),
        dict(customer_id="C-1", status="open", expected_close="2026-11-01", amount_minor=7000),
    ]
    stats = customer_stats(
        {"C-1": (410, 100, 300), "C-3": (5, 0, 0)}, interactions, deals, followups, today=TODAY
    )
    assert stats["C-1"] == CustomerStats(
        revenue_4q_minor=410,
        last_quarter_minor=100,
        previous_quarter_minor=300,
        open_deals_soon_minor=7007,
        last_contact=date(2026, 11, 20),
        last_csat=2,
        last_nps=5,
    )
    assert stats["C-3"] == CustomerStats(revenue_4q_minor=5)
    assert "C-2" not in stats  # a cancelled follow-up is no contact


# ---------------------------------------------------------------------------- score


def test_score_parts_name_their_points_and_reasons():
    stats = CustomerStats(
        revenue_4q_minor=100_000_000,
        previous_quarter_minor=40_000_00,
        last_quarter_minor=10_000_00,
        open_deals_soon_minor=10_000_000,
        last_csat=2,
        last_nps=9,
    )
    parts = score_parts(
        stats,
        today=TODAY,
        due=TODAY - timedelta(days=5),
        silent_since=TODAY - timedelta(days=80),
        cadence=60,
        high_priority=True,
    )
    assert [(p.name, p.points) for p in parts] == [
        ("overdue", 10),  # 2 per day
        ("value", 45),  # ¥1M → 15 × log10(1000)
        ("deals", 20),  # ¥100k → 10 × log10(100)
        ("falling", 22),  # fell 75% → 30 × 0.75
        ("satisfaction", 25),
        ("silence", 10),  # 20 days beyond the cadence, a point per 2 days
        ("priority", 15),
    ]
    why = {p.name: p.why for p in parts}
    assert why["overdue"] == "5 days overdue"
    assert why["value"] == "¥1.00M revenue in the last four quarters"
    assert why["falling"] == "purchases fell 75% last quarter (¥40.00K → ¥10.00K)"
    assert why["satisfaction"] == "low satisfaction: last CSAT 2"
    assert why["silence"] == "80 days without contact (cadence 60 days)"


@pytest.mark.parametrize(
    ("csat", "nps", "low"),
    [(2, None, True), (3, None, False), (None, 6, True), (None, 7, False), (None, None, False)],
)
def test_low_satisfaction_thresholds(csat, nps, low):
    parts = score_parts(
        CustomerStats(last_csat=csat, last_nps=nps),
        today=TODAY,
        due=None,
        silent_since=None,
        cadence=60,
    )
    assert ("satisfaction" in {p.name for p in parts}) is low


def test_overdue_and_silence_are_capped_and_small_signals_give_nothing():
    parts = score_parts(
        CustomerStats(revenue_4q_minor=99_999, previous_quarter_minor=100, last_quarter_minor=95),
        today=TODAY,
        due=TODAY - timedelta(days=400),
        silent_since=TODAY - timedelta(days=999),
        cadence=14,
    )
    assert {p.name: p.points for p in parts} == {"overdue": 60, "silence": 30}


# ---------------------------------------------------------------------------- queue


def test_queue_orders_by_score_then_due_then_customer():
    customers = [customer(f"C-{n}") for n in range(1, 6)]
    followups = [
        followup("F-1", "C-1", "2026-11-27"),
        followup("F-2", "C-2", "2026-11-17"),  # 10 days overdue: 20 points
        followup("F-3", "C-3", "2026-11-26"),  # 1 day overdue: 2 points
        followup("F-4", "C-4", "2026-11-27"),
        followup("F-5", "C-5", "2026-11-27", priority="high"),  # 15 points
    ]
    stats = {"C-1": CustomerStats(last_csat=1, last_contact=TODAY)}  # 25 points
    items = build_queue(customers, followups, stats)
    assert [(i.followup_id, i.score) for i in items] == [
        ("F-1", 25),
        ("F-2", 20),
        ("F-5", 15),
        ("F-3", 2),
        ("F-4", 0),
    ]
    assert parts_of(items[0]) == {"satisfaction": 25}
    assert items[0].score == sum(p.points for p in items[0].parts)


def test_equal_scores_fall_back_to_due_date_then_customer_id():
    customers = [customer("C-9"), customer("C-1"), customer("C-5")]
    followups = [
        followup("F-1", "C-9", "2026-11-28"),
        followup("F-2", "C-1", "2026-11-29"),
        followup("F-3", "C-5", "2026-11-28"),
    ]
    assert [i.followup_id for i in build_queue(customers, followups)] == ["F-3", "F-1", "F-2"]


@settings(max_examples=60, deadline=None)
@given(st.permutations(range(6)))
def test_order_does_not_depend_on_input_order(order):
    customers = [customer(f"C-{n}", segment="key") for n in range(6)]
    followups = [followup(f"F-{n}", f"C-{n}", f"2026-11-{20 + n % 3:02d}") for n in range(6)]
    stats = {"C-2": CustomerStats(last_nps=3)}
    expected = [i.followup_id for i in build_queue(customers, followups, stats)]
    shuffled = [followups[n] for n in order]
    assert [i.followup_id for i in build_queue(customers[::-1], shuffled, stats)] == expected


def test_customer_due_by_cadence_gets_a_virtual_item():
    silent = customer("C-1", segment="key", created="2025-01-01")
    recent = customer("C-2", segment="key", created="2025-01-01")
    planned = customer("C-3", segment="key", created="2025-01-01")
    churned = customer("C-4", segment="key", created="2025-01-01", status="churned")
    stats = {
        "C-1": CustomerStats(last_contact=TODAY - timedelta(days=20)),  # cadence 14: due 6 days ago
        "C-2": CustomerStats(last_contact=TODAY - timedelta(days=13)),
        "C-3": CustomerStats(last_contact=TODAY - timedelta(days=40)),
        "C-4": CustomerStats(last_contact=TODAY - timedelta(days=40)),
    }
    future = followup("F-1", "C-3", "2027-01-10")  # planned, though not due this week
    items = build_queue([silent, recent, planned, churned], [future], stats)
    assert len(items) == 1
    item = items[0]
    assert (item.kind, item.customer_id, item.followup_id, item.rep_id) == (
        "cadence",
        "C-1",
        None,
        "R-1",
    )
    assert item.due == TODAY - timedelta(days=6)
    assert parts_of(item) == {"silence": 3}  # no overdue part: silence counts those days


def test_never_contacted_customer_counts_silence_from_creation():
    lead = customer("C-1", status="lead", created="2026-09-01")  # 87 days, cadence 60
    (item,) = build_queue([lead], [])
    assert item.due == date(2026, 10, 31)
    assert parts_of(item) == {"silence": 13}


@pytest.mark.parametrize(
    ("horizon", "expected"),
    [
        ("overdue", ["F-1"]),
        ("today", ["F-1", "F-2"]),
        ("week", ["F-1", "F-2", "F-3"]),
        ("all", ["F-1", "F-2", "F-3", "F-4"]),
    ],
)
def test_horizons(horizon, expected):
    customers = [customer(f"C-{n}") for n in range(1, 5)]
    followups = [
        followup("F-1", "C-1", "2026-11-26"),
        followup("F-2", "C-2", "2026-11-27"),
        followup("F-3", "C-3", "2026-11-29"),  # Sunday: still this week
        followup("F-4", "C-4", "2026-11-30"),
        followup("F-5", "C-4", "2026-11-01", status="done"),
    ]
    items = build_queue(customers, followups, horizon=horizon)
    assert sorted(i.followup_id for i in items) == expected
    assert {i.bucket(TODAY) for i in build_queue(customers, followups, horizon="all")} == {
        "overdue",
        "today",
        "week",
        "later",
    }


def test_filters_by_rep_segment_and_search():
    customers = [
        customer("C-1", "华鑫科技", "key"),
        customer("C-2", "恒达物流", "growth"),
        customer("C-3", "Northwind Ltd", "standard", owner="R-2"),
    ]
    followups = [
        followup("F-1", "C-1", "2026-11-27"),
        followup("F-2", "C-2", "2026-11-27"),
        followup("F-3", "C-3", "2026-11-27", rep="R-2"),
    ]

    def ids(**where):
        return sorted(i.followup_id for i in build_queue(customers, followups, **where))

    assert ids(rep_ids={"R-1"}) == ["F-1", "F-2"]
    assert ids(rep_ids={"R-1", "R-2"}) == ["F-1", "F-2", "F-3"]
    assert ids(rep_ids=set()) == []
    assert ids(segment="growth") == ["F-2"]
    assert ids(search="hxkj") == ["F-1"]
    assert ids(search="north") == ["F-3"]
    assert ids(search="物流", rep_ids={"R-2"}) == []


def test_unknown_horizon_names_the_field():
    with pytest.raises(InvalidInput) as error:
        build_queue([], [], horizon="month")
    assert error.value.field == "due"


def test_item_as_dict_carries_its_parts():
    (item,) = build_queue([customer("C-1", "华鑫科技")], [followup("F-1", "C-1", "2026-11-25")])
    assert item.to_dict(TODAY) == {
        "followup_id": "F-1",
        "customer_id": "C-1",
        "customer_name": "华鑫科技",
        "segment": "standard",
        "rep_id": "R-1",
        "due": "2026-11-25",
        "kind": "followup",
        "bucket": "overdue",
        "score": 4,
        "parts": [{"name": "overdue", "points": 4, "why": "2 days overdue"}],
    }
    assert item.version == 1


# ---------------------------------------------------------------------------- cadence


@pytest.mark.parametrize(
    ("segment", "contact", "due"),
    [
        ("key", date(2026, 11, 27), date(2026, 12, 11)),  # Friday + 14 = Friday
        ("growth", date(2026, 11, 27), date(2026, 12, 28)),  # lands on Sunday → Monday
        ("standard", date(2026, 11, 27), date(2027, 1, 26)),
        ("unknown", date(2026, 11, 27), date(2027, 1, 26)),  # falls back to standard
    ],
)
def test_plan_next_due_by_cadence_on_a_working_day(segment, contact, due):
    assert plan_next_due(contact, segment, DEFAULT_CADENCES, CAL) == due


def test_plan_next_due_skips_holidays_and_uses_given_cadences():
    calendar = FiscalCalendar(holidays=frozenset({date(2026, 12, 7)}))
    assert plan_next_due(TODAY, "key", {"key": 10}, calendar) == date(2026, 12, 8)


# ------------------------------------------------------------------ quick picks and input


@pytest.mark.parametrize(
    ("pick", "today", "expected"),
    [
        ("tomorrow", TODAY, date(2026, 11, 28)),
        ("+3", TODAY, date(2026, 11, 30)),
        ("next-week", TODAY, date(2026, 11, 30)),  # Friday → Monday
        ("next-week", date(2026, 11, 30), date(2026, 12, 7)),  # Monday → next Monday
        ("next-week", date(2026, 12, 6), date(2026, 12, 7)),  # Sunday → tomorrow
    ],
)
def test_quick_picks(pick, today, expected):
    assert quick_pick(pick, today) == expected
    assert parse_due(pick, today) == expected


def test_parse_due_reads_dates_and_plus_days():
    assert parse_due(" 2026-12-24 ", TODAY) == date(2026, 12, 24)
    assert parse_due("+10", TODAY) == date(2026, 12, 7)
    assert parse_due(date(2027, 1, 4), TODAY) == date(2027, 1, 4)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "next month", "", "+-3"])
def test_impossible_dates_name_the_field(text):
    with pytest.raises(InvalidInput) as error:
        parse_due(text, TODAY, field="due")
    assert error.value.field == "due"
    assert "due" in str(error.value)


def test_past_due_needs_confirmation():
    with pytest.raises(NeedsConfirmation) as error:
        check_not_past(date(2026, 11, 26), TODAY, confirmed=False)
    assert error.value.field == "due"
    check_not_past(date(2026, 11, 26), TODAY, confirmed=True)
    check_not_past(TODAY, TODAY, confirmed=False)


def test_check_interaction_normalises_good_input():
    assert check_interaction(" Call ", "5", 0) == ("call", 5, 0)
    assert check_interaction("wechat") == ("wechat", None, None)


@pytest.mark.parametrize(
    ("channel", "csat", "nps", "field"),
    [
        ("fax", None, None, "channel"),
        ("call", 7, None, "csat"),
        ("call", 0, None, "csat"),
        ("call", "abc", None, "csat"),
        ("call", 4.5, None, "csat"),
        ("call", None, 11, "nps"),
        ("call", None, -1, "nps"),
    ],
)
def test_bad_interaction_input_names_the_field(channel, csat, nps, field):
    with pytest.raises(InvalidInput) as error:
        check_interaction(channel, csat, nps)
    assert error.value.field == field
    assert str(error.value).startswith(field)
