"""Business logic never imports Textual, and the CLI does not pay for pandas at start."""

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "qsales_tui"
HEADLESS = sorted(
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    for folder in ("domain", "storage", "services", "analytics", "rules", "reports", "demo")
    for path in (PACKAGE / folder).glob("*.py")
    if path.name != "__init__.py"
)


def _loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_does_not_import_textual(module):
    assert "textual" not in _loaded_after_import(module)


def test_cli_entry_point_does_not_import_pandas_or_textual():
    loaded = _loaded_after_import("qsales_tui.cli.main")
    assert "pandas" not in loaded
    assert "textual" not in loaded
