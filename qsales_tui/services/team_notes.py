"""Team notes (short messages to the whole team) and each rep's training log.

Every write is checked here first, so a form can name the field at fault
(:class:`FieldProblem`), then goes through ``store.insert`` (validated again, locked,
audited). The author is the user acting (``identity.require_writer``).

Decisions: a note is 1–500 characters; anyone who may write posts one. Reps log
their own trainings, managers anyone's. A training's date may not be after today
(the log records training that happened; it feeds the scorecard's training hours);
hours are more than 0 and at most 200.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from qsales_tui.errors import QsalesError, WriteRefused
from qsales_tui.i18n import _
from qsales_tui.services.followups import moment
from qsales_tui.services.identity import author_of, is_manager, require_writer

MAX_NOTE_CHARS = 500
MAX_TRAINING_HOURS = Decimal(200)
MAX_COURSE_CHARS = 120


class FieldProblem(QsalesError):
    """A value a form must correct; ``field`` names the input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NoteView:
    id: str
    at: str  # ISO timestamp
    author: str  # os_user, as stored
    author_name: str
    text: str


def _names_by_user(store: Any) -> dict[str, str]:
    return {str(rep.get("os_user")): rep["name"] for rep in store.all("reps") if rep.get("os_user")}


def list_notes(store: Any, limit: int | None = None) -> list[NoteView]:
    """Notes newest first (by timestamp, then id), with the author's name where known."""
    from datetime import datetime

    names = _names_by_user(store)
    notes = sorted(
        store.all("notes"),
        key=lambda note: (datetime.fromisoformat(note["at"]), note["id"]),
        reverse=True,
    )
    return [
        NoteView(
            note["id"],
            note["at"],
            note["author"],
            names.get(note["author"], note["author"]),
            note["text"],
        )
        for note in notes[:limit]
    ]


def post_note(store: Any, os_user: str, text: str, today: date) -> dict:
    """Post ``text`` as the user ``os_user``; the note is stamped now (on ``today``)."""
    author = require_writer(store, os_user)
    text = text.strip()
    if not text:
        raise FieldProblem("text", _("a note cannot be empty"))
    if len(text) > MAX_NOTE_CHARS:
        raise FieldProblem(
            "text",
            _(
                "a note is at most {n} characters (this one has {count})",
                n=MAX_NOTE_CHARS,
                count=len(text),
            ),
        )
    return store.insert(
        "notes",
        {
            "at": moment(today, store.settings.get("timezone")).isoformat(timespec="seconds"),
            "author": author_of(author),
            "text": text,
        },
    )


def list_trainings(store: Any, rep_id: str | None = None) -> list[dict]:
    """Training records newest first, all or one rep's."""
    records = store.find("trainings", rep_id=rep_id) if rep_id else store.all("trainings")
    return sorted(records, key=lambda t: (t["date"], t["id"]), reverse=True)


def record_training(
    store: Any,
    os_user: str,
    today: date,
    *,
    rep_id: str,
    day: str,
    course: str,
    hours: str,
    skill: str = "",
) -> dict:
    """Log a training for ``rep_id``; values as typed in a form (text)."""
    actor = require_writer(store, os_user)
    rep = store.get("reps", rep_id.strip()) if rep_id.strip() else None
    if rep is None:
        raise FieldProblem("rep_id", _("no rep {rep}", rep=rep_id or "—"))
    if not is_manager(actor) and rep["id"] != actor["id"]:
        raise WriteRefused(_("a rep logs only their own trainings; managers log anyone's"))
    try:
        when = date.fromisoformat(day.strip())
    except ValueError:
        raise FieldProblem("date", _("'{value}' is not a date (YYYY-MM-DD)", value=day)) from None
    if when > today:
        raise FieldProblem("date", _("the training date {day} is after today", day=when))
    course = course.strip()
    if not course:
        raise FieldProblem("course", _("name the course"))
    if len(course) > MAX_COURSE_CHARS:
        raise FieldProblem(
            "course", _("a course name is at most {n} characters", n=MAX_COURSE_CHARS)
        )
    try:
        amount = Decimal(hours.strip())
    except InvalidOperation:
        raise FieldProblem("hours", _("'{value}' is not a number of hours", value=hours)) from None
    if not amount.is_finite() or not 0 < amount <= MAX_TRAINING_HOURS:
        raise FieldProblem(
            "hours", _("hours must be more than 0 and at most {n}", n=MAX_TRAINING_HOURS)
        )
    return store.insert(
        "trainings",
        {
            "rep_id": rep["id"],
            "date": when.isoformat(),
            "course": course,
            "hours": float(amount),
            "skill": skill.strip(),
        },
    )
