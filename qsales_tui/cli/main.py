"""Entry point of ``qsales``: global options, then the app or a subcommand.

Global options come before any command: ``qsales --db DIR --today 2026-11-27 report …``.
Every error goes to stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from qsales_tui import __version__
from qsales_tui.cli import commands
from qsales_tui.context import Context, detect_lang
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _, set_language


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qsales",
        description=_(
            "Run a sales team's quarter from the terminal. Without a command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"qsales {__version__}")
    parser.add_argument("--db", metavar="DIR", help=_("data directory (env QSALES_DB)"))
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help=_("fix today's date (env QSALES_TODAY)")
    )
    parser.add_argument("--lang", choices=["en", "zh"], help=_("UI language (default from LANG)"))
    parser.add_argument("--rules", metavar="DIR", help=_("rule files directory (env QSALES_RULES)"))
    parser.add_argument(
        "--demo", action="store_true", help=_("open a fresh temporary copy of the sample data")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def _language_asked(argv: Sequence[str]) -> str | None:
    """The --lang value, read before parsing so that --help is already translated."""
    for index, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(detect_lang(_language_asked(argv)))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        ctx = Context.from_options(args.db, args.today, args.lang, args.rules)
    except ValueError as exc:
        print(f"qsales: error: {exc}", file=sys.stderr)
        return 2
    set_language(ctx.lang)
    run = getattr(args, "run", None)
    try:
        if run is None:
            from qsales_tui.ui.launch import launch_app

            return launch_app(ctx, demo=args.demo)
        return int(run(args, ctx) or 0)
    except QsalesError as exc:
        print(f"qsales: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``qsales … | head``): stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    raise SystemExit(main())
