"""What the acting user may take out of qsales: one rule for every export.

PRODUCT.md: "A rep sees and edits their own customers and follow-ups; managers see
all." For the rows a file can carry this means:

- **Managers and directors** see every row of every table.
- **A rep** sees
  - ``customers`` they own (``owner_id``), and the ``contacts`` and ``needs`` of those
    customers;
  - ``sales``, ``deals``, ``interactions`` and ``followups`` about one of their
    customers (``customer_id``) *or* with them as the rep (``rep_id``): their own work
    on a customer since handed to a colleague stays theirs, and a colleague's work on
    a customer now theirs is that customer's history;
  - their own ``trainings`` (``rep_id``) and ``drafts`` (``user`` is their OS user);
  - ``reps``: every rep, but only ``id``, ``name``, ``team_id`` and ``role`` (no
    colleague's ``os_user``, e-mail or hire dates);
  - the company's plan, shown to everyone in the app: ``teams``, ``goals``,
    ``market``, ``competitors``, ``risks``, ``strategies``, ``notes``, ``reviews``;
  - not ``audit`` or ``settings`` (managers only: the audit log holds every record's
    before and after).
- The rows behind a KPI (``rows_behind``) follow the same rule by their columns: a row
  is the rep's when its ``customer_id`` is one of their customers or its ``rep_id``
  is them.
- **A user mapped to no active rep** may browse everything in the app, but exports no
  rows at all: a shared server's anonymous account must not be able to copy out the
  whole customer base. They are told to set ``QSALES_USER`` (or their rep's
  ``os_user``). Company KPI tables are not rows of this kind: the caller lets anyone
  export them, as the app shows them to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.identity import current_rep, is_manager

if TYPE_CHECKING:
    import pandas as pd

MANAGERS_ONLY = frozenset({"audit", "settings"})
COMPANY_TABLES = frozenset(
    {"teams", "goals", "market", "competitors", "risks", "strategies", "notes", "reviews"}
)
PUBLIC_REP_COLUMNS = ("id", "name", "team_id", "role")
ROWS = "rows"  # the rows behind a KPI: sales lines, customers, interactions or deals

# The column naming a row's customer, its rep, or its user, per table a rep sees part of.
_CUSTOMER_COLUMN = {
    "customers": "id",
    "contacts": "customer_id",
    "needs": "customer_id",
    "sales": "customer_id",
    "deals": "customer_id",
    "interactions": "customer_id",
    "followups": "customer_id",
    ROWS: "customer_id",
}
_REP_COLUMN = {
    "sales": "rep_id",
    "deals": "rep_id",
    "interactions": "rep_id",
    "followups": "rep_id",
    "trainings": "rep_id",
    ROWS: "rep_id",
}
_USER_COLUMN = {"drafts": "user"}


class NotVisible(QsalesError):
    """The acting user may not see (so may not export) these rows."""


@dataclass(frozen=True)
class Viewer:
    """Who is acting: their OS user, their rep (None when unmapped) and, for a rep, the
    ids of the customers they own."""

    os_user: str
    rep: dict[str, Any] | None
    customer_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, store: Any, os_user: str) -> Viewer:
        rep = current_rep(store, os_user)
        if rep is None or is_manager(rep):
            return cls(os_user, rep)
        owned = frozenset(
            str(c["id"]) for c in store.all("customers") if c.get("owner_id") == rep["id"]
        )
        return cls(os_user, rep, owned)

    @property
    def sees_all(self) -> bool:
        return is_manager(self.rep)

    def require_rows(self, table: str) -> None:
        """Raise :class:`NotVisible` unless the user may export rows of ``table`` (a data
        table, ``settings`` or ``ROWS``), before anything is loaded."""
        if self.rep is None:
            raise NotVisible(
                _(
                    "the user {user} is not mapped to an active rep, so qsales exports no rows "
                    "for them; set os_user: {user} on their rep, or set QSALES_USER to a rep's "
                    "os_user",
                    user=self.os_user,
                )
            )
        if table in MANAGERS_ONLY and not self.sees_all:
            raise NotVisible(_("only managers may export {table}", table=table))

    def visible(self, table: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows (and, for ``reps``, the columns) of ``frame`` the user may see.

        ``frame`` holds rows of ``table``; ``ROWS`` means rows behind a KPI. A table
        the rule does not know is refused rather than passed through."""
        self.require_rows(table)
        if self.sees_all or table in COMPANY_TABLES:
            return frame
        if table == "reps":
            return frame[[c for c in PUBLIC_REP_COLUMNS if c in frame.columns]]
        rep = self.rep
        assert rep is not None  # require_rows refused the unmapped
        wanted = [
            (_CUSTOMER_COLUMN.get(table), self.customer_ids),
            (_REP_COLUMN.get(table), {rep["id"]}),
            (_USER_COLUMN.get(table), {self.os_user}),
        ]
        present = [(column, ids) for column, ids in wanted if column and column in frame]
        if not present:
            if table in _CUSTOMER_COLUMN or table in _REP_COLUMN or table in _USER_COLUMN:
                return frame.iloc[0:0]  # an empty table: nothing to cut
            raise NotVisible(_("only managers may export {table}", table=table))
        keep = frame[present[0][0]].astype(str).isin(present[0][1])
        for column, ids in present[1:]:
            keep |= frame[column].astype(str).isin(ids)
        return frame.loc[keep.to_numpy()].reset_index(drop=True)
