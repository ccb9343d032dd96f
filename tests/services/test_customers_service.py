"""The customer list's last-contact day is the dataset's local day, never the UTC one."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from qsales_tui.domain.clock import local_date
from qsales_tui.services.customers import last_contact_by_customer, list_customers
from qsales_tui.storage.store import Store

TODAY = date(2026, 11, 27)


def log_contact(store: Store, customer_id: str, at: str) -> None:
    store.insert(
        "interactions",
        {
            "customer_id": customer_id,
            "rep_id": "R-0002",
            "at": at,
            "channel": "call",
            "note": "",
            "outcome": "",
            "author": "zhangwei",
        },
    )


@pytest.fixture
def store(tiny_ctx) -> Store:
    return tiny_ctx.store


def test_an_early_morning_contact_shows_on_its_local_day(tiny_ctx, store):
    log_contact(store, "C-0002", "2026-11-27T07:30:00+08:00")  # 2026-11-26 23:30 UTC
    rows = {row.id: row for row in list_customers(store, tiny_ctx.calendar, TODAY)}
    assert rows["C-0002"].last_contact == "2026-11-27"
    assert rows["C-0001"].last_contact == "2026-11-20"  # tiny data: I-0001
    assert rows["C-0004"].last_contact == ""


def test_with_a_timezone_the_day_is_read_in_it_and_the_latest_is_by_instant(store):
    store.update_settings({"timezone": "Asia/Shanghai"})
    log_contact(store, "C-0002", "2026-11-27T01:00:00+08:00")  # 2026-11-26 17:00 UTC
    log_contact(store, "C-0002", "2026-11-26T20:00:00+00:00")  # later: 11-27 04:00 local
    assert last_contact_by_customer(store)["C-0002"] == "2026-11-27"


def test_without_a_timezone_the_day_is_the_one_written(store):
    log_contact(store, "C-0002", "2026-11-27T01:00:00+08:00")
    log_contact(store, "C-0002", "2026-11-26T20:00:00+00:00")  # later, written on the 26th
    assert last_contact_by_customer(store)["C-0002"] == "2026-11-26"


@pytest.mark.parametrize(
    ("at", "zone", "day"),
    [
        ("2026-11-27T07:30:00+08:00", None, date(2026, 11, 27)),
        ("2026-11-27T07:30:00+08:00", "UTC", date(2026, 11, 26)),
        ("2026-11-26T23:30:00+00:00", "Asia/Shanghai", date(2026, 11, 27)),
        ("2026-11-26T23:30:00+00:00", "Not/AZone", date(2026, 11, 26)),  # as written
        ("2026-11-26T23:30:00", "Asia/Shanghai", date(2026, 11, 26)),  # naive: local already
        (
            datetime(2026, 11, 26, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
            "Asia/Shanghai",
            date(2026, 11, 27),
        ),
    ],
)
def test_local_date(at, zone, day):
    assert local_date(at, zone) == day


def test_local_date_refuses_text_that_is_not_a_timestamp():
    with pytest.raises(ValueError):
        local_date("last tuesday", "Asia/Shanghai")
