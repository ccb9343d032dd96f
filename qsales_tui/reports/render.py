"""One entry point for the three report formats."""

from __future__ import annotations

from typing import Any

import orjson

FORMATS = ("md", "json", "html")


def render(doc: dict[str, Any], fmt: str) -> bytes:
    """The report document (``document.build_report``) as ``md``, ``json`` or ``html``."""
    if fmt == "json":
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
    if fmt == "md":
        from qsales_tui.reports.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    if fmt == "html":
        from qsales_tui.reports.html import render_html

        return render_html(doc).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}")
