"""Pilot helpers shared by the screen tests."""

from __future__ import annotations

import pytest

from qsales_tui.services.session import Session
from qsales_tui.ui.app import QsalesApp


async def _settle(pilot, rounds: int = 3) -> None:
    """Let mounts, workers and the messages they post all finish."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def settle():
    """``await settle(pilot)`` after a key that mounts a screen or starts a worker."""
    return _settle


@pytest.fixture
def make_app():
    """``make_app(ctx, start_mode="followups")`` → a QsalesApp on that context."""

    def build(ctx, **kwargs) -> QsalesApp:
        return QsalesApp(Session(ctx), **kwargs)

    return build
