"""The wall clock in the dataset's timezone (settings ``timezone``, an IANA name).

A team on a server in another zone stamps its records on its own local day; without a
(valid) setting the server's zone is used. A recorded timestamp's day is read in the
same zone (:func:`local_date`), else as it was written.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo


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


def local_date(at: str | datetime, timezone: str | None = None) -> date:
    """The day of timestamp ``at`` (ISO 8601 text or a datetime) in ``timezone``.

    Without a (valid) ``timezone`` the day is the one ``at`` was written with
    (``2026-11-27T07:30:00+08:00`` is 27 November), as the user who logged it saw it;
    a naive ``at`` is taken as local time either way. ValueError: not ISO 8601.
    """
    moment = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    where = zone(timezone)
    if where is None or moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(where).date()
