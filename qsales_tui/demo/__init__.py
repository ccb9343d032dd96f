"""The demo company: a believable, reproducible China-based sales team with history.

    from qsales_tui.demo import generate, write_dataset, make_demo_copy
    dataset = generate(seed=7, today=date(2026, 11, 27), scale=1.0)  # in memory
    write_dataset("/tmp/demo", dataset)                              # through the Store
    make_demo_copy(path)                     # fresh copy of sample_data/data for --demo

``qsales demo-data --out DIR [--seed N] [--today DATE] [--scale K]`` wraps the first
two. Same arguments, same bytes. The sample copy's fixed today is ``DEMO_TODAY``
(also in ``settings["demo"]["today"]``).

Stored values: industry and region are English words (``Manufacturing``, ``East``;
``zh/demo.yaml`` translates them); priorities and channels are the app's codes; names,
notes and outcomes are free text (Chinese for domestic customers, English abroad).

Fields beyond DATA.md: settings ``timezone``, ``holidays``, ``extra_workdays``,
``objectives``, ``pace_thresholds``, ``demo``; reps ``email``, ``left_on``; customers
``city``, ``country``; deals ``product``; follow-ups ``subject``; goals
``split_method``, ``allocation_method``, ``created_by``, ``created_at``; market
``source``; strategies ``author``; tables ``contacts`` and ``needs``.
"""

from qsales_tui.demo.generator import DEFAULT_SEED, DEFAULT_TODAY, Dataset, generate
from qsales_tui.demo.output import make_demo_copy, sample_data_dir, write_dataset

DEMO_TODAY = DEFAULT_TODAY

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_TODAY",
    "DEMO_TODAY",
    "Dataset",
    "generate",
    "make_demo_copy",
    "sample_data_dir",
    "write_dataset",
]
