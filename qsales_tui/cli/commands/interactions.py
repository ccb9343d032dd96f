"""``qsales interactions add``: log a contact from a script or a phone-system hook.

Same checks, rules, cadence planning and audit as the follow-up screen; the author is
the rep mapped to the current user. Prints what was written; bad input writes nothing.
"""

from __future__ import annotations

import argparse

from qsales_tui.domain.followups import CHANNELS
from qsales_tui.i18n import _
from qsales_tui.services.followups import Desk, log_interaction


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("interactions", help=_("contact history"))
    sub = parser.add_subparsers(dest="interactions_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help=_("log a contact with a customer"))
    add.add_argument("--customer", required=True, metavar="ID")
    add.add_argument(
        "--channel",
        required=True,
        metavar="CHANNEL",
        help=_("one of {choices}", choices=", ".join(CHANNELS)),
    )
    add.add_argument("--note", required=True, metavar="TEXT", help=_("any text; newlines kept"))
    add.add_argument("--outcome", default="", metavar="TEXT")
    add.add_argument("--csat", metavar="N", help=_("satisfaction 1–5"))
    add.add_argument("--nps", metavar="N", help=_("net promoter score 0–10"))
    add.add_argument("--followup", metavar="ID", help=_("also mark this open follow-up done"))
    add.set_defaults(run=run_add)


def run_add(args: argparse.Namespace, ctx) -> int:
    result = log_interaction(
        Desk.from_context(ctx),
        args.customer,
        args.channel,
        args.note,
        args.outcome,
        args.csat,
        args.nps,
        followup_id=args.followup,
    )
    print(f"{result.record['id']}: {result.message}")
    return 0
