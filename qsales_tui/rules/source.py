"""Read one rule file: safe YAML with line numbers, validated into a model.

Every problem becomes a ``RuleProblem`` naming the file, the line and the field::

    incentives.yaml:14: plans.standard.tiers[1].rate: unknown key 'rat' (did you mean 'rate'?)

YAML is parsed once with ``yaml.SafeLoader`` (no tag can construct a Python object);
the node tree it builds is walked to record the line of every key and value, and
pydantic's error locations are looked up in that map. A key names its own line; a
missing key names the line of the mapping that should hold it.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.rules.base import LocatedError, Path

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class RuleProblem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(part for part in (where, self.field, self.message) if part)


class RulesInvalid(QsalesError):
    """One or more rule files do not validate; ``problems`` lists every one."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_path(path: Path) -> str:
    """``("plans", "standard", "tiers", 1, "rate")`` → ``plans.standard.tiers[1].rate``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


SIMILAR = 0.7  # difflib ratio from which a key counts as a misspelling of another


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """`` (did you mean 'rate'?)`` when a choice is close to ``word``, else ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=SIMILAR)
    return _(" (did you mean '{name}'?)", name=close[0]) if close else ""


# Aliases let a few lines stand for an exponential number of values ("billion
# laughs"); no real rule file comes near this many.
MAX_VALUES = 20_000


class _TooLarge(Exception):
    pass


class _LineMap:
    """Line (1-based) of each key and value in a YAML document, by path."""

    def __init__(self, root: yaml.Node):
        self.keys: dict[Path, int] = {}
        self.values: dict[Path, int] = {}
        self.duplicates: list[tuple[Path, int, int]] = []  # path, line, first line
        self._walk(root, (), set())

    def _walk(self, node: yaml.Node, path: Path, ancestors: set[int]) -> None:
        if id(node) in ancestors:  # a recursive alias
            return
        if len(self.values) >= MAX_VALUES:
            raise _TooLarge
        self.values.setdefault(path, node.start_mark.line + 1)
        inner = ancestors | {id(node)}
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                child = (*path, str(key_node.value))
                line = key_node.start_mark.line + 1
                if child in self.keys:
                    self.duplicates.append((child, line, self.keys[child]))
                    continue
                self.keys[child] = line
                self._walk(value_node, child, inner)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, (*path, index), inner)

    def line(self, path: Path) -> int:
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return 1


def read_yaml(path: FilePath) -> tuple[Any, _LineMap]:
    """Parse safely; raise ``RulesInvalid`` for unreadable, malformed or empty files."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesInvalid(
            [RuleProblem(name, None, "", _("cannot read the file: {error}", error=exc))]
        ) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RulesInvalid([RuleProblem(name, 1, "", _("the file is empty"))])
        lines = _LineMap(node)
        data = loader.construct_document(node)
    except _TooLarge:
        raise RulesInvalid(
            [RuleProblem(name, None, "", _("too many values (more than {n})", n=MAX_VALUES))]
        ) from None
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RulesInvalid(
            [
                RuleProblem(
                    name, line, "", _("not allowed in a rule file: {detail}", detail=exc.problem)
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise RulesInvalid([RuleProblem(name, *_syntax_error(exc))]) from None
    except yaml.YAMLError as exc:
        raise RulesInvalid(
            [RuleProblem(name, None, "", _("YAML syntax error: {detail}", detail=exc))]
        ) from None
    finally:
        loader.dispose()
    if data is None:
        raise RulesInvalid([RuleProblem(name, 1, "", _("the file is empty"))])
    return data, lines


def _syntax_error(exc: yaml.MarkedYAMLError) -> tuple[int | None, str, str]:
    """(line, field, message): the line where the parser gave up, and where the
    construct it was reading began when that is elsewhere."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    detail = _("YAML syntax error: {detail}", detail=exc.problem or exc.context or "")
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        detail += _(
            " ({context} that starts on line {line})",
            context=exc.context,
            line=exc.context_mark.line + 1,
        )
    return line, "", detail


