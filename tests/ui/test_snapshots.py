"""Snapshot tests: how each main screen, the help and a form look at 80×24.

They catch layout regressions that Pilot assertions on data miss: columns cut off,
panels pushed off screen, Chinese text out of line. The SVGs live in
``__snapshots__/test_snapshots/``; after an intended change to a screen, look at the
new picture and accept it with ``pytest tests/ui/test_snapshots.py --snapshot-update``.

Every picture is of the tiny company (tests/conftest.py) as the manager 王经理 on
2026-11-27; the goals, team board and KPI review use ``board_ctx`` (the same company
with a 2026-Q4 revenue goal), so they show figures rather than an empty state. Each
``run_before`` waits until the screen's workers are done, so the data is on screen and
no loading indicator is, and stops the text cursors blinking.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, LoadingIndicator, TextArea

from qsales_tui.i18n import set_language
from qsales_tui.services.session import Session
from qsales_tui.ui.app import QsalesApp

SIZE = (80, 24)


@pytest.fixture
def keys(settle):
    """``keys("1", "l")`` → a ``run_before`` that presses them, waiting after each until
    the screen's workers are done, then stops the text cursors blinking."""

    def run_before_for(*pressed: str):
        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            for key in pressed:
                await pilot.press(key)
                await settle(pilot)
            for widget in [*pilot.app.screen.query(Input), *pilot.app.screen.query(TextArea)]:
                widget.cursor_blink = False
            await settle(pilot)
            loading = [
                screen
                for screen in pilot.app.screen_stack
                if any(w.display for w in screen.query(LoadingIndicator))
            ]
            assert not loading, f"still loading: {loading}"  # a picture of data, not a spinner

        return run_before

    return run_before_for


def _app(ctx, lang: str = "en") -> QsalesApp:
    set_language(lang)  # before the app is built: bindings and columns are translated then
    return QsalesApp(Session(ctx), start_mode="followups")


@pytest.mark.parametrize(
    ("key", "ctx_name"),
    [
        ("1", "tiny_ctx"),
        ("2", "board_ctx"),
        ("3", "board_ctx"),
        ("4", "board_ctx"),
        ("5", "tiny_ctx"),
    ],
    ids=["followups", "goals", "team_board", "kpi_review", "customers"],
)
def test_main_screen(snap_compare, request, keys, key, ctx_name):
    """Each main screen with its data loaded, reached by its digit key."""
    ctx = request.getfixturevalue(ctx_name)
    assert snap_compare(_app(ctx), terminal_size=SIZE, run_before=keys(key))


@pytest.mark.parametrize(
    ("key", "ctx_name"),
    [("1", "tiny_ctx"), ("3", "board_ctx")],
    ids=["followups", "team_board"],
)
def test_main_screen_in_chinese(snap_compare, request, keys, key, ctx_name):
    """Translated headings, labels and footer, with Chinese names lined up in the table."""
    ctx = request.getfixturevalue(ctx_name)
    assert snap_compare(_app(ctx, "zh"), terminal_size=SIZE, run_before=keys(key))


def test_help_over_the_queue(snap_compare, keys, tiny_ctx):
    """The queue's own keys first, then the app's."""
    assert snap_compare(_app(tiny_ctx), terminal_size=SIZE, run_before=keys("1", "question_mark"))


def test_log_contact_form(snap_compare, keys, tiny_ctx):
    """The queue's first row is F-0001 with 恒达物流: ``l`` opens the form for it."""
    assert snap_compare(_app(tiny_ctx), terminal_size=SIZE, run_before=keys("1", "l"))
