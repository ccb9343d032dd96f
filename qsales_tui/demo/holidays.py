"""China's public holidays and make-up working days, 2024–2027, as ISO date lists.

2024–2026 follow the State Council's published schedules. 2027 was not published
when this was written: its dates are estimated from the lunar calendar (Spring
Festival 2027-02-06, Dragon Boat 06-09, Mid-Autumn 09-15) with the post-2025 rule
that New Year's Eve of the Spring Festival is a holiday, and have no make-up days.
Edit the settings when the official 2027 schedule is out.
"""

from __future__ import annotations

from datetime import date, timedelta

# (first day, last day) of each holiday block, both inclusive.
_BLOCKS: tuple[tuple[str, str], ...] = (
    # 2024
    ("2024-01-01", "2024-01-01"),
    ("2024-02-10", "2024-02-17"),  # Spring Festival 春节
    ("2024-04-04", "2024-04-06"),  # Qingming 清明
    ("2024-05-01", "2024-05-05"),  # Labour Day 劳动节
    ("2024-06-10", "2024-06-10"),  # Dragon Boat 端午
    ("2024-09-15", "2024-09-17"),  # Mid-Autumn 中秋
    ("2024-10-01", "2024-10-07"),  # National Day, Golden Week 国庆
    # 2025
    ("2025-01-01", "2025-01-01"),
    ("2025-01-28", "2025-02-04"),
    ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"),
    ("2025-05-31", "2025-06-02"),
    ("2025-10-01", "2025-10-08"),  # National Day + Mid-Autumn
    # 2026
    ("2026-01-01", "2026-01-03"),
    ("2026-02-15", "2026-02-23"),
    ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"),
    ("2026-06-19", "2026-06-21"),
    ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
    # 2027 (estimated)
    ("2027-01-01", "2027-01-03"),
    ("2027-02-05", "2027-02-13"),
    ("2027-04-03", "2027-04-05"),
    ("2027-05-01", "2027-05-05"),
    ("2027-06-09", "2027-06-11"),
    ("2027-09-15", "2027-09-17"),
    ("2027-10-01", "2027-10-07"),
)

EXTRA_WORKDAYS: tuple[str, ...] = (
    "2024-02-04",
    "2024-02-18",
    "2024-04-07",
    "2024-04-28",
    "2024-05-11",
    "2024-09-14",
    "2024-09-29",
    "2024-10-12",
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
)


def _expand(first: str, last: str) -> list[str]:
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    days = []
    while day <= end:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


HOLIDAYS: tuple[str, ...] = tuple(day for block in _BLOCKS for day in _expand(*block))
