"""Themes from ``themes/*.yaml`` (or ``QSALES_THEMES``), validated, as Textual themes.

Every theme must define the domain colours (``on-track``, ``caution``, ``off-track``,
``overdue``) as variables, because the CSS uses them. A file that fails validation is
skipped and reported once; the built-in default stays available.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from textual.theme import Theme

from qsales_tui.context import PROJECT_DIR

DEFAULT_THEME = "qsales-dark"
DOMAIN_DEFAULTS = {
    "on-track": "#5CC98A",
    "caution": "#F2B84B",
    "off-track": "#E5676B",
    "overdue": "#FF7A7F",
}
DOMAIN_VARIABLES = tuple(DOMAIN_DEFAULTS)
_COLOUR = r"^#[0-9A-Fa-f]{6}$"


class ThemeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9-]+$")
    dark: bool = True
    primary: str = Field(pattern=_COLOUR)
    secondary: str | None = Field(default=None, pattern=_COLOUR)
    accent: str | None = Field(default=None, pattern=_COLOUR)
    foreground: str | None = Field(default=None, pattern=_COLOUR)
    background: str | None = Field(default=None, pattern=_COLOUR)
    surface: str | None = Field(default=None, pattern=_COLOUR)
    panel: str | None = Field(default=None, pattern=_COLOUR)
    success: str | None = Field(default=None, pattern=_COLOUR)
    warning: str | None = Field(default=None, pattern=_COLOUR)
    error: str | None = Field(default=None, pattern=_COLOUR)
    variables: dict[str, str]


def themes_dir() -> Path:
    return Path(os.environ.get("QSALES_THEMES", PROJECT_DIR / "themes"))


def load_themes(directory: Path | None = None) -> tuple[list[Theme], list[str]]:
    """All valid themes in the directory, and one problem line per file that is not."""
    themes: list[Theme] = []
    problems: list[str] = []
    for path in sorted((directory or themes_dir()).glob("*.yaml")):
        try:
            data = ThemeFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            missing = [name for name in DOMAIN_VARIABLES if name not in data.variables]
            if missing:
                raise ValueError(f"variables missing: {', '.join(missing)}")
        except (yaml.YAMLError, ValidationError, ValueError, OSError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            problems.append(f"{path.name}: {first}")
            continue
        themes.append(Theme(**data.model_dump()))
    return themes, problems
