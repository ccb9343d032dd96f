"""``qsales export NAME [--quarter Q] [--format csv|xlsx|json] [-o FILE]``.

NAME is a data table (``sales``, ``customers`` …: every row, or one quarter's with
``--quarter``), ``kpis`` (the company KPIs over 8 quarters up to Q), ``kpis-rep`` …
``kpis-segment`` (Q's KPIs per group), or ``rows:<kpi>`` (the rows behind a figure,
cut with ``--filter team=T-0001``). The format defaults to the output file's
extension, else CSV. Money is written in major units and as exact ``*_minor``
integers; see ``qsales_tui.reports.exports``. Managers may also export ``audit`` and
``settings``.

What is exported follows ``qsales_tui.services.visibility``: a rep gets their own
customers and the rows about them, managers and directors everything, and a user
mapped to no rep (``QSALES_USER``) only the company KPI tables (``kpis``,
``kpis-*``), which everyone sees in the app. Files written with ``-o`` get the data
files' modes (0600, or 0660 with a settings ``group``) whatever the umask.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from qsales_tui.errors import CommandError
from qsales_tui.i18n import _
from qsales_tui.storage.schema import TABLES

if TYPE_CHECKING:
    from qsales_tui.analytics.kpi_inputs import KpiInputs
    from qsales_tui.context import Context
    from qsales_tui.reports.exports import ExportTable
    from qsales_tui.services.visibility import Viewer

FORMATS = ("csv", "xlsx", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help=_("export a table or KPI table to CSV, XLSX or JSON")
    )
    parser.add_argument(
        "name",
        metavar="NAME",
        help=_(
            "a data table, kpis, kpis-rep|team|region|product|segment, "
            "rows:<kpi>, or (managers) audit or settings"
        ),
    )
    parser.add_argument(
        "--quarter",
        metavar="YYYY-Qn",
        help=_("the quarter (KPIs: default the current one; tables: all rows)"),
    )
    parser.add_argument(
        "--format", choices=FORMATS, help=_("output format (default: from the file name, else csv)")
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help=_("write to FILE instead of standard output"),
    )
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="DIMENSION=GROUP",
        help=_("rows:<kpi> only: keep one rep, team, region, product or segment"),
    )
    parser.set_defaults(run=run)


def _format(args: argparse.Namespace) -> str:
    fmt = args.format
    if fmt is None and args.output is not None:
        suffix = args.output.suffix.lower().lstrip(".")
        fmt = suffix if suffix in FORMATS else None
    fmt = fmt or "csv"
    if fmt == "xlsx" and args.output is None:
        raise CommandError(_("XLSX needs an output file: add -o FILE.xlsx"))
    return fmt


def _filters(pairs: list[str]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        dimension, sep, group = pair.partition("=")
        if not sep or not dimension or not group:
            raise CommandError(_("--filter wants DIMENSION=GROUP, not {value}", value=pair))
        result[dimension.strip()] = group.strip()
    return result


def _kpi_inputs(args: argparse.Namespace, ctx: Context) -> tuple[KpiInputs, str]:
    """The KPI engine's inputs and the quarter asked for (default: the current one)."""
    from qsales_tui.analytics.kpi_inputs import KpiInputs

    inputs = KpiInputs.from_store(ctx.store, ctx.today)
    return inputs, args.quarter or inputs.calendar.quarter_of(ctx.today).name


def _table(args: argparse.Namespace, ctx: Context, viewer: Viewer) -> ExportTable:
    from qsales_tui.reports import tables
    from qsales_tui.services.visibility import MANAGERS_ONLY, ROWS

    name = args.name
    filters = _filters(args.filter)
    if filters and not name.startswith("rows:"):
        raise CommandError(_("--filter applies to rows:<kpi> only"))
    if name in tables.KPI_TABLES:  # company figures: everyone sees them
        inputs, quarter = _kpi_inputs(args, ctx)
        if name == "kpis":
            return tables.kpi_trend_table(inputs, quarter)
        return tables.kpi_breakdown_table(inputs, quarter, name.removeprefix("kpis-"))
    if name.startswith("rows:"):
        viewer.require_rows(ROWS)
        inputs, quarter = _kpi_inputs(args, ctx)
        table = tables.rows_table(inputs, name.removeprefix("rows:"), quarter, filters)
        return table.with_frame(viewer.visible(ROWS, table.frame))
    if name in MANAGERS_ONLY:
        viewer.require_rows(name)
        return _managers_table(args, ctx)
    if name in TABLES:  # else data_table names the tables there are
        viewer.require_rows(name)
    quarter = None
    if args.quarter:
        try:
            quarter = ctx.calendar.quarter(args.quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
    table = tables.data_table(ctx.store, name, quarter, ctx.store.settings)
    return table.with_frame(viewer.visible(name, table.frame))


def _managers_table(args: argparse.Namespace, ctx: Context) -> ExportTable:
    """``audit`` (every entry, oldest first) or ``settings`` (one row)."""
    import pandas as pd

    from qsales_tui.reports.exports import ExportTable

    if args.quarter:
        raise CommandError(
            _("{name} has no date to pick a quarter by; leave out --quarter", name=args.name)
        )
    settings = ctx.store.settings
    records = ctx.store.audit() if args.name == "audit" else [settings]
    return ExportTable(args.name, pd.DataFrame(records), str(settings.get("currency", "CNY")))


def run(args: argparse.Namespace, ctx: Context) -> int:
    from qsales_tui.reports.exports import write_table
    from qsales_tui.reports.output import emit, file_modes
    from qsales_tui.services.visibility import Viewer

    fmt = _format(args)
    table = _table(args, ctx, Viewer.of(ctx.store, ctx.os_user))
    emit(write_table(table, fmt), args.output, file_modes(ctx.store.settings))
    return 0
