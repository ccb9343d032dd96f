"""The wall clock in the dataset's timezone (settings ``timezone``, an IANA name).

A team on a server in another zone stamps its records on its own local day; without a
(valid) setting the server's zone is used.
"""

from __future__ import annotations

from datetime import datetime, tzinfo


def zone(name: str | None) -> tzinfo | None:
    """The named zone, or None (the server's) when unset or unknown."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def now(timezone: str | None = None) -> datetime:
    """Now, aware, in ``timezone`` (else the server's zone)."""
    where = zone(timezone)
    return datetime.now(where).astimezone(where)