def load_rule_file(path: FilePath, model: type[M]) -> M:
    """Read and validate one rule file; raise ``RulesInvalid`` with every problem found."""
    data, lines = read_yaml(path)
    problems = [
        RuleProblem(
            path.name,
            line,
            format_path(dup),
            _("duplicate key (first given on line {first})", first=first),
        )
        for dup, line, first in lines.duplicates
    ]
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        for error in _without_echoes(exc.errors(), model):
            where, message = _explain(error, model)
            problems.append(RuleProblem(path.name, lines.line(where), format_path(where), message))
    if problems:
        raise RulesInvalid(sorted(problems, key=lambda p: (p.line or 0, p.field)))
    return result


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, dict):
        return _("a mapping (key: value)")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    return _("text")


def _without_echoes(errors: list[Any], model: type[BaseModel]) -> list[Any]:
    """Drop "required key is missing" for a key that a misspelt key beside it stands for:
    ``rat: 0.03`` is one mistake, reported once as "unknown key 'rat' (did you mean 'rate'?)"."""
    meant = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            parent, key = tuple(error["loc"][:-1]), str(error["loc"][-1])
            close = difflib.get_close_matches(key, _field_names(model, parent), n=1, cutoff=SIMILAR)
            meant.update((*parent, name) for name in close)
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in meant)]


def _explain(error: dict[str, Any], model: type[BaseModel]) -> tuple[Path, str]:
    """Turn one pydantic error into (path of the field, message for a sales manager)."""
    loc: Path = tuple(error["loc"])
    kind, value = error["type"], error.get("input")
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, LocatedError):
        return (*loc, *cause.where), cause.message
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        if kind.startswith("string_"):
            return loc, _("keys here must be text, got {value!r}", value=value)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        return loc, _("unknown key '{key}'", key=key) + did_you_mean(
            key, _field_names(model, loc[:-1])
        )
    if kind == "missing":
        return loc, _("required key is missing")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, _("expected a mapping (key: value), got {kind}", kind=_kind(value))
    if kind == "list_type":
        return loc, _("expected a list, got {kind}", kind=_kind(value))
    if kind.startswith("int_"):
        return loc, _("expected a whole number, got {value!r}", value=value)
    if kind == "finite_number":
        return loc, _("expected a finite number, got {value!r}", value=value)
    if kind.startswith(("float_", "decimal_")):
        return loc, _("expected a number, got {value!r}", value=value)
    if kind.startswith("bool_"):
        return loc, _("expected true or false, got {value!r}", value=value)
    if kind.startswith("string_"):
        return loc, _("expected text, got {value!r}", value=value)
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        hint = (
            did_you_mean(str(value), re.findall(r"'([^']*)'", expected))
            if isinstance(value, str)
            else ""
        )
        return loc, _(
            "must be one of {expected}, got {value!r}", expected=expected, value=value
        ) + hint
    bounds = {
        "greater_than_equal": "≥ {ge}",
        "greater_than": "> {gt}",
        "less_than_equal": "≤ {le}",
        "less_than": "< {lt}",
    }
    if kind in bounds:
        limit = bounds[kind].format(**error.get("ctx", {}))
        return loc, _("must be {limit}, got {value}", limit=limit, value=value)
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        return loc, _("must not be empty") if least == 1 else _(
            "needs at least {n} entries", n=least
        )
    if kind == "value_error" and cause is not None:
        return loc, str(cause)
    return loc, str(error["msg"])


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and ``X | None`` down to X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _annotation_at(model: type[BaseModel], path: Path) -> Any:
    """The type the model expects at ``path``, or None when the path leaves the model."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif origin in (list, tuple):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return _unwrap(current)


def _field_names(model: type[BaseModel], path: Path) -> list[str]:
    target = _annotation_at(model, path)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []
