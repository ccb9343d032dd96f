"""Start the app: pick the data (the user's, or a fresh demo copy) and the language."""

from __future__ import annotations

import signal
import sys

from qsales_tui.context import Context
from qsales_tui.i18n import set_language


def launch_app(ctx: Context, *, demo: bool = False) -> int:
    from qsales_tui.services.session import Session
    from qsales_tui.ui.app import QsalesApp, Relaunch

    if demo:
        _prepare_demo(ctx)
    # A dropped SSH connection sends SIGHUP: leave cleanly (every change is already saved).
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(0))
    mode = None
    try:
        while True:
            set_language(ctx.lang)
            app = QsalesApp(Session(ctx), demo=demo, start_mode=mode)
            result = app.run()
            if not isinstance(result, Relaunch):
                return app.return_code or 0
            ctx.lang, mode = result.lang, result.mode
    finally:
        if demo:
            import shutil

            shutil.rmtree(ctx.data_dir.parent, ignore_errors=True)


def _prepare_demo(ctx: Context) -> None:
    """Point the context at a fresh copy of the sample data, acting as a manager."""
    import tempfile
    from pathlib import Path

    from qsales_tui.demo import make_demo_copy

    target = Path(tempfile.mkdtemp(prefix="qsales-demo-")) / "data"
    make_demo_copy(target)
    ctx.data_dir = target
    if ctx.today_override is None:
        from qsales_tui.demo import DEMO_TODAY

        ctx.today_override = DEMO_TODAY
    reps = ctx.store.all("reps")
    if not any(rep.get("os_user") == ctx.os_user for rep in reps):
        managers = [rep for rep in reps if rep.get("role") == "manager"]
        if managers:
            ctx.os_user = managers[0].get("os_user") or ctx.os_user
