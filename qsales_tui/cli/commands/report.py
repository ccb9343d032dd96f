"""``qsales report --quarter Q --format md|json|html [-o FILE]``: the quarter report.

Every KPI with its previous quarter, 8-quarter trend and how it is computed, and the
per-rep and per-team tables. The JSON schema is in docs/report-json.md. Without
``-o`` the report goes to standard output; with it the file is replaced atomically.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from qsales_tui.i18n import _

if TYPE_CHECKING:
    from qsales_tui.context import Context


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help=_("write the quarter report (Markdown, JSON or HTML)")
    )
    parser.add_argument(
        "--quarter", metavar="YYYY-Qn", help=_("the quarter (default: the current one)")
    )
    parser.add_argument(
        "--format",
        choices=("md", "json", "html"),
        default="md",
        help=_("output format (default: md)"),
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help=_("write to FILE instead of standard output"),
    )
    parser.set_defaults(run=run)


def current_quarter(ctx: Context, given: str | None) -> str:
    return given or ctx.calendar.quarter_of(ctx.today).name


def run(args: argparse.Namespace, ctx: Context) -> int:
    from qsales_tui.analytics.kpi_inputs import KpiInputs
    from qsales_tui.reports.document import build_report
    from qsales_tui.reports.output import emit, file_modes
    from qsales_tui.reports.render import render

    inputs = KpiInputs.from_store(ctx.store, ctx.today)
    document = build_report(inputs, current_quarter(ctx, args.quarter))
    emit(render(document, args.format), args.output, file_modes(ctx.store.settings))
    return 0
