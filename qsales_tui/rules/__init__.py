"""Rule files: YAML read with a safe loader into strict models, with file:line messages.

    from qsales_tui.rules.registry import RulesRegistry, load_rules_dir
    registry = RulesRegistry()
    result = registry.reload(ctx.rules_dir)   # ReloadResult: problems + "last good" notices
    registry.rules.incentives.plan_for("R-0003", "rep")

``base`` holds the shared model base and value types, ``source`` reads YAML and turns
validation errors into ``RuleProblem``s, ``alerts``/``cadences`` hold those files'
models; the incentive and scoring models live beside their engines in
``qsales_tui.domain``. The names listed in ``_PUBLIC`` are importable from here,
loaded on first use: the package imports nothing eagerly, so domain modules can use
``qsales_tui.rules.base`` without a cycle.
"""

from typing import Any

_PUBLIC = {
    "RulesRegistry": "registry",
    "RuleSet": "registry",
    "ReloadResult": "registry",
    "load_rules_dir": "registry",
    "load_cadences": "registry",
    "shared_registry": "registry",
    "RuleProblem": "source",
    "RulesInvalid": "source",
}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_PUBLIC[name]}"), name)
