"""``qsales scorecards``: every rep's scorecard of the quarter so far, as on the team board.

Scorecards are not secret (the board shows every grade), so anyone gets every rep,
and each team manager (scored on the team's figures) after the reps.
JSON holds each scorecard whole; CSV one row per rep and KPI, so each score can be
added up by hand; the table one row per rep with the KPI values, score and grade.
"""

from __future__ import annotations

import argparse
import csv
import sys
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from qsales_tui.cli.commands.payouts import add_common_options, load_board, payees
from qsales_tui.cli.tables import render_table, write_json
from qsales_tui.domain.scoring import kpi_label
from qsales_tui.i18n import _

CSV_FIELDS = (
    "rep_id",
    "name",
    "team_id",
    "kpi",
    "value",
    "target",
    "normalised",
    "weight",
    "points",
    "score",
    "grade",
    "bonus_multiplier",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scorecards", help=_("scorecards and grades of the quarter so far")
    )
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Any) -> int:
    board, _viewer = load_board(args, ctx)
    rows = payees(board)
    if args.format == "json":
        write_json(
            {
                "quarter": board.quarter,
                "as_of": board.as_of.isoformat(),
                "reps": [
                    {
                        "rep_id": row.rep_id,
                        "name": row.name,
                        "team_id": row.team_id,
                        **row.scorecard.as_dict(),
                    }
                    for row in rows
                ],
            }
        )
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            card = row.scorecard.as_dict()
            for line in card["kpis"]:  # type: ignore[union-attr]
                writer.writerow(
                    {
                        "rep_id": row.rep_id,
                        "name": row.name,
                        "team_id": row.team_id,
                        **{
                            key: line[key]
                            for key in ("value", "target", "normalised", "weight", "points")
                        },
                        "kpi": line["kpi"],
                        "score": card["score"],
                        "grade": card["grade"],
                        "bonus_multiplier": card["bonus_multiplier"],
                    }
                )
    else:
        kpis = [line.name for line in rows[0].scorecard.kpis] if rows else []
        headers = [
            _("Rep"),
            _("Name"),
            *(kpi_label(k) for k in kpis),
            _("Score"),
            _("Grade"),
            _("Multiplier"),
        ]
        body = [
            [
                row.rep_id,
                row.name,
                *(_kpi_value(line.value) for line in row.scorecard.kpis),
                str(row.scorecard.score),
                row.grade,
                f"×{row.scorecard.bonus_multiplier}",
            ]
            for row in rows
        ]
        print(
            _(
                "Scorecards so far, {quarter} (as of {day})",
                quarter=board.quarter,
                day=board.as_of.isoformat(),
            )
        )
        print(render_table(headers, body, right=set(range(2, len(headers)))))
    return 0


def _kpi_value(value: Decimal | None) -> str:
    """A KPI value for the table: at most two decimals, no trailing zeros (JSON and CSV
    keep the full value)."""
    if value is None:
        return "—"
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{rounded.normalize():f}"
