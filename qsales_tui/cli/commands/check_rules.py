"""``qsales check-rules [DIR]``: validate the rule files from the shell.

Prints each problem as ``file:line: field: message`` and exits 1 when there is any;
otherwise prints a short summary and exits 0. A file missing from DIR is not an
error (the shipped default applies, and a note says so), but a directory with none
of the rule files is. ``--write-schema OUT`` also writes a JSON Schema per rule file,
for editors that check YAML against a schema.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import orjson

from qsales_tui.errors import CommandError
from qsales_tui.i18n import _
from qsales_tui.rules.registry import RULE_FILES, RulesRegistry


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check-rules", help=_("validate the rule files (YAML)"))
    parser.add_argument(
        "directory", nargs="?", metavar="DIR", help=_("rules directory (default: the one in use)")
    )
    parser.add_argument(
        "--write-schema", metavar="OUT", help=_("also write a JSON Schema per rule file into OUT")
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx) -> int:
    directory = Path(args.directory) if args.directory else ctx.rules_dir
    if not directory.is_dir():
        raise CommandError(_("no rules directory at {path}", path=directory))
    if not any((directory / name).is_file() for name in RULE_FILES):
        raise CommandError(
            _(
                "no rule files in {path} (expected {names})",
                path=directory,
                names=", ".join(RULE_FILES),
            )
        )
    if args.write_schema:
        write_schemas(Path(args.write_schema))
    registry = RulesRegistry()
    result = registry.reload(directory)
    for problem in result.problems:
        print(problem)
    for name in result.missing:
        print(_("{file} not found; the default rules are used", file=name))
    if result.problems:
        print(_("{n} problem(s) in {path}", n=len(result.problems), path=directory))
        return 1
    rules = registry.rules
    print(
        _(
            "Rules OK in {path}: {plans} incentive plans, {kpis} KPIs, {grades} grades; "
            "follow-up every {days} days",
            path=directory,
            plans=len(rules.incentives.plans),
            kpis=len(rules.scoring.kpis),
            grades=len(rules.scoring.grades),
            days=" / ".join(
                f"{segment} {days}" for segment, days in rules.cadences.as_dict().items()
            ),
        )
    )
    return 0


def write_schemas(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, model in RULE_FILES.items():
        schema = model.model_json_schema()
        (out / name.replace(".yaml", ".schema.json")).write_bytes(
            orjson.dumps(schema, option=orjson.OPT_INDENT_2)
        )
