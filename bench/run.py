"""Benchmark qsales on the demo company at several scales, against the issues' budgets.

    .venv/bin/python bench/run.py              # scales 1, 10, 50
    .venv/bin/python bench/run.py --scales 1 10

Data sets are generated once into bench/out/x<scale> and reused. Each measure runs in
a fresh subprocess so cold start and peak memory are honest. Prints a table and writes
bench/out/results.json. Timings are reported, never asserted: CI does not run this.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PYTHON = sys.executable
TODAY = "2026-11-27"

# measure name → (budget in seconds per scale or None, description)
BUDGETS = {
    "first_screen": ({10: 0.8, 50: 1.5}, "cold start to the first screen, headless"),
    "small_write": ({10: 0.025, 50: 0.025}, "one follow-up insert (lock + save + audit)"),
    "sales_to_pandas": ({50: 3.0}, "load the sales history into pandas (warm cache)"),
    "sales_to_pandas_cold": ({}, "same, first time (builds the columnar cache)"),
    "peak_rss_gb": ({50: 1.0}, "peak memory of the loading process (GB)"),
    "queue_build": ({10: 0.2}, "everyone's follow-up queue from a loaded snapshot"),
    "queue_load": ({}, "read the records and stats the queue is built from"),
    "kpi_recompute": ({10: 0.1, 50: 0.5}, "every company KPI and trend from the loaded history"),
    "kpi_recompute_warm": ({}, "same, engine cached (switching quarter)"),
    "kpi_inputs_load": ({}, "load the tables the KPIs read"),
    "kpi_review_open": ({10: 1.5}, "press 4 on the loaded queue → the review shows every figure"),
    "kpi_review_cold_start": ({}, "process start → every figure, the review as first screen"),
    "forecast_mape_company": (
        {},
        "seasonal forecast back-test error, last 2 quarters held out (%)",
    ),
}


def ensure_data(scale: int) -> Path:
    target = OUT / f"x{scale}"
    if not (target / "settings.json").exists():
        started = time.perf_counter()
        subprocess.run(
            [
                PYTHON,
                "-m",
                "qsales_tui",
                "demo-data",
                "--out",
                str(target),
                "--scale",
                str(scale),
                "--today",
                TODAY,
            ],
            check=True,
        )
        print(f"  generated x{scale} in {time.perf_counter() - started:.1f} s", flush=True)
    return target


def run_probe(probe: str, data: Path) -> dict:
    """Run one probe of bench/probes.py in a fresh interpreter; it prints JSON."""
    result = subprocess.run(
        [PYTHON, str(HERE / "probes.py"), probe, str(data), TODAY],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--probes", nargs="+", default=None, help="only these probes")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from probes import PROBES

    OUT.mkdir(exist_ok=True)
    results: dict[str, dict] = {}
    for scale in args.scales:
        print(f"scale x{scale}", flush=True)
        data = ensure_data(scale)
        row: dict = {}
        for probe in args.probes or list(PROBES):
            row.update(run_probe(probe, data))
            print(f"  {probe}: done", flush=True)
        results[f"x{scale}"] = row
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print()
    print(f"{'measure':28}" + "".join(f"{k:>12}" for k in results))
    measures = sorted({m for row in results.values() for m in row})
    for measure in measures:
        line = f"{measure:28}"
        for scale_name, row in results.items():
            value = row.get(measure)
            budget = BUDGETS.get(measure, ({}, ""))[0].get(int(scale_name[1:]))
            if budget is None or value is None:
                mark = ""
            else:
                mark = " ok" if value <= budget else " OVER"
            line += f"{'' if value is None else f'{value:.3f}':>9}{mark:>3}"
        print(line)
    print("\nbudgets:", {k: v[0] for k, v in BUDGETS.items() if v[0]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
