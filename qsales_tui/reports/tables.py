"""What ``qsales export`` can write, each as an ``ExportTable``.

- ``kpis``: the company KPIs, one row per quarter of the 8-quarter trend;
- ``kpis-rep``, ``kpis-team``, ``kpis-region``, ``kpis-product``, ``kpis-segment``: the
  quarter's KPIs per group, with a ``missing`` column of ``kpi: reason`` codes for the
  figures that could not be computed;
- ``rows:<kpi>``: the rows behind a figure (``drilldown.rows_behind``);
- any data table of DATA.md (``sales``, ``customers`` …), optionally one quarter's rows.

Money KPI columns are ``<kpi>_minor`` (so exports add the major-unit column).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from qsales_tui.analytics.drilldown import rows_behind
from qsales_tui.analytics.kpi_engine import DIMENSIONS
from qsales_tui.analytics.kpi_inputs import KpiInputs, as_dates
from qsales_tui.analytics.kpis import KPIS, Figure, breakdown, compute_all
from qsales_tui.domain.calendar import Quarter
from qsales_tui.errors import CommandError
from qsales_tui.i18n import _
from qsales_tui.reports.exports import ExportTable
from qsales_tui.storage.schema import TABLES

if TYPE_CHECKING:
    from qsales_tui.storage.store import Store

KPI_TABLES = ("kpis", *(f"kpis-{dimension}" for dimension in DIMENSIONS))
# Field that places a record in a quarter, for ``--quarter`` on data tables.
QUARTER_FIELDS = {
    "sales": "date",
    "deals": "expected_close",
    "interactions": "at",
    "followups": "due",
    "goals": "quarter",
    "market": "quarter",
    "reviews": "quarter",
    "strategies": "date",
    "trainings": "date",
    "notes": "at",
}
_UNIT_KINDS = {"money": "money", "ratio": "ratio", "count": "int"}


def kpi_column(key: str) -> str:
    return f"{key}_minor" if KPIS[key] == "money" else key


def _kpi_kinds() -> dict[str, str]:
    return {kpi_column(key): _UNIT_KINDS.get(unit, "number") for key, unit in KPIS.items()}


def kpi_trend_table(inputs: KpiInputs, quarter: str) -> ExportTable:
    result = compute_all(inputs, quarter)
    quarters = [name for name, _ in next(iter(result.kpis.values())).trend]
    rows = [
        {
            "quarter": name,
            **{kpi_column(key): dict(kpi.trend)[name] for key, kpi in result.kpis.items()},
        }
        for name in quarters
    ]
    frame = pd.DataFrame(rows, columns=["quarter", *map(kpi_column, KPIS)])
    kinds = {"quarter": "text", **_kpi_kinds()}
    return ExportTable("kpis", frame, inputs.currency, kinds, result.quarter)


def kpi_breakdown_table(inputs: KpiInputs, quarter: str, dimension: str) -> ExportTable:
    rows = []
    for group in breakdown(inputs, quarter, dimension):
        figures: Mapping[str, Figure] = group.figures
        rows.append(
            {
                dimension: group.group,
                "name": group.name,
                **{kpi_column(key): figure.value for key, figure in figures.items()},
                "missing": "; ".join(
                    f"{key}: {figure.reason}" for key, figure in figures.items() if figure.reason
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=[dimension, "name", *map(kpi_column, KPIS), "missing"])
    kinds = {dimension: "text", "name": "text", **_kpi_kinds(), "missing": "text"}
    return ExportTable(f"kpis-{dimension}", frame, inputs.currency, kinds, str(quarter))


def rows_table(
    inputs: KpiInputs, kpi: str, quarter: str, filter: Mapping[str, str] | None = None
) -> ExportTable:
    frame = rows_behind(inputs, kpi, quarter, filter)
    return ExportTable(f"rows-{kpi}", frame, inputs.currency, quarter=str(quarter))


def data_table(
    store: Store, name: str, quarter: Quarter | None, settings: Mapping[str, Any]
) -> ExportTable:
    """A data table as stored (big tables through the columnar loader), ``_v`` dropped."""
    if name not in TABLES or name == "audit":
        raise CommandError(
            _(
                "unknown table {name}; choose one of {names}",
                name=name,
                names=", ".join(sorted(set(TABLES) - {"audit"}) + list(KPI_TABLES)),
            )
        )
    from qsales_tui.storage.frames import COLUMNS, load_frame

    if name in COLUMNS:
        frame = load_frame(store, name)
    else:
        frame = pd.DataFrame(store.all(name)).drop(columns=["_v"], errors="ignore")
    if quarter is not None and len(frame):
        field = QUARTER_FIELDS.get(name)
        if field is None:
            raise CommandError(
                _("{name} has no date to pick a quarter by; leave out --quarter", name=name)
            )
        if field == "quarter":
            keep = frame[field].astype(str) == quarter.name
        else:
            days = as_dates(frame[field], settings.get("timezone"))
            keep = (days >= pd.Timestamp(quarter.start)) & (days <= pd.Timestamp(quarter.end))
        frame = frame.loc[keep.to_numpy()].reset_index(drop=True)
    return ExportTable(
        name, frame, str(settings.get("currency", "CNY")), quarter=quarter.name if quarter else None
    )
