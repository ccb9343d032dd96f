"""Errors a user can act on. The CLI prints them to stderr (exit 2); the app shows them."""


class QsalesError(Exception):
    """Base for failures with a message meant for the user (no traceback)."""


class CommandError(QsalesError):
    """A command-line request that cannot be carried out."""


class WriteRefused(QsalesError):
    """The current user may not make this change (no matching rep, or not their record)."""
