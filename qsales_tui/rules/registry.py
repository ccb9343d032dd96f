"""The rules in force, from a rules directory, keeping the last good version of each file.

    registry = RulesRegistry()
    result = registry.reload(ctx.rules_dir)
    # e.g. "incentives.yaml has errors; the last good rules stay in force"
    for notice in result.notices():
        ...
    registry.rules.scoring            # always a complete RuleSet

Decisions: a file missing from the directory uses the default shipped in
``sample_data/rules`` (so a team may override only ``incentives.yaml``). A bad file
keeps the version last loaded good by this registry; when there is none yet, the
shipped default is used. A file whose modification time and size have not changed
since the last reload is not read again, so reloading on a timer is cheap.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from qsales_tui.context import SAMPLE_RULES_DIR
from qsales_tui.domain.incentives import IncentiveRules
from qsales_tui.domain.scoring import ScoringRules
from qsales_tui.i18n import _
from qsales_tui.rules.alerts import AlertRules
from qsales_tui.rules.base import RuleModel
from qsales_tui.rules.cadences import CadenceRules
from qsales_tui.rules.source import RuleProblem, RulesInvalid, load_rule_file

RULE_FILES: dict[str, type[RuleModel]] = {
    "incentives.yaml": IncentiveRules,
    "scoring.yaml": ScoringRules,
    "alerts.yaml": AlertRules,
    "cadences.yaml": CadenceRules,
}


@dataclass(frozen=True)
class RuleSet:
    incentives: IncentiveRules
    scoring: ScoringRules
    alerts: AlertRules
    cadences: CadenceRules


@dataclass(frozen=True)
class ReloadResult:
    problems: tuple[RuleProblem, ...] = ()
    kept: tuple[str, ...] = ()  # bad files whose last good version stays in force
    defaulted: tuple[str, ...] = ()  # bad files replaced by the shipped default
    missing: tuple[str, ...] = ()  # files not in the directory: the shipped default

    @property
    def ok(self) -> bool:
        return not self.problems

    def notices(self) -> list[str]:
        """One sentence per file that is not in force as written, for the status line."""
        return (
            [
                _("{file} has errors; the last good rules stay in force", file=name)
                for name in self.kept
            ]
            + [
                _("{file} has errors; the default rules are used", file=name)
                for name in self.defaulted
            ]
            + [
                _("{file} not found; the default rules are used", file=name)
                for name in self.missing
            ]
        )


_Stamp = tuple[Path, int, int]


class RulesRegistry:
    def __init__(self, defaults_dir: Path = SAMPLE_RULES_DIR):
        self._defaults_dir = defaults_dir
        self._good: dict[str, RuleModel] = {}
        self._read: dict[str, tuple[_Stamp, RuleModel | None, list[RuleProblem]]] = {}
        self._lock = threading.Lock()

    @property
    def rules(self) -> RuleSet:
        """The rules in force; the shipped defaults before the first reload."""
        with self._lock:
            models = {name: self._good.get(name) or self._default(name) for name in RULE_FILES}
        return _rule_set(models)

    def reload(self, directory: Path) -> ReloadResult:
        """Read the directory's rule files; bad ones leave the last good version in force."""
        directory = Path(directory)
        with self._lock:
            if not directory.is_dir():
                problem = RuleProblem(
                    str(directory), None, "", _("the rules directory does not exist")
                )
                kept = tuple(name for name in RULE_FILES if name in self._good)
                defaulted = tuple(name for name in RULE_FILES if name not in self._good)
                return ReloadResult((problem,), kept, defaulted)
            problems: list[RuleProblem] = []
            kept, defaulted, missing = [], [], []
            for name in RULE_FILES:
                path = directory / name
                if not path.is_file():
                    missing.append(name)
                    self._good.pop(name, None)
                    continue
                model, found = self._read_file(name, path)
                if model is not None:
                    self._good[name] = model
                    continue
                problems += found
                (kept if name in self._good else defaulted).append(name)
        return ReloadResult(tuple(problems), tuple(kept), tuple(defaulted), tuple(missing))

    def _read_file(self, name: str, path: Path) -> tuple[RuleModel | None, list[RuleProblem]]:
        stat = path.stat()
        stamp = (path.resolve(), stat.st_mtime_ns, stat.st_size)
        cached = self._read.get(name)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        try:
            model: RuleModel | None = load_rule_file(path, RULE_FILES[name])
            problems: list[RuleProblem] = []
        except RulesInvalid as exc:
            model, problems = None, exc.problems
        self._read[name] = (stamp, model, problems)
        return model, problems

    def _default(self, name: str) -> RuleModel:
        return _shipped(self._defaults_dir, name)


@cache
def _shipped(directory: Path, name: str) -> RuleModel:
    """A default rule file; these ship with the package, so a problem here is a bug."""
    return load_rule_file(directory / name, RULE_FILES[name])


def _rule_set(models: dict[str, Any]) -> RuleSet:
    return RuleSet(
        incentives=models["incentives.yaml"],
        scoring=models["scoring.yaml"],
        alerts=models["alerts.yaml"],
        cadences=models["cadences.yaml"],
    )


def load_rules_dir(directory: Path) -> RuleSet:
    """The rules of a directory, strictly: raise ``RulesInvalid`` listing every problem."""
    registry = RulesRegistry()
    result = registry.reload(directory)
    if result.problems:
        raise RulesInvalid(list(result.problems))
    return registry.rules


_shared: dict[Path, RulesRegistry] = {}


def shared_registry(directory: Path) -> RulesRegistry:
    """The process-wide registry of a rules directory, just reloaded (cheap when unchanged)."""
    registry = _shared.setdefault(Path(directory).resolve(), RulesRegistry())
    registry.reload(directory)
    return registry


def load_cadences(directory: Path) -> dict[str, int]:
    """Segment → days between follow-ups. Never fails on a bad file: the last good
    (or shipped) cadences stay in force; ``check-rules`` or a registry reports why."""
    return shared_registry(directory).rules.cadences.as_dict()
