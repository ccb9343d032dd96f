"""What the app is looking at: the store, today, the chosen quarter and who is acting.

The screens read this object and call services with it; it holds no Textual state so
tests can build one without a UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from qsales_tui.context import Context
from qsales_tui.domain.calendar import FiscalCalendar, Quarter

MANAGER_ROLES = ("manager", "director")


@dataclass
class Session:
    ctx: Context
    quarter: Quarter = field(init=False)
    rep: dict | None = field(init=False)

    def __post_init__(self) -> None:
        self.quarter = self.calendar.quarter_of(self.today)
        self.rep = self._find_rep(self.ctx.os_user)

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
        return bool(self.rep) and self.rep.get("role") in MANAGER_ROLES

    @property
    def user_label(self) -> str:
        if self.rep is None:
            return f"{self.ctx.os_user} (read-only)"
        return f"{self.rep['name']} ({self.rep['role']})"

    def visible_rep_ids(self) -> set[str] | None:
        """Reps whose customers this user sees: None for managers (everyone)."""
        if self.is_manager:
            return None
        return {self.rep["id"]} if self.rep else set()

    def switch_user(self, rep_id: str) -> None:
        rep = self.store.get("reps", rep_id)
        if rep is None:
            raise KeyError(rep_id)
        self.ctx.os_user = rep.get("os_user") or rep_id
        self.rep = rep

    def shift_quarter(self, quarters: int) -> Quarter:
        self.quarter = self.quarter.shift(quarters)
        return self.quarter

    def _find_rep(self, os_user: str) -> dict | None:
        for rep in self.store.all("reps"):
            if rep.get("os_user") == os_user and rep.get("active", True):
                return rep
        return None
