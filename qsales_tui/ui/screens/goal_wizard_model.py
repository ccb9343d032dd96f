"""What the goal wizard's steps read and edit: the data read once, and the draft's model.

:class:`WizardModel` is a :class:`~qsales_tui.domain.goal_editing.GoalEditor` (what an
edit does to the draft) plus what the checks and the shown amounts need: the context,
the data read when the wizard opens and the history read for the metric and scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qsales_tui.context import Context
from qsales_tui.domain.goal_editing import GoalEditor
from qsales_tui.domain.goals import (
    Flag,
    GoalHistory,
    GoalPlan,
    GoalRules,
    achievability_flags,
    draft_statement,
    format_exact,
    format_target,
    parse_target,
    plan_goal,
    step_problems,
)


@dataclass(frozen=True)
class WizardData:
    """What does not change while the wizard is open (read once, in a worker)."""

    rules: GoalRules
    objectives: list[str]
    actions: list[str]  # improvement actions of the previous quarter's review
    names: dict[str, str]
    team_ids: list[str]
    rep_ids: list[str]  # active reps with role rep
    products: list[str]


def read_wizard_data(ctx: Context, quarter: str) -> WizardData:
    """Everything the wizard shows besides the history (pandas: run in a worker)."""
    from qsales_tui.services import goals
    from qsales_tui.storage.frames import load_frame

    products = load_frame(ctx.store, "sales", ["product"])["product"].dropna().unique()
    return WizardData(
        rules=goals.goal_rules(ctx),
        objectives=goals.objectives(ctx),
        actions=goals.improvement_actions(ctx, quarter),
        names=goals.names(ctx),
        team_ids=sorted(record["id"] for record in ctx.store.all("teams")),
        rep_ids=goals.scope_reps(ctx, "company"),
        products=sorted(str(p) for p in products),
    )


@dataclass
class WizardModel(GoalEditor):
    """The draft and what its checks need; panels read and edit it, the screen saves it."""

    ctx: Context = field(kw_only=True)
    data: WizardData = field(kw_only=True)
    history: GoalHistory | None = None

    @property
    def currency(self) -> str:
        return self.ctx.currency

    def problems(self, step: str) -> list[str]:
        if self.history is None:
            return []
        return step_problems(
            step, self.draft, self.history, self.ctx.calendar, self.data.rules, self.ctx.today
        )

    def flags(self) -> list[Flag]:
        if self.history is None:
            return []
        return achievability_flags(self.draft, self.history, self.ctx.calendar, self.data.rules)

    def plan(self) -> GoalPlan:
        if self.history is None:
            return GoalPlan({}, {}, {}, [], [])
        return plan_goal(self.draft, self.history, self.ctx.calendar, self.data.rules)

    def statement(self) -> str:
        return draft_statement(self.draft, self.data.names, self.currency)

    def shown(self, value: int | None) -> str:
        """An amount of the goal's metric for reading (compact)."""
        return format_target(self.draft.metric, value, self.currency)

    def cell(self, value: int | None) -> str:
        """An amount of the goal's metric as it is typed in a cell (exact)."""
        return "" if value is None else format_exact(self.draft.metric, value, self.currency)

    def parse(self, text: str) -> int:
        """An amount of the goal's metric as typed; ValueError (for the user)."""
        return parse_target(self.draft.metric, text, self.currency)

    def name(self, key: str) -> str:
        return self.data.names.get(key, key)
