"""``qsales check-data``: report permissions, format version, damaged files, dangling ids."""

from __future__ import annotations

import argparse

from qsales_tui.context import Context
from qsales_tui.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-data",
        help=_("check the data directory (exit 0 only when all is well)"),
        description=_(
            "Check the data directory given by --db: file permissions, data format "
            "version, damaged files and references between tables."
        ),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from qsales_tui.storage.check import check_data

    problems = check_data(ctx.data_dir)
    for problem in problems:
        print(problem)
    if problems:
        print(_("{n} problem(s) found in {path}", n=len(problems), path=ctx.data_dir))
        return 1
    print(_("{path}: all is well", path=ctx.data_dir))
    return 0
