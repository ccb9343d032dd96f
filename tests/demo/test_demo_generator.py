"""The generated company: valid, consistent, reproducible, and shaped like a real one."""

from collections import Counter
from datetime import date

import pytest

from qsales_tui.demo import generate
from qsales_tui.domain.calendar import FiscalCalendar
from qsales_tui.domain.models import validate_record, validate_settings

TODAY = date(2026, 11, 27)
SMALL = 0.25  # ~100 customers, ~5,000 sales lines: fast, yet every kind of record


@pytest.fixture(scope="module")
def dataset():
    return generate(7, TODAY, SMALL)


def test_every_record_validates_for_its_table(dataset):
    validate_settings(dataset.settings)
    for table, records in dataset.tables.items():
        assert records, f"{table} is empty"
        for record in records:
            assert validate_record(table, record)["id"] == record["id"]


def test_ids_are_unique_and_in_order(dataset):
    for table, records in dataset.tables.items():
        numbers = [int(r["id"].rsplit("-", 1)[1]) for r in records]
        assert numbers == list(range(1, len(records) + 1)), table


def test_same_arguments_give_the_same_records_and_another_seed_does_not(dataset):
    assert generate(7, TODAY, SMALL) == dataset
    other = generate(8, TODAY, SMALL)
    assert other.tables["sales"] != dataset.tables["sales"]
    assert other.tables["customers"] != dataset.tables["customers"]


def test_scale_multiplies_customers_and_sales(dataset):
    double = generate(7, TODAY, SMALL * 2)
    for table in ("customers", "sales"):
        ratio = len(double.tables[table]) / len(dataset.tables[table])
        assert 1.7 < ratio < 2.3, (table, ratio)
    assert len(double.tables["reps"]) == len(dataset.tables["reps"])


@pytest.mark.parametrize("scale", [0, -1])
def test_scale_must_be_positive(scale):
    with pytest.raises(ValueError, match="scale"):
        generate(7, TODAY, scale)


def test_references_point_at_existing_records(dataset):
    tables = dataset.tables
    customers = {c["id"] for c in tables["customers"]}
    reps = {r["id"]: r for r in tables["reps"]}
    users = {r["os_user"] for r in reps.values()}
    teams = {t["id"]: t for t in tables["teams"]}
    for table in ("sales", "deals", "interactions", "followups"):
        for record in tables[table]:
            assert record["customer_id"] in customers and record["rep_id"] in reps, (table, record)
    for table in ("contacts", "needs"):
        assert {r["customer_id"] for r in tables[table]} <= customers
    for customer in tables["customers"]:
        assert reps[customer["owner_id"]]["role"] == "rep"
        assert reps[customer["owner_id"]]["active"]
    for team in teams.values():
        manager = reps[team["manager_id"]]
        assert manager["role"] == "manager" and manager["team_id"] == team["id"]
    assert {r["team_id"] for r in reps.values()} - {None} == set(teams)
    for table in ("interactions", "needs", "notes"):
        assert {r["author"] for r in tables[table]} <= users, table
    for goal in tables["goals"]:
        assert set(goal["allocation"]) <= set(reps)
    for risk in tables["risks"]:
        assert risk["owner_id"] in reps


def test_people_and_teams(dataset):
    reps = dataset.tables["reps"]
    roles = Counter(r["role"] for r in reps)
    assert roles == {"rep": 12, "manager": 3, "director": 1}
    assert len(dataset.tables["teams"]) == 3
    assert len({r["os_user"] for r in reps}) == len(reps)
    assert [r["name"] for r in reps if not r["active"]] == ["孙浩"]


def test_reps_sell_only_while_employed(dataset):
    reps = {r["id"]: r for r in dataset.tables["reps"]}
    for line in dataset.tables["sales"]:
        rep = reps[line["rep_id"]]
        assert rep["role"] == "rep"
        assert rep["hired_on"] <= line["date"] <= (rep["left_on"] or "9999"), line


def test_open_pipeline_roughly_covers_the_target_still_to_go(dataset):
    goal = dataset.tables["goals"][-1]
    sold = sum(s["amount_minor"] for s in dataset.tables["sales"] if s["date"] >= "2026-10-01")
    closing = sum(
        d["amount_minor"]
        for d in dataset.tables["deals"]
        if d["status"] == "open" and TODAY.isoformat() < d["expected_close"] <= "2026-12-31"
    )
    assert 0.5 < closing / (goal["target"] - sold) < 3


def test_nothing_happens_after_today(dataset):
    today = TODAY.isoformat()
    tables = dataset.tables
    assert max(s["date"] for s in tables["sales"]) <= today
    assert max(i["at"][:10] for i in tables["interactions"]) < today
    assert max(f["created_at"][:10] for f in tables["followups"]) <= today
    closed = [f for f in tables["followups"] if f["status"] != "open"]
    assert all(f["done_at"][:10] <= today for f in closed)
    assert all(d["closed_on"] <= today for d in tables["deals"] if d["status"] != "open")
    assert all(c["created_on"] <= today for c in tables["customers"])


