"""What a line chart shows: the metrics drawn (column, axis, error bars, reference line, caption) and a line."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from concbench_data import derive

from .style import Style


@dataclass(frozen=True)
class Metric:
    name: str  # file name prefix
    title: str
    ylabel: str
    column: str
    low: str = ""  # error bar columns; empty: none
    high: str = ""
    ideal: str = ""  # "cores": y = cores; "one": y = 1
    scale: str = "auto"  # "auto": log when a case's values span more than LOG_SPAN
    ylim: tuple[float, float] | None = None
    dashed: str = ""  # a second column, drawn dashed in the same colour
    dashed_models: frozenset[str] | None = None  # models that get the dashed line (None: all)
    dashed_label: str = ""
    caption: str = ""
    engineering: bool = False  # tick labels with SI prefixes (k, M)
    valued: frozenset[str] = frozenset({"ok"})  # statuses whose rows are drawn as values (the others as an x)
    only_cases_with_values: bool = False  # panels only for the cases that report this metric at all


LOG_SPAN = 100.0
GIL_MODELS = frozenset({"gil", "gil-legacy"})
NOT_OK_NOTE = "x at the bottom: a cell that is not ok, with its status (see the table of rows not ok)."

THROUGHPUT = Metric(
    "throughput", "Throughput", "throughput (items/s)", "items_per_s", "items_per_s_lo", "items_per_s_hi",
    engineering=True,
    caption="Median items per second over the repetitions, one line per model; higher is better. Error bars: "
    "95% percentile-bootstrap interval of the median from repetitions.csv, or ±1 standard deviation "
    "(items_per_s_stddev) when there are no repetitions. A model that ran on one core only is a point with "
    "a dotted line across, for reference. " + NOT_OK_NOTE,
)
SPEEDUP = Metric(
    "speedup", "Speedup vs sequential at 1 core", "speedup (×)", "speedup", "speedup_lo", "speedup_hi",
    ideal="cores", scale="linear", dashed="self_speedup", dashed_models=GIL_MODELS,
    dashed_label="dashed: vs same model at 1 core",
    caption="Throughput divided by the same case's sequential run at 1 core (the speedup column); the grey "
    "dashed line is ideal scaling (speedup = cores). Error bars: 95% percentile-bootstrap interval of the "
    "ratio of medians (cell and base repetitions resampled independently). For gil models a dashed line in "
    "the model's colour also shows the speedup against the same model at 1 core. " + NOT_OK_NOTE,
)
EFFICIENCY = Metric(
    "efficiency", "Parallel efficiency", "efficiency (speedup / cores)", "efficiency", "efficiency_lo",
    "efficiency_hi", ideal="one", scale="linear",
    caption="Speedup divided by cores: 1 (grey line) means every added core adds a full sequential core's "
    "throughput. Above 1 happens when tasks block (I/O) instead of computing. Error bars: the speedup's "
    "interval divided by cores. " + NOT_OK_NOTE,
)
LATENCY = Metric(
    "latency", "Per-item latency", "latency (µs)", "latency_p50_us", dashed="latency_p99_us",
    dashed_label="solid: p50, dashed: p99",
    caption="Per-item latency percentiles in microseconds (enqueue to dequeue for prodcons): p50 solid, p99 "
    "dashed, same colour per model; lower is better. A p99 far above p50 means a few items waited very "
    "long (e.g. a GIL convoy). " + NOT_OK_NOTE,
)
FAIRNESS = Metric(
    "fairness", "Fairness (Jain's index)", "Jain's index (1 = fair)", "fairness", ideal="one", scale="linear",
    ylim=(0.0, 1.05),
    caption="Jain's fairness index over the tasks (for philosophers: meals eaten per philosopher); 1 means "
    "every task got the same share, 1/n that one task got everything. " + NOT_OK_NOTE,
)
DEADLOCK = Metric(
    "deadlock", "Deadlock share", "deadlock share (0..1)", "deadlock_share", scale="linear", ylim=(-0.05, 1.05),
    valued=frozenset({"ok", "deadlock"}), only_cases_with_values=True,
    caption="The share of a chance-dependent cell's trials that deadlocked (concbench --trials; 0 = never, 1 = "
    "every trial). A row whose status is deadlock (some trial deadlocked) is drawn at its share like an ok "
    "one; only the cases that ran trials get a panel. " + NOT_OK_NOTE,
)
LINE_METRICS = (THROUGHPUT, SPEEDUP, EFFICIENCY, LATENCY, FAIRNESS, DEADLOCK)


@dataclass(frozen=True)
class Line:
    """One series on a panel: the rows of one model (on one machine, for the overlay chart)."""

    label: str  # prefix of its not-ok notes
    rows: pd.DataFrame
    style: Style
    model: str
    linestyle: str = "-"


def metrics_of(rows: pd.DataFrame) -> list[Metric]:
    """The metrics a workload's charts show: throughput always, the others where some ok row has a value."""
    return [m for m in LINE_METRICS if m is THROUGHPUT or derive.values_present(rows, [m.column])]
