"""``qsales followups list``: the follow-up queue for scripts, as a table, JSON or CSV.

Without ``--rep`` or ``--all`` it lists the current user's queue. Tables line up
Chinese names by display width (two cells per wide character).
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date

from qsales_tui.cli.tables import render_table, write_json
from qsales_tui.domain.followups import HORIZONS, QueueFilter, QueueItem, part_label
from qsales_tui.domain.models import SEGMENTS
from qsales_tui.i18n import _
from qsales_tui.rules import load_cadences
from qsales_tui.services.followups import QueueSnapshot, default_scope, scope_rep_ids
from qsales_tui.services.identity import current_rep

FORMATS = ("table", "json", "csv")
NAME_CELLS = 24


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("followups", help=_("the follow-up queue"))
    sub = parser.add_subparsers(dest="followups_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help=_("list the queue, best first"))
    who = listing.add_mutually_exclusive_group()
    who.add_argument(
        "--rep",
        metavar="ID",
        help=_("this rep's queue (default: yours; a manager's team; everyone for a director)"),
    )
    who.add_argument("--all", action="store_true", help=_("everyone's queue"))
    listing.add_argument(
        "--due",
        choices=HORIZONS,
        default="week",
        help=_("overdue; today (with overdue); week (default); all"),
    )
    listing.add_argument("--segment", choices=SEGMENTS)
    listing.add_argument("--search", default="", help=_("customer name, or pinyin initials"))
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(run=run_list)


def run_list(args: argparse.Namespace, ctx) -> int:
    store = ctx.store
    viewer = current_rep(store, ctx.os_user)
    rep_ids = scope_rep_ids(store, viewer, "all" if args.all else default_scope(viewer), args.rep)
    where = QueueFilter(rep_ids=rep_ids, segment=args.segment, horizon=args.due, search=args.search)
    snapshot = QueueSnapshot.load(store, ctx.today, ctx.calendar)
    items = snapshot.queue(where, cadences=load_cadences(ctx.rules_dir), currency=ctx.currency)
    if args.format == "json":
        write_json([i.to_dict(ctx.today) for i in items])
    elif args.format == "csv":
        write_csv(items, ctx.today)
    else:
        print(queue_table(items, ctx.today))
    return 0


def _reasons(item: QueueItem) -> str:
    return "; ".join(f"{part_label(part.name)} {part.points}" for part in item.parts)


def write_csv(items: list[QueueItem], today: date) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        [
            "score",
            "due",
            "bucket",
            "kind",
            "followup_id",
            "customer_id",
            "customer_name",
            "segment",
            "rep_id",
            "parts",
        ]
    )
    for item in items:
        writer.writerow(
            [
                item.score,
                item.due.isoformat(),
                item.bucket(today),
                item.kind,
                item.followup_id or "",
                item.customer_id,
                item.customer_name,
                item.segment,
                item.rep_id or "",
                _reasons(item),
            ]
        )


def _bucket_label(bucket: str) -> str:
    return {
        "overdue": _("overdue"),
        "today": _("today"),
        "week": _("this week"),
        "later": _("later"),
    }[bucket]


def queue_table(items: list[QueueItem], today: date) -> str:
    if not items:
        return _("Nothing due.")
    headers = [
        _("Score"),
        _("Due"),
        _("When"),
        _("Customer"),
        _("Name"),
        _("Rep"),
        _("Follow-up"),
        _("Why"),
    ]
    rows = [
        [
            str(i.score),
            i.due.isoformat(),
            _bucket_label(i.bucket(today)),
            i.customer_id,
            i.customer_name,
            i.rep_id or "—",
            i.followup_id or _("cadence"),
            _reasons(i),
        ]
        for i in items
    ]
    return render_table(headers, rows, right={0}, max_cells={4: NAME_CELLS})
