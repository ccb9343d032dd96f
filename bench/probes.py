"""Single measurements, each run in its own fresh process by bench/run.py.

    python bench/probes.py PROBE DATA_DIR TODAY   → prints one JSON object

Each probe is a function here; later features add theirs to PROBES.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

PROCESS_START = time.perf_counter()


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def first_screen(data: Path, today: str) -> dict:
    """Process start → the app ready with its first screen painted (headless).

    Textual calls ``auto_pilot`` once the app is ready, i.e. after the first screen
    is mounted and refreshed; the data it then loads in workers is not waited for.
    """
    from qsales_tui.context import Context
    from qsales_tui.services.session import Session
    from qsales_tui.ui.app import QsalesApp

    ctx = Context(data_dir=data, today_override=date.fromisoformat(today), os_user="bench")
    app = QsalesApp(Session(ctx))
    ready: list[float] = []

    async def auto_pilot(pilot) -> None:
        ready.append(time.perf_counter() - PROCESS_START)
        pilot.app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=auto_pilot)
    return {"first_screen": ready[0]}


def small_write(data: Path, today: str) -> dict:
    """Median of 20 follow-up inserts on a scratch copy (lock + atomic save + audit)."""
    from qsales_tui.storage.store import Store

    scratch = Path(tempfile.mkdtemp()) / "data"
    shutil.copytree(data, scratch, ignore=shutil.ignore_patterns(".cache", "backups"))
    store = Store(scratch, user="bench")
    customer = store.all("customers")[0]
    timings = []
    for i in range(20):
        started = time.perf_counter()
        store.insert(
            "followups",
            {
                "customer_id": customer["id"],
                "rep_id": customer["owner_id"],
                "due": today,
                "priority": "normal",
                "status": "open",
                "created_at": f"{today}T09:{i:02d}:00+08:00",
            },
        )
        timings.append(time.perf_counter() - started)
    shutil.rmtree(scratch.parent)
    return {"small_write": statistics.median(timings)}


def sales_to_pandas(data: Path, today: str) -> dict:
    """Load the sales history into pandas: first (cold cache) and second time (warm)."""
    from qsales_tui.storage.frames import load_frame
    from qsales_tui.storage.store import Store

    shutil.rmtree(data / ".cache", ignore_errors=True)
    store = Store(data, user="bench")
    started = time.perf_counter()
    frame = load_frame(store, "sales")
    cold = time.perf_counter() - started
    del frame
    started = time.perf_counter()
    frame = load_frame(Store(data, user="bench"), "sales")
    warm = time.perf_counter() - started
    return {
        "sales_to_pandas_cold": cold,
        "sales_to_pandas": warm,
        "sales_rows": len(frame),
        "peak_rss_gb": _peak_rss_gb(),
    }


def queue(data: Path, today: str) -> dict:
    """Everyone's follow-up queue: read the snapshot once, then the median of 5 builds
    from it (what each filter change and search keystroke costs)."""
    from qsales_tui.context import Context
    from qsales_tui.domain.followups import QueueFilter
    from qsales_tui.rules import load_cadences
    from qsales_tui.services.followups import QueueSnapshot

    ctx = Context(data_dir=data, today_override=date.fromisoformat(today), os_user="bench")
    cadences, currency = load_cadences(ctx.rules_dir), ctx.currency
    started = time.perf_counter()
    snapshot = QueueSnapshot.load(ctx.store, ctx.today, ctx.calendar)
    loaded = time.perf_counter() - started
    timings, items = [], []
    for _ in range(5):
        started = time.perf_counter()
        items = snapshot.queue(QueueFilter(), cadences=cadences, currency=currency)
        timings.append(time.perf_counter() - started)
    return {
        "queue_load": loaded,
        "queue_build": statistics.median(timings),
        "queue_items": len(items),
    }


def board(data: Path, today: str) -> dict:
    """The team board as a manager sees it: load the data once, then the median of 3
    board computations (every rep's figures, scorecard and payout statement)."""
    from qsales_tui.context import Context
    from qsales_tui.rules import RulesRegistry
    from qsales_tui.services.teamboard import TeamData, team_board

    ctx = Context(data_dir=data, today_override=date.fromisoformat(today), os_user="bench")
    registry = RulesRegistry()
    registry.reload(ctx.rules_dir)
    manager = next(
        rep for rep in ctx.store.all("reps") if rep.get("role") in ("manager", "director")
    )
    quarter = ctx.calendar.quarter_of(ctx.today)
    started = time.perf_counter()
    loaded = TeamData.load(ctx.store, ctx.today)
    load_time = time.perf_counter() - started
    timings, rows = [], 0
    for _ in range(3):
        started = time.perf_counter()
        rows = len(team_board(loaded, quarter, registry.rules, manager).reps)
        timings.append(time.perf_counter() - started)
    return {"board_load": load_time, "board_build": statistics.median(timings), "board_reps": rows}


def forecast(data: Path, today: str) -> dict:
    """Back-test of the seasonal forecast on the company's revenue: the last two complete
    quarters are held out and forecast from the quarters before them (MAPE, in %)."""
    from qsales_tui.analytics.forecast import backtest_mape, quarterly_series
    from qsales_tui.context import Context
    from qsales_tui.storage.frames import load_frame

    ctx = Context(data_dir=data, today_override=date.fromisoformat(today), os_user="bench")
    last = ctx.calendar.quarter_of(ctx.today).previous.name
    series = quarterly_series(load_frame(ctx.store, "sales"), ctx.calendar, last=last)
    return {"forecast_mape_company": backtest_mape(series, holdout=2)}


def kpis(data: Path, today: str) -> dict:
    """KPI inputs loaded from the data directory, then every company KPI of the current
    quarter with its trends: cold (the engine rebuilt from the loaded frames, median of
    3) and warm (the engine cached, as when switching quarter; median of 5)."""
    from qsales_tui.analytics.kpi_inputs import KpiInputs
    from qsales_tui.analytics.kpis import compute_all
    from qsales_tui.storage.store import Store

    day = date.fromisoformat(today)
    store = Store(data, user="bench")
    started = time.perf_counter()
    inputs = KpiInputs.from_store(store, day)
    loaded = time.perf_counter() - started
    quarter = inputs.calendar.quarter_of(day)
    compute_all(inputs, quarter)  # imports and code paths, not measured
    cold, warm = [], []
    for _ in range(3):
        del inputs.engine
        started = time.perf_counter()
        compute_all(inputs, quarter)
        cold.append(time.perf_counter() - started)
    for _ in range(5):
        started = time.perf_counter()
        compute_all(inputs, quarter)
        warm.append(time.perf_counter() - started)
    return {
        "kpi_inputs_load": loaded,
        "kpi_recompute": statistics.median(cold),
        "kpi_recompute_warm": statistics.median(warm),
    }


def kpi_review(data: Path, today: str) -> dict:
    """Opening the KPI review until every figure shows (headless), two ways:

    - ``kpi_review_open``: from pressing 4 on the follow-up queue, once the queue has
      loaded (how a user gets there), to the table holding every KPI;
    - ``kpi_review_cold_start``: process start → every figure, the review as first screen.
    """
    from qsales_tui.analytics.kpis import KPIS
    from qsales_tui.context import Context
    from qsales_tui.services.session import Session
    from qsales_tui.ui.app import QsalesApp
    from qsales_tui.ui.screens.kpi_review import KpiReviewScreen

    ctx = Context(data_dir=data, today_override=date.fromisoformat(today), os_user="bench")

    async def every_figure(pilot, started: float) -> float | None:
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            screen = pilot.app.screen
            if (
                isinstance(screen, KpiReviewScreen)
                and screen.result is not None
                and screen.query_one("#kpis").row_count == len(KPIS)
            ):
                return time.perf_counter() - started
            await pilot.pause(0.005)
        return None

    results: dict[str, float | None] = {}

    async def cold(pilot) -> None:
        results["kpi_review_cold_start"] = await every_figure(pilot, PROCESS_START)
        pilot.app.exit()

    QsalesApp(Session(ctx), start_mode="kpis").run(headless=True, size=(100, 30), auto_pilot=cold)

    async def from_queue(pilot) -> None:
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        pressed = time.perf_counter()
        await pilot.press("4")
        results["kpi_review_open"] = await every_figure(pilot, pressed)
        pilot.app.exit()

    QsalesApp(Session(ctx)).run(headless=True, size=(100, 30), auto_pilot=from_queue)
    return results


PROBES = {
    "first_screen": first_screen,
    "small_write": small_write,
    "sales_to_pandas": sales_to_pandas,
    "queue": queue,
    "board": board,
    "forecast": forecast,
    "kpis": kpis,
    "kpi_review": kpi_review,
}

if __name__ == "__main__":
    name, data_dir, today_arg = sys.argv[1:4]
    print(json.dumps(PROBES[name](Path(data_dir), today_arg)))
