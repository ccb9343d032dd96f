"""Who is using qsales: the OS user name (or ``QSALES_USER``) matched to a rep's ``os_user``.

Anyone may browse; every write needs a matching, active rep (:func:`require_writer`),
who then is the author of the write. Managers and directors act on every customer;
a rep acts on the customers they own and the follow-ups assigned to them.
"""

from __future__ import annotations

from typing import Any

from qsales_tui.errors import WriteRefused
from qsales_tui.i18n import _

MANAGER_ROLES = ("manager", "director")


def current_rep(store: Any, os_user: str) -> dict | None:
    """The active rep whose ``os_user`` is ``os_user``, or None."""
    for rep in store.all("reps"):
        if rep.get("os_user") == os_user and rep.get("active", True):
            return rep
    return None


def author_of(rep: dict) -> str:
    """What a record's ``author`` holds: the writer's OS user (as in the audit log's
    ``user``), or the rep id for a rep who has none."""
    return rep.get("os_user") or rep["id"]


def require_writer(store: Any, os_user: str) -> dict:
    """The rep who may write as ``os_user``; :class:`WriteRefused` saying how to map them."""
    rep = current_rep(store, os_user)
    if rep is None:
        raise WriteRefused(
            _(
                "the user {user} is not mapped to an active rep, so qsales is read-only for them; "
                "set os_user: {user} on their rep, or set QSALES_USER to a rep's os_user",
                user=os_user,
            )
        )
    return rep


def is_manager(rep: dict | None) -> bool:
    return bool(rep) and rep.get("role") in MANAGER_ROLES


def may_act_on(rep: dict, customer: dict, followup: dict | None = None) -> bool:
    """Managers act on anything; a rep on their own customers and follow-ups assigned to them."""
    return (
        is_manager(rep)
        or customer.get("owner_id") == rep["id"]
        or (followup is not None and followup.get("rep_id") == rep["id"])
    )


def require_may_act(rep: dict, customer: dict, followup: dict | None = None) -> None:
    if not may_act_on(rep, customer, followup):
        raise WriteRefused(
            _(
                "{rep} may only act on their own customers; {customer} belongs to {owner}",
                rep=rep["id"],
                customer=customer["id"],
                owner=customer.get("owner_id") or "—",
            )
        )


def require_manager(rep: dict, action: str) -> None:
    if not is_manager(rep):
        raise WriteRefused(_("only managers may {action}", action=action))


def team_rep_ids(store: Any, rep: dict) -> set[str]:
    """The rep's team: every rep sharing their ``team_id`` (a rep without a team: just them)."""
    team = rep.get("team_id")
    if not team:
        return {rep["id"]}
    return {r["id"] for r in store.all("reps") if r.get("team_id") == team}
