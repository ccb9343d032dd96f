"""What the app is looking at: the store, today, the chosen quarter and who is acting.

The screens read this object and call services with it; it holds no Textual state so
tests can build one without a UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from qsales_tui.context import Context
from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.i18n import _
from qsales_tui.services.identity import current_rep, is_manager


@dataclass
class Session:
    ctx: Context
    quarter: Quarter = field(init=False)
    rep: dict | None = field(init=False)

    def __post_init__(self) -> None:
        from qsales_tui.rules import RulesRegistry

        self.quarter = self.calendar.quarter_of(self.today)
        self.rep = current_rep(self.store, self.ctx.os_user)
        self.rules_registry = RulesRegistry()
        self.rules_result = self.rules_registry.reload(self.ctx.rules_dir)

    @property
    def rules(self):
        """The rules in force (the last good version of each file)."""
        return self.rules_registry.rules

    def reload_rules(self) -> list[str]:
        """Re-read changed rule files; return the notices to show (empty when all is well)."""
        self.rules_result = self.rules_registry.reload(self.ctx.rules_dir)
        return self.rules_result.notices()

    @property
    def store(self):
        return self.ctx.store

    @property
    def today(self) -> date:
        return self.ctx.today

    @property
    def calendar(self) -> FiscalCalendar:
        return self.ctx.calendar

    @property
    def currency(self) -> str:
        return self.ctx.currency

    @property
    def company(self) -> str:
        return str(self.store.settings.get("company", ""))

    @property
    def is_manager(self) -> bool:
        return is_manager(self.rep)

    @property
    def user_label(self) -> str:
        """Who is acting, for the header: "王丽娜 · 经理", or the OS user and "read-only"."""
        if self.rep is None:
            return f"{self.ctx.os_user} · {_('read-only')}"
        return f"{self.rep['name']} · {_(self.rep['role'])}"

    def visible_rep_ids(self) -> set[str] | None:
        """Reps whose customers this user sees: None (everyone) for managers, and for a
        user mapped to no rep, who may browse everything but change nothing."""
        if self.rep is None or self.is_manager:
            return None
        return {self.rep["id"]}

    def switch_user(self, rep_id: str) -> None:
        rep = self.store.get("reps", rep_id)
        if rep is None:
            raise KeyError(rep_id)
        self.ctx.os_user = rep.get("os_user") or rep_id
        self.rep = rep

    def shift_quarter(self, quarters: int) -> Quarter:
        self.quarter = self.quarter.shift(quarters)
        return self.quarter
