"""Shared fixtures: an isolated environment and a tiny hand-made company.

The tiny company is small enough to compute every figure by hand:
team T-0001 (manager R-0001 王经理, reps R-0002 张伟 and R-0003 Lucy Li),
customers C-0001 华鑫科技 (key, R-0002), C-0002 恒达物流 (growth, R-0002),
C-0003 Northwind Ltd (standard, R-0003), C-0004 蓝海医疗 (standard, R-0003, lead).
Today is 2026-11-27 (2026-Q4).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from qsales_tui.i18n import set_language

# CI runs the property tests on a fixed set of examples (the same on every run), so a
# submission that passed here passes there; local runs keep exploring new examples.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

TODAY = date(2026, 11, 27)
TZ = "+08:00"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """Keep tests away from the real user's config, data and language."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("QSALES_CONFIG_DIR", str(config))
    monkeypatch.delenv("QSALES_DB", raising=False)
    monkeypatch.delenv("QSALES_TODAY", raising=False)
    monkeypatch.delenv("QSALES_LANG", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("QSALES_USER", "wangjl")
    set_language("en")
    yield
    set_language("en")


TINY_SETTINGS = {
    "company": "Tiny Trading 小小贸易",
    "currency": "CNY",
    "fiscal_year_start_month": 1,
    "inactive_after_days": 90,
    "schema_version": 1,
}


def tiny_records() -> dict[str, list[dict]]:
    reps = [
        dict(
            id="R-0001",
            name="王经理",
            team_id="T-0001",
            role="manager",
            os_user="wangjl",
            hired_on="2020-01-01",
            active=True,
        ),
        dict(
            id="R-0002",
            name="张伟",
            team_id="T-0001",
            role="rep",
            os_user="zhangwei",
            hired_on="2021-03-01",
            active=True,
        ),
        dict(
            id="R-0003",
            name="Lucy Li",
            team_id="T-0001",
            role="rep",
            os_user="lucy",
            hired_on="2022-06-01",
            active=True,
        ),
    ]
    customers = [
        dict(
            id="C-0001",
            name="华鑫科技",
            segment="key",
            industry="软件",
            region="华东",
            owner_id="R-0002",
            status="active",
            created_on="2024-01-10",
        ),
        dict(
            id="C-0002",
            name="恒达物流",
            segment="growth",
            industry="物流",
            region="华北",
            owner_id="R-0002",
            status="active",
            created_on="2025-02-01",
        ),
        dict(
            id="C-0003",
            name="Northwind Ltd",
            segment="standard",
            industry="零售",
            region="International",
            owner_id="R-0003",
            status="active",
            created_on="2025-05-05",
        ),
        dict(
            id="C-0004",
            name="蓝海医疗",
            segment="standard",
            industry="医疗",
            region="华南",
            owner_id="R-0003",
            status="lead",
            created_on="2026-10-20",
        ),
    ]
    sale = lambda i, day, cust, rep, amount: dict(  # noqa: E731
        id=f"S-{i:04d}",
        date=day,
        customer_id=cust,
        rep_id=rep,
        product="QS-Cloud",
        quantity=1,
        amount_minor=amount,
    )
    sales = [
        sale(1, "2026-04-15", "C-0001", "R-0002", 100_000_00),
        sale(2, "2026-07-10", "C-0001", "R-0002", 120_000_00),
        sale(3, "2026-08-20", "C-0002", "R-0002", 30_000_00),
        sale(4, "2026-09-30", "C-0003", "R-0003", 15_000_00),
        sale(5, "2026-10-12", "C-0001", "R-0002", 80_000_00),
        sale(6, "2026-11-03", "C-0003", "R-0003", 20_000_00),
    ]
    deals = [
        dict(
            id="D-0001",
            name="华鑫扩容",
            customer_id="C-0001",
            rep_id="R-0002",
            stage="negotiation",
            probability=0.7,
            amount_minor=50_000_00,
            created_on="2026-10-01",
            expected_close="2026-12-15",
            status="open",
        ),
    ]
    interactions = [
        dict(
            id="I-0001",
            customer_id="C-0001",
            rep_id="R-0002",
            at=f"2026-11-20T10:00:00{TZ}",
            channel="call",
            note="续约沟通\n下周报价",
            outcome="positive",
            csat=5,
            nps=9,
            author="zhangwei",
        ),
        dict(
            id="I-0002",
            customer_id="C-0003",
            rep_id="R-0003",
            at=f"2026-09-01T15:30:00{TZ}",
            channel="email",
            note="Sent brochure",
            outcome="",
            csat=None,
            nps=None,
            author="lucy",
        ),
    ]
    followups = [
        dict(
            id="F-0001",
            customer_id="C-0002",
            rep_id="R-0002",
            due="2026-11-20",
            priority="high",
            status="open",
            created_at=f"2026-11-01T09:00:00{TZ}",
        ),
        dict(
            id="F-0002",
            customer_id="C-0003",
            rep_id="R-0003",
            due="2026-11-27",
            priority="normal",
            status="open",
            created_at=f"2026-11-10T09:00:00{TZ}",
        ),
    ]
    return dict(
        teams=[dict(id="T-0001", name="华东 East", manager_id="R-0001")],
        reps=reps,
        customers=customers,
        sales=sales,
        deals=deals,
        interactions=interactions,
        followups=followups,
    )


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    """A fresh data directory holding the tiny company."""
    from qsales_tui.storage.store import Store

    path = tmp_path / "data"
    store = Store.create(path, TINY_SETTINGS, user="test")
    for table, records in tiny_records().items():
        store.insert_many(table, records, audit=False)
    return path


@pytest.fixture
def tiny_ctx(tiny_dir):
    from qsales_tui.context import Context

    return Context(data_dir=tiny_dir, today_override=TODAY, lang="en", os_user="wangjl")


def add_board_records(store) -> None:
    """The tiny company's 2026-Q4 revenue goal and what the team board reads besides sales.

    Goal: ¥150,000 split evenly over Oct–Dec, allocated R-0002 ¥100,000 and R-0003
    ¥50,000 (so R-0002 is at 80 %, R-0003 at 40 %). C-0002 is churned: its last
    purchase (2026-08-20, ¥30,000 by R-0002) lapses after 90 days, on 2026-11-18.
    R-0002 logged 4 h of training in Q4 (and 8 h in Q3); R-0003 did one follow-up on
    time and one late.
    """
    store.insert(
        "goals",
        dict(
            quarter="2026-Q4",
            metric="revenue",
            scope="company",
            target=150_000_00,
            baseline=120_000_00,
            relevance="grow",
            status="active",
            split={"2026-10": 50_000_00, "2026-11": 50_000_00, "2026-12": 50_000_00},
            allocation={"R-0002": 100_000_00, "R-0003": 50_000_00},
        ),
    )
    customer = store.get("customers", "C-0002")
    store.update("customers", "C-0002", {"status": "churned"}, expected_version=customer["_v"])
    store.insert_many(
        "trainings",
        [
            dict(
                id="TR-0001",
                rep_id="R-0002",
                date="2026-11-05",
                course="Negotiation 谈判",
                hours=4.0,
                skill="negotiation",
            ),
            dict(
                id="TR-0002",
                rep_id="R-0002",
                date="2026-09-01",
                course="CRM",
                hours=8.0,
                skill="crm",
            ),
        ],
        audit=False,
    )
    store.insert_many(
        "followups",
        [
            dict(
                id="F-0003",
                customer_id="C-0003",
                rep_id="R-0003",
                due="2026-11-10",
                priority="normal",
                status="done",
                created_at=f"2026-11-01T09:00:00{TZ}",
                done_at=f"2026-11-09T10:00:00{TZ}",
                outcome="ok",
            ),
            dict(
                id="F-0004",
                customer_id="C-0003",
                rep_id="R-0003",
                due="2026-11-12",
                priority="normal",
                status="done",
                created_at=f"2026-11-01T09:00:00{TZ}",
                done_at=f"2026-11-16T10:00:00{TZ}",
                outcome="late",
            ),
        ],
        audit=False,
    )


@pytest.fixture
def board_ctx(tiny_dir):
    """The tiny company with a Q4 goal, a churned customer, trainings and follow-ups done."""
    from qsales_tui.context import Context
    from qsales_tui.storage.store import Store

    add_board_records(Store(tiny_dir, user="test"))
    return Context(data_dir=tiny_dir, today_override=TODAY, lang="en", os_user="wangjl")
