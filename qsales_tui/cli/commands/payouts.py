"""``qsales payouts``: each rep's payout statement so far, the same figures as the team board.

Payouts follow the board's rule (``services.teamboard.payout_visible``): managers and
directors get every rep, a rep only themselves; a user mapped to no rep is refused
(set ``QSALES_USER`` to a manager's ``os_user`` for scripts). Team managers follow
their teams' reps. ``--rep`` shows one
rep's statement line by line. CSV gives every statement line of every rep, so each
total can be added up by hand. ``scorecards`` shares this module's loading and tables.
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from qsales_tui.cli.tables import render_table, write_json
from qsales_tui.domain.money import format_money as money
from qsales_tui.errors import CommandError
from qsales_tui.i18n import _
from qsales_tui.services.identity import current_rep

FORMATS = ("table", "json", "csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("payouts", help=_("payout statements of the quarter so far"))
    add_common_options(parser)
    parser.add_argument("--rep", metavar="ID", help=_("one rep's statement, line by line"))
    parser.set_defaults(run=run)


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quarter", metavar="YYYY-Qn", help=_("the quarter (default: the current one)")
    )
    parser.add_argument("--format", choices=FORMATS, default="table")


def load_board(args: argparse.Namespace, ctx: Any) -> tuple[Any, dict | None]:
    """The team board of ``--quarter`` for the current user, and that user's rep."""
    from qsales_tui.rules import RulesRegistry
    from qsales_tui.services.teamboard import TeamData, team_board

    try:
        quarter = (
            ctx.calendar.quarter(args.quarter)
            if args.quarter
            else ctx.calendar.quarter_of(ctx.today)
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    registry = RulesRegistry()
    result = registry.reload(ctx.rules_dir)
    for line in [*map(str, result.problems), *result.notices()]:
        print(f"qsales: {line}", file=sys.stderr)
    viewer = current_rep(ctx.store, ctx.os_user)
    data = TeamData.load(ctx.store, ctx.today)
    return team_board(data, quarter, registry.rules, viewer), viewer


def run(args: argparse.Namespace, ctx: Any) -> int:
    from qsales_tui.services.teamboard import (
        PAYOUT_HIDDEN,
        payout_reason_text,
        statement_document,
        statement_rows,
    )

    board, viewer = load_board(args, ctx)
    if viewer is None:
        raise CommandError(
            _(
                "payouts are shown to managers and to each rep for themselves; the user {user} "
                "is not mapped to a rep: set QSALES_USER to a rep's os_user",
                user=ctx.os_user,
            )
        )
    rows = [row for row in payees(board) if row.payout_reason != PAYOUT_HIDDEN]
    if args.rep:
        rows = [row for row in rows if row.rep_id == args.rep]
        if not rows:
            raise CommandError(
                _(
                    "no payout of rep {rep} that you may see in {quarter}",
                    rep=args.rep,
                    quarter=board.quarter,
                )
            )
    if args.format == "json":
        document = {
            "quarter": board.quarter,
            "as_of": board.as_of.isoformat(),
            "currency": board.currency,
            "reps": [
                statement_document(row, board.quarter)
                if row.statement
                else {
                    "quarter": board.quarter,
                    "rep_id": row.rep_id,
                    "name": row.name,
                    "total_minor": None,
                    "reason": row.payout_reason,
                }
                for row in rows
            ],
        }
        write_json(document)
    elif args.format == "csv":
        from qsales_tui.services.teamboard import STATEMENT_FIELDS

        writer = csv.DictWriter(sys.stdout, fieldnames=STATEMENT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            if row.statement:
                writer.writerows(statement_rows(row.rep_id, row.statement))
    elif args.rep and rows[0].statement:
        print(statement_table(rows[0], board.currency))
    else:
        headers = [
            _("Rep"),
            _("Name"),
            _("Plan"),
            _("Target"),
            _("Sales"),
            _("Attainment"),
            _("Grade"),
            _("Payout"),
        ]
        body = [
            [
                row.rep_id,
                row.name,
                row.statement.plan_name if row.statement else "—",
                money(row.target_minor, board.currency),
                money(row.actual_minor, board.currency),
                _percent(row.attainment),
                row.grade,
                money(row.payout_minor, board.currency) if row.statement else "—",
            ]
            for row in rows
        ]
        print(
            _(
                "Payouts so far, {quarter} (as of {day})",
                quarter=board.quarter,
                day=board.as_of.isoformat(),
            )
        )
        print(render_table(headers, body, right={3, 4, 5, 7}))
        for reason in sorted({row.payout_reason for row in rows if row.statement is None}):
            missing = ", ".join(row.rep_id for row in rows if row.payout_reason == reason)
            print(f"— {missing}: {payout_reason_text(reason or '')}")
    return 0


def payees(board: Any) -> list[Any]:
    """Each team's reps, then the team managers (paid on their team's figures)."""
    return [*board.reps, *board.managers]


def statement_table(row: Any, currency: str) -> str:
    statement = row.statement
    headers = [_("Line"), _("Basis"), _("Rate"), _("Amount"), _("Detail")]
    body = [
        [
            line.label,
            money(line.basis_minor, currency) if line.basis_minor is not None else "",
            "" if line.rate is None else str(line.rate),
            money(line.amount_minor, currency),
            line.detail,
        ]
        for line in statement.lines
    ]
    title = f"{row.rep_id} {row.name} · {statement.plan_name} · {_('Grade')} {row.grade}"
    return title + "\n" + render_table(headers, body, right={1, 2, 3})


def _percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"
