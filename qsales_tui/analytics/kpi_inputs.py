"""The tables the KPIs read, as DataFrames with known columns and dtypes.

``KpiInputs.from_store(store, today)`` loads them; tests build them from small lists of
dicts with ``KpiInputs.from_records``. Either way every frame is normalised once here:
dates become ``datetime64`` at midnight, money columns ``int64`` minor units, and the
big sales frame is sorted by date (the KPI engine slices it by position).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from qsales_tui.domain.calendar import FiscalCalendar

if TYPE_CHECKING:
    from qsales_tui.analytics.kpi_engine import KpiEngine
    from qsales_tui.storage.store import Store

DEFAULT_INACTIVE_AFTER_DAYS = 90

_COLUMNS: dict[str, tuple[str, ...]] = {
    "sales": ("id", "date", "customer_id", "rep_id", "product", "quantity", "amount_minor"),
    "deals": (
        "id",
        "name",
        "customer_id",
        "rep_id",
        "stage",
        "probability",
        "amount_minor",
        "created_on",
        "expected_close",
        "status",
        "closed_on",
    ),
    "interactions": ("id", "customer_id", "rep_id", "at", "channel", "csat", "nps"),
    "customers": (
        "id",
        "name",
        "segment",
        "industry",
        "region",
        "owner_id",
        "status",
        "created_on",
    ),
    "reps": ("id", "name", "team_id", "role", "active"),
    "teams": ("id", "name", "manager_id"),
    "market": ("id", "quarter", "segment", "size_minor"),
}
_DATE_COLUMNS = {
    "sales": ("date",),
    "deals": ("created_on", "expected_close", "closed_on"),
    "interactions": ("at",),
    "customers": ("created_on",),
}
_INT_COLUMNS = {
    "sales": ("amount_minor", "quantity"),
    "deals": ("amount_minor",),
    "market": ("size_minor",),
}


def as_dates(values: pd.Series, timezone: str | None = None) -> pd.Series:
    """ISO dates, ISO timestamps (with any offset) or datetimes → naive midnight datetimes.

    A timestamp written as text keeps the calendar date it was written with
    (``2026-11-02T23:30+08:00`` counts on 2 November, as the user who logged it saw
    it); a timezone-aware datetime is first converted to ``timezone`` (the dataset's
    ``settings["timezone"]``, else UTC), so both agree for a dataset in one timezone.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
        return values.dt.normalize()
    text = values.astype("string").str.slice(0, 10)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


def normalise(table: str, frame: pd.DataFrame, timezone: str | None = None) -> pd.DataFrame:
    """Add missing columns (as nulls) and coerce dates and money to their dtypes."""
    frame = frame.copy()
    for column in _COLUMNS.get(table, ()):
        if column not in frame.columns:
            frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    for column in _DATE_COLUMNS.get(table, ()):
        frame[column] = as_dates(frame[column], timezone)
    for column in _INT_COLUMNS.get(table, ()):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0).astype("int64")
    if table == "deals":
        frame["probability"] = pd.to_numeric(frame["probability"], errors="coerce").fillna(0.0)
    if table == "interactions":
        for column in ("csat", "nps"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    if table == "sales":
        frame = frame[frame["date"].notna()]
        if not frame["date"].is_monotonic_increasing:
            frame = frame.sort_values("date", kind="stable")
        frame = frame.reset_index(drop=True)
    return frame


def _frame(records: Iterable[Mapping[str, Any]] | pd.DataFrame | None) -> pd.DataFrame:
    if isinstance(records, pd.DataFrame):
        return records
    return pd.DataFrame(list(records or []))


@dataclass
class KpiInputs:
    """Everything the KPIs of one dataset need, as of ``today``.

    Rows dated after ``today`` (possible with a fixed ``--today``) are ignored by every
    KPI: the numbers are what a user would have seen on that day.
    """

    sales: pd.DataFrame
    deals: pd.DataFrame
    interactions: pd.DataFrame
    customers: pd.DataFrame
    reps: pd.DataFrame
    teams: pd.DataFrame
    market: pd.DataFrame
    goals: list[dict[str, Any]]
    settings: dict[str, Any]
    today: date
    currency: str = field(init=False)

    def __post_init__(self) -> None:
        self.currency = str(self.settings.get("currency", "CNY"))

    @classmethod
    def from_records(
        cls,
        *,
        today: date,
        settings: Mapping[str, Any] | None = None,
        goals: Iterable[Mapping[str, Any]] = (),
        **tables: Iterable[Mapping[str, Any]] | pd.DataFrame,
    ) -> KpiInputs:
        """Build from lists of record dicts (or DataFrames), e.g. hand-made test fixtures."""
        unknown = set(tables) - set(_COLUMNS)
        if unknown:
            raise TypeError(f"unknown tables: {sorted(unknown)}")
        settings = dict(settings or {})
        timezone = settings.get("timezone")
        frames = {name: normalise(name, _frame(tables.get(name)), timezone) for name in _COLUMNS}
        return cls(
            **frames,
            goals=[dict(goal) for goal in goals],
            settings=settings,
            today=today,
        )

    @classmethod
    def from_store(cls, store: Store, today: date) -> KpiInputs:
        """Load from a data directory: big tables through the columnar loader."""
        from qsales_tui.storage.frames import load_frame

        big = {name: load_frame(store, name) for name in ("sales", "deals", "interactions")}
        small = {name: store.all(name) for name in ("customers", "reps", "teams", "market")}
        return cls.from_records(
            today=today, settings=store.settings, goals=store.all("goals"), **big, **small
        )

    @cached_property
    def calendar(self) -> FiscalCalendar:
        return FiscalCalendar.from_settings(self.settings)

    @property
    def inactive_after_days(self) -> int:
        return int(self.settings.get("inactive_after_days") or DEFAULT_INACTIVE_AFTER_DAYS)

    @cached_property
    def engine(self) -> KpiEngine:
        """The precomputed per-quarter aggregates, built once and shared by every caller."""
        from qsales_tui.analytics.kpi_engine import KpiEngine

        return KpiEngine(self)
