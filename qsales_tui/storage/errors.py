"""Storage failures a user can act on; each message says what happened and what to do."""

from __future__ import annotations

from pathlib import Path

from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _


class StorageError(QsalesError):
    """The data directory cannot be used as asked (missing, busy, too new …)."""


class DamagedFileError(StorageError):
    """A data file that does not load; it is left untouched so nothing more is lost."""

    def __init__(self, path: Path, problem: str, backup: Path | None = None):
        self.path = path
        self.problem = problem
        self.backup = backup
        text = _("{path} is damaged: {problem}.", path=path, problem=problem)
        if backup is not None:
            text += " " + _(
                "The newest backup is {backup}; copy it over the damaged file.", backup=backup
            )
        else:
            text += " " + _("No backup of it was found; repair the file by hand.")
        super().__init__(text)


class PermissionProblem(StorageError):
    """Data files other users on the machine could change."""


class ConflictError(StorageError):
    """Someone else changed a record after it was read (``expected_version`` is stale)."""

    def __init__(
        self, table: str, record_id: str, expected: int, found: int, changed_by: str | None = None
    ):
        self.table, self.record_id, self.expected, self.found = table, record_id, expected, found
        self.changed_by = changed_by
        who = changed_by or _("another user")
        super().__init__(
            _(
                "{table} {record_id} was changed by {who} while you edited it "
                "(version {found}, you had {expected}); reload it and try again.",
                table=table,
                record_id=record_id,
                who=who,
                found=found,
                expected=expected,
            )
        )