def test_history_covers_eight_quarters_and_the_current_one_in_progress(dataset):
    calendar = FiscalCalendar.from_settings(dataset.settings)
    quarters = Counter(
        calendar.quarter_of(date.fromisoformat(s["date"])).name for s in dataset.tables["sales"]
    )
    assert sorted(quarters) == [
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert [g["quarter"] for g in dataset.tables["goals"]] == sorted(quarters)
    assert [g["status"] for g in dataset.tables["goals"]][-2:] == ["closed", "active"]


def test_another_today_moves_the_current_quarter():
    data = generate(7, date(2026, 5, 20), 0.1)
    assert max(s["date"] for s in data.tables["sales"]) <= "2026-05-20"
    assert data.tables["goals"][-1]["quarter"] == "2026-Q2"
    assert data.tables["goals"][0]["quarter"] == "2024-Q2"
    assert data.settings["demo"]["today"] == "2026-05-20"


def test_no_sales_on_public_holidays(dataset):
    holidays = set(dataset.settings["holidays"])
    assert "2025-10-01" in holidays and "2026-02-17" in holidays
    assert not holidays & {s["date"] for s in dataset.tables["sales"]}


def test_goal_splits_and_allocations_add_up_exactly(dataset):
    calendar = FiscalCalendar.from_settings(dataset.settings)
    for goal in dataset.tables["goals"]:
        assert sum(goal["split"].values()) == goal["target"]
        assert sum(goal["allocation"].values()) == goal["target"]
        assert list(goal["split"]) == calendar.quarter(goal["quarter"]).months()
        assert all(v > 0 for v in goal["allocation"].values())


def test_attainment_history_has_hits_and_misses(dataset):
    revenue = Counter()
    calendar = FiscalCalendar.from_settings(dataset.settings)
    for line in dataset.tables["sales"]:
        revenue[calendar.quarter_of(date.fromisoformat(line["date"])).name] += line["amount_minor"]
    past = [revenue[g["quarter"]] / g["target"] for g in dataset.tables["goals"][:-1]]
    assert any(a >= 1 for a in past) and any(a < 1 for a in past)
    current = dataset.tables["goals"][-1]
    done = sum(v for k, v in current["split"].items() if k < TODAY.strftime("%Y-%m"))
    assert 0.4 < revenue[current["quarter"]] / current["target"] < 0.9
    assert done < current["target"]


def test_market_share_is_a_few_percent(dataset):
    calendar = FiscalCalendar.from_settings(dataset.settings)
    segment = {c["id"]: c["segment"] for c in dataset.tables["customers"]}
    own = Counter()
    for line in dataset.tables["sales"]:
        quarter = calendar.quarter_of(date.fromisoformat(line["date"])).name
        own[quarter, segment[line["customer_id"]]] += line["amount_minor"]
    rows = [m for m in dataset.tables["market"] if m["quarter"] != "2026-Q4"]
    assert len(dataset.tables["market"]) == 27
    shares = [own[m["quarter"], m["segment"]] / m["size_minor"] for m in rows]
    assert 0.02 < min(shares) and max(shares) < 0.10


def test_customers_look_like_a_chinese_company_book(dataset):
    customers = dataset.tables["customers"]
    assert len({c["name"] for c in customers}) == len(customers)
    segments = Counter(c["segment"] for c in customers)
    assert segments["standard"] > segments["growth"] > segments["key"] > 0
    international = [c for c in customers if c["region"] == "International"]
    assert 0.05 < len(international) / len(customers) < 0.3
    assert all(c["name"].isascii() for c in international)
    assert all(not c["name"].isascii() for c in customers if c["region"] != "International")
    assert {c["status"] for c in customers} == {"lead", "active", "churned"}


def test_leads_never_bought_and_churned_customers_stopped(dataset):
    last_sale = {}
    for line in dataset.tables["sales"]:
        last_sale[line["customer_id"]] = line["date"]
    for customer in dataset.tables["customers"]:
        if customer["status"] == "lead":
            assert customer["id"] not in last_sale
        if customer["status"] == "churned" and customer["id"] in last_sale:
            assert last_sale[customer["id"]] < "2026-08-01"


def test_pipeline_and_follow_up_queue_have_every_kind(dataset):
    deals = dataset.tables["deals"]
    stages = {(d["stage"], d["probability"]) for d in deals if d["status"] == "open"}
    assert stages == {("lead", 0.1), ("qualified", 0.3), ("proposal", 0.5), ("negotiation", 0.7)}
    lost = [d for d in deals if d["status"] == "lost"]
    assert lost and all(d["competitor"] and d["lost_reason"] for d in lost)
    today = TODAY.isoformat()
    due = [f["due"] for f in dataset.tables["followups"] if f["status"] == "open"]
    assert min(due) < today < max(due) and today in due
    assert {f["status"] for f in dataset.tables["followups"]} == {"open", "done", "cancelled"}
    interactions = dataset.tables["interactions"]
    assert {i["channel"] for i in interactions} == {"call", "visit", "wechat", "email", "meeting"}
    assert any(i["csat"] for i in interactions) and any(i["nps"] is not None for i in interactions)


def test_settings_carry_calendar_objectives_and_pace(dataset):
    settings = dataset.settings
    assert settings["currency"] == "CNY" and settings["fiscal_year_start_month"] == 1
    assert 3 <= len(settings["objectives"]) <= 5
    assert settings["pace_thresholds"] == {"caution": 0.05, "off_track": 0.10}
    years = {d[:4] for d in settings["holidays"]}
    assert years == {"2024", "2025", "2026", "2027"}
    assert settings["holidays"] == sorted(set(settings["holidays"]))
    assert not set(settings["holidays"]) & set(settings["extra_workdays"])
