"""Context: today follows the dataset's timezone unless it is fixed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from qsales_tui.context import Context
from qsales_tui.storage.store import Store

SETTINGS = {
    "company": "Zone Co",
    "currency": "CNY",
    "fiscal_year_start_month": 1,
    "inactive_after_days": 90,
}


def _context_in(tmp_path, zone: str) -> Context:
    data = tmp_path / zone.replace("/", "_")
    Store.create(data, {**SETTINGS, "timezone": zone}, user="t")
    return Context(data_dir=data, os_user="t")


def test_today_is_the_date_where_the_team_is(tmp_path):
    # UTC+14 and UTC-11 are 25 hours apart: their dates always differ
    east = _context_in(tmp_path, "Pacific/Kiritimati").today
    west = _context_in(tmp_path, "Pacific/Pago_Pago").today
    assert east != west
    assert east == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()


def test_a_fixed_today_wins_and_no_data_directory_is_needed(tmp_path):
    fixed = Context(data_dir=tmp_path / "none", today_override=date(2026, 11, 27))
    assert fixed.today == date(2026, 11, 27)
    assert Context(data_dir=tmp_path / "none").today == datetime.now().astimezone().date()
