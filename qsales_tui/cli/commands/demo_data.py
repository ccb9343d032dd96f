"""``qsales demo-data --out DIR``: write the demo company to a new data directory.

The date the data ends on is the command's own ``--today``, else the global
``--today``/``QSALES_TODAY``, else 2026-11-27 — never the real date, so the same
arguments always give the same files.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from qsales_tui.context import Context
from qsales_tui.errors import CommandError
from qsales_tui.i18n import _

MAX_SCALE = 200.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo-data",
        help=_("write a demo company to a new data directory"),
        description=_(
            "Generate a believable demo company (teams, customers, two years of "
            "sales, pipeline, follow-ups, goals) into a new data directory. The "
            "same arguments always write the same files."
        ),
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=_("new data directory (must not exist or be empty)"),
    )
    parser.add_argument(
        "--seed", type=int, default=None, metavar="N", help=_("random seed (default 7)")
    )
    parser.add_argument(
        "--today",
        dest="demo_today",
        metavar="YYYY-MM-DD",
        help=_("the day the data ends (default 2026-11-27)"),
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        metavar="K",
        help=_("size factor: 1 is about 400 customers and 20,000 sales lines"),
    )
    parser.set_defaults(run=run)


def _today(args: argparse.Namespace, ctx: Context) -> date:
    from qsales_tui.demo import DEFAULT_TODAY

    if args.demo_today:
        try:
            return date.fromisoformat(args.demo_today)
        except ValueError:
            raise CommandError(
                _("not a date (want YYYY-MM-DD): {value}", value=args.demo_today)
            ) from None
    return ctx.today_override or DEFAULT_TODAY


def run(args: argparse.Namespace, ctx: Context) -> int:
    from qsales_tui.demo import DEFAULT_SEED, generate, write_dataset

    if not 0 < args.scale <= MAX_SCALE:
        raise CommandError(_("--scale must be above 0 and at most {max}", max=MAX_SCALE))
    out = Path(args.out).expanduser()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CommandError(_("{path} exists and is not an empty directory", path=out))
    seed = DEFAULT_SEED if args.seed is None else args.seed
    dataset = generate(seed, _today(args, ctx), args.scale)
    write_dataset(out, dataset)
    counts = dataset.counts()
    print(
        _(
            "Wrote {customers} customers and {sales} sales lines to {path}",
            customers=counts["customers"],
            sales=counts["sales"],
            path=out,
        )
    )
    return 0
