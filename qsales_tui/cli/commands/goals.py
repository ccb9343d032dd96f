"""``qsales goals list`` and ``qsales goals create --file GOAL.yaml``.

``create`` runs the wizard's checks, splits and allocation rules on a YAML file and
writes nothing unless every check passes and every achievability flag is
acknowledged in the file; a flag it refuses is named with the ``acknowledge:`` key
that answers it. docs/goal-yaml.md documents the file (``goals create --help`` says
so). In short, with amounts in the target's unit (``4.2M``, ``35``, ``4.5``, ``12.5%``)::

    quarter: 2026-Q4
    metric: revenue            # revenue | new_customers | units | avg_csat | market_share
    scope: team:T-0001         # company | team:<id> | rep:<id> | segment:<name> | product:<name>
    product: QS-Cloud          # units only (or use a product scope)
    target: 4.2M
    statement: ...             # optional; drafted when left out
    objective: Grow key accounts
    why: Key accounts drive most of our revenue
    split: seasonality         # working_days | seasonality | custom | manual
    month_weights: {2026-10: 1, 2026-11: 1, 2026-12: 2}    # custom
    month_amounts: {2026-10: 1M, 2026-11: 1.2M, 2026-12: 2M}  # manual
    allocation: history        # even | history | capacity | manual
    reps: [R-0002, R-0003]     # optional; default: the scope's active reps
    capacity: {R-0002: 2, R-0003: 1}                       # capacity
    shares: {R-0002: 2.5M, R-0003: 1.7M}                   # manual
    acknowledge: {stretch: "new product launch in October", replaces: "board cut the plan"}

``list`` shows every goal of the quarter with its status: a superseded one is listed
for the record (its progress too) but counts nowhere.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qsales_tui.cli.tables import render_table, write_json
from qsales_tui.domain.goals import (
    AllocationMethod,
    GoalDraft,
    GoalError,
    Metric,
    SplitMethod,
    flag_problem,
    format_target,
    goal_status_label,
    metric_label,
    parse_target,
    scope_label,
)
from qsales_tui.errors import CommandError
from qsales_tui.i18n import _

if TYPE_CHECKING:
    from qsales_tui.context import Context

Amount = str | int | float


class GoalFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quarter: str
    metric: Metric = "revenue"
    scope: str = "company"
    product: str = ""
    target: Amount
    statement: str = ""
    objective: str
    why: str
    split: SplitMethod = "working_days"
    month_weights: dict[str, Decimal] = Field(default_factory=dict)
    month_amounts: dict[str, Amount] = Field(default_factory=dict)
    allocation: AllocationMethod = "history"
    reps: list[str] = Field(default_factory=list)
    capacity: dict[str, Decimal] = Field(default_factory=dict)
    shares: dict[str, Amount] = Field(default_factory=dict)
    acknowledge: dict[str, str] = Field(default_factory=dict)

    def to_draft(self, currency: str) -> GoalDraft:
        def amount(field: str, value: Amount) -> int:
            try:
                return parse_target(self.metric, str(value), currency)
            except ValueError as exc:
                raise GoalError([f"{field}: {exc}"]) from None

        return GoalDraft.from_dict(
            {
                **self.model_dump(
                    include={
                        "quarter",
                        "metric",
                        "scope",
                        "product",
                        "statement",
                        "objective",
                        "why",
                        "month_weights",
                        "reps",
                        "capacity",
                    }
                ),
                "target": amount("target", self.target),
                "split_method": self.split,
                "month_amounts": {
                    m: amount(f"month_amounts.{m}", v) for m, v in self.month_amounts.items()
                },
                "allocation_method": self.allocation,
                "allocation": {r: amount(f"shares.{r}", v) for r, v in self.shares.items()},
                "acknowledgements": self.acknowledge,
            }
        )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("goals", help=_("quarterly goals: list and create"))
    sub = parser.add_subparsers(dest="goals_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help=_("the goals of a quarter"))
    listing.add_argument(
        "--quarter", metavar="YYYY-Qn", help=_("the quarter (default: the current one)")
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(run=run_list)
    create = sub.add_parser(
        "create",
        help=_("check and save a goal from a YAML file"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_(
            "The goal file's keys, units and an example: docs/goal-yaml.md. Each "
            "achievability flag needs a reason under acknowledge:, keyed by the "
            "flag's code (stretch, sandbagging, rep_stretch:<rep id>, replaces)."
        ),
    )
    create.add_argument("--file", required=True, type=Path, metavar="GOAL.yaml")
    create.set_defaults(run=run_create)


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    from qsales_tui.services.goals import goals_progress, list_goals, names

    quarter = _quarter(args.quarter, ctx)
    goals = list_goals(ctx, quarter)
    rows = list(zip(goals, goals_progress(ctx, goals), strict=True))
    if args.format == "json":
        payload = [
            {
                **{k: v for k, v in goal.items() if k != "_v"},
                "progress": {
                    "actual_to_date": progress.actual_to_date,
                    "expected_to_date": progress.expected_to_date,
                    "per_rep": {
                        rep: {"actual_to_date": actual, "target": share}
                        for rep, (actual, share) in progress.per_rep.items()
                    },
                },
            }
            for goal, progress in rows
        ]
        write_json(payload)
        return 0
    if not rows:
        print(_("No goals for {quarter}.", quarter=quarter))
        return 0
    _print_table(rows, names(ctx), ctx.currency)
    return 0


def _quarter(text: str | None, ctx: Context) -> str:
    if not text:
        return ctx.calendar.quarter_of(ctx.today).name
    try:
        return ctx.calendar.quarter(text).name
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _print_table(rows: list, labels: dict[str, str], currency: str) -> None:
    headers = [
        _("Goal"),
        _("Status"),
        _("Scope"),
        _("Metric"),
        _("Target"),
        _("Expected to date"),
        _("Actual to date"),
        _("Statement"),
    ]
    body = [
        [
            goal["id"],
            goal_status_label(goal.get("status", "active")),
            scope_label(goal["scope"], labels),
            metric_label(goal["metric"]),
            *(
                format_target(goal["metric"], value, currency)
                for value in (goal["target"], progress.expected_to_date, progress.actual_to_date)
            ),
            goal.get("statement", ""),
        ]
        for goal, progress in rows
    ]
    print(render_table(headers, body, right={4, 5, 6}))


def run_create(args: argparse.Namespace, ctx: Context) -> int:
    from qsales_tui.services.goals import save_goal

    draft = _read_goal_file(args.file, ctx.currency)
    try:
        saved = save_goal(ctx, draft)
    except GoalError as exc:
        raise CommandError(
            _("{file}: the goal was not saved:", file=args.file)
            + "\n"
            + "\n".join(_refusal_lines(exc))
        ) from None
    print(_("Saved {id}: {statement}", id=saved["id"], statement=saved["statement"]))
    return 0


def _refusal_lines(error: GoalError) -> list[str]:
    """The problems; each unacknowledged flag with what it says and the key that answers it."""
    answered_below = {flag_problem(flag) for flag in error.flags}
    lines = [f"  - {problem}" for problem in error.problems if problem not in answered_below]
    for flag in error.flags:
        lines.append(f"  - {flag.label}: {flag.message}")
        lines.append(
            "    " + _("add `acknowledge: {{{key}: <reason>}}` to the file", key=flag.name)
        )
    return lines


def _read_goal_file(path: Path, currency: str) -> GoalDraft:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(
            _("cannot read {file}: {problem}", file=path, problem=exc.strerror or exc)
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CommandError(
            _(
                "{where}: not valid YAML: {problem}",
                where=where,
                problem=getattr(exc, "problem", None) or exc,
            )
        ) from None
    if not isinstance(data, dict):
        raise CommandError(_("{file}: expected a mapping of goal fields", file=path))
    try:
        return GoalFile.model_validate(data).to_draft(currency)
    except ValidationError as exc:
        lines = [
            f"  - {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
            for e in exc.errors()
        ]
        raise CommandError(
            _("{file}: wrong goal fields:", file=path) + "\n" + "\n".join(lines)
        ) from None
    except GoalError as exc:
        raise CommandError(
            _("{file}: wrong goal fields:", file=path)
            + "\n"
            + "\n".join(f"  - {problem}" for problem in exc.problems)
        ) from None
