"""Who, where and when: the options every command and the app share.

Paths come from options first, then environment variables, then defaults:
``--db``/``QSALES_DB`` (data directory), ``--today``/``QSALES_TODAY``,
``--lang``/``QSALES_LANG``/``LANG``, ``QSALES_USER`` (else the OS user),
``QSALES_RULES`` (rule files; default: ``rules/`` in the data directory, else the
sample rules shipped in ``sample_data/``).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from qsales_tui.errors import QsalesError

if TYPE_CHECKING:
    from qsales_tui.domain.calendar import FiscalCalendar
    from qsales_tui.storage.store import Store

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SAMPLE_DATA_DIR = Path(os.environ.get("QSALES_SAMPLE_DATA", PROJECT_DIR / "sample_data"))
SAMPLE_RULES_DIR = SAMPLE_DATA_DIR / "rules"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("qsales", appauthor=False))


def detect_lang(explicit: str | None = None) -> str:
    """``en`` or ``zh``: the option, else QSALES_LANG, else LANG/LC_ALL starting with zh."""
    value = explicit or os.environ.get("QSALES_LANG") or ""
    if not value:
        value = os.environ.get("LC_ALL") or os.environ.get("LANG") or "en"
    return "zh" if value.lower().startswith("zh") else "en"


def current_os_user() -> str:
    return os.environ.get("QSALES_USER") or getpass.getuser()


@dataclass
class Context:
    """The shared state of one run: data directory, fixed or real today, language, user."""

    data_dir: Path
    today_override: date | None = None
    lang: str = "en"
    os_user: str = field(default_factory=current_os_user)
    rules_dir_override: Path | None = None

    @classmethod
    def from_options(
        cls,
        db: str | None = None,
        today: str | None = None,
        lang: str | None = None,
        rules: str | None = None,
    ) -> Context:
        db = db or os.environ.get("QSALES_DB")
        today = today or os.environ.get("QSALES_TODAY")
        rules = rules or os.environ.get("QSALES_RULES")
        try:
            fixed_today = date.fromisoformat(today) if today else None
        except ValueError:
            raise ValueError(
                f"--today / QSALES_TODAY: {today!r} is not a date (YYYY-MM-DD)"
            ) from None
        return cls(
            data_dir=Path(db).expanduser() if db else default_data_dir(),
            today_override=fixed_today,
            lang=detect_lang(lang),
            rules_dir_override=Path(rules) if rules else None,
        )

    @property
    def today(self) -> date:
        """The fixed today, else today's date where the team is: in the dataset's
        ``timezone`` setting (a Shanghai team on a UTC server turns the page at midnight
        Shanghai time), else the server's."""
        if self.today_override:
            return self.today_override
        from qsales_tui.domain import clock

        timezone = None
        if (self.data_dir / "settings.json").is_file():
            try:
                timezone = self.store.settings.get("timezone")
            except QsalesError:  # a damaged or unsafe directory is reported where it is used
                timezone = None
        return clock.now(timezone).date()

    @property
    def rules_dir(self) -> Path:
        if self.rules_dir_override:
            return self.rules_dir_override
        own = self.data_dir / "rules"
        return own if own.is_dir() else SAMPLE_RULES_DIR

    @cached_property
    def store(self) -> Store:
        from qsales_tui.storage.store import Store

        return Store(self.data_dir, user=self.os_user)

    @property
    def calendar(self) -> FiscalCalendar:
        from qsales_tui.domain.calendar import FiscalCalendar

        return FiscalCalendar.from_settings(self.store.settings)

    @property
    def currency(self) -> str:
        return str(self.store.settings.get("currency", "CNY"))
