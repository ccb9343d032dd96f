"""``qsales init``: start an empty data directory for a real team, with its first manager.

The person running it becomes the first rep record (role manager, their OS user), so
they can write at once and add the rest of the team (or import it) from there.
"""

from __future__ import annotations

import argparse
from datetime import date

from qsales_tui.context import Context, current_os_user
from qsales_tui.errors import CommandError
from qsales_tui.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help=_("create an empty data directory (the one given by --db or the default)"),
        description=_(
            "Create an empty data directory with the company settings and you as its first manager."
        ),
    )
    parser.add_argument("--company", required=True, help=_("company name"))
    parser.add_argument("--currency", default="CNY", help=_("ISO 4217 currency code"))
    parser.add_argument(
        "--fiscal-year-start",
        type=int,
        default=1,
        metavar="MONTH",
        help=_("first month of the fiscal year (1-12)"),
    )
    parser.add_argument(
        "--inactive-after",
        type=int,
        default=90,
        metavar="DAYS",
        help=_("days without a purchase after which a customer counts as lapsed"),
    )
    parser.add_argument("--manager-name", help=_("your name as shown in the app"))
    parser.add_argument("--group", help=_("share the data files with this OS group"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from qsales_tui.domain.models import RecordError
    from qsales_tui.storage.schema import SCHEMA_VERSION
    from qsales_tui.storage.store import Store

    settings = {
        "company": args.company,
        "currency": args.currency.upper(),
        "fiscal_year_start_month": args.fiscal_year_start,
        "inactive_after_days": args.inactive_after,
        "schema_version": SCHEMA_VERSION,
    }
    if args.group:
        settings["group"] = args.group
    user = current_os_user()
    try:
        store = Store.create(ctx.data_dir, settings, user=user)
        store.insert(
            "reps",
            {
                "name": args.manager_name or user,
                "team_id": None,
                "role": "manager",
                "os_user": user,
                "hired_on": date.today().isoformat(),
                "active": True,
            },
        )
    except RecordError as exc:
        raise CommandError(str(exc)) from None
    print(
        _(
            "Created {path} for {company}; {user} is its first manager.",
            path=ctx.data_dir,
            company=args.company,
            user=user,
        )
    )
    return 0
