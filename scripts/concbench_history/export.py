"""Exports of a run for the trackers people already use: one median per cell.

- github-action-benchmark, tool `customBiggerIsBetter`: a JSON array of
  `{"name", "unit", "value", "range"?, "extra"?}` (its BenchmarkResult: name, unit and extra are
  strings, value a number, range a string it reads as `± N`);
- Bencher Metric Format (BMF): `{"<benchmark name>": {"throughput": {"value", "lower_value",
  "upper_value"}}}` (`throughput` is the slug of Bencher's built-in Throughput measure; the bounds
  are optional numbers).

The name is the cell's label (`parallel/cpu thread cores=2 tasks=8 items=64;work=10000`), the value
the median of every repetition of every round given, the bounds its 95% percentile-bootstrap
interval (the interval plot.py draws). Neither format has a machine field: export one machine at a
time and keep each machine in its own series there (github-action-benchmark's `name` input,
Bencher's `--testbed`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from concbench_data import load_run
from concbench_data import compare_stats as cs
from concbench_data.compare_format import cell_label
from concbench_data.stats import median_ci

from . import HistoryError

FORMATS = ("github-action-benchmark", "bencher")
UNIT = "items/s"
BENCHER_MEASURE = "throughput"


def medians(paths: Sequence[Path | str]) -> tuple[list[dict], list[str]]:
    """Per ok cell: name, value, interval, facts; plus warnings for cells left out."""
    pooled = cs.pool([load_run(path) for path in paths])
    if len(pooled.machine_ids) > 1:
        raise HistoryError(f"{paths[0]}: the runs come from several machines ({', '.join(pooled.machine_ids)}); "
                           "export one machine at a time (a tracker series must not mix machines)")
    machine = pooled.machine_ids[0] if pooled.machine_ids else "unknown"
    entries, warnings = [], []
    for _, cell in pooled.cells.iterrows():
        values = np.asarray(cell["values"], dtype=float)
        if cell["status"] != "ok" or not len(values):
            warnings.append(f"{cell_label(cell)}: {cell['status']}, left out (no throughput to export)")
            continue
        interval = median_ci(values)
        entries.append({"name": cell_label(cell), "value": float(np.median(values)), "interval": interval,
                        "facts": f"machine {machine}; git {'/'.join(pooled.git_shas) or 'unknown'}; "
                                 f"{len(values)} repetition(s) from {cell['runs']} run(s)"})
    if not entries:
        raise HistoryError(f"{paths[0]}: no ok cell to export")
    return entries, warnings


def github_action_benchmark(entries: list[dict]) -> list[dict]:
    out = []
    for entry in entries:
        item = {"name": entry["name"], "unit": UNIT, "value": entry["value"]}
        extra = entry["facts"]
        if entry["interval"] is not None:
            low, high = entry["interval"]
            item["range"] = f"± {max(entry['value'] - low, high - entry['value']):.6g}"
            extra += f"; 95% interval of the median {low:.6g} to {high:.6g}"
        item["extra"] = extra
        out.append(item)
    return out


def bencher(entries: list[dict]) -> dict:
    out = {}
    for entry in entries:
        metric = {"value": entry["value"]}
        if entry["interval"] is not None:
            metric["lower_value"], metric["upper_value"] = entry["interval"]
        out[entry["name"]] = {BENCHER_MEASURE: metric}
    return out


def export(paths: Sequence[Path | str], fmt: str) -> tuple[str, list[str]]:
    entries, warnings = medians(paths)
    document = github_action_benchmark(entries) if fmt == "github-action-benchmark" else bencher(entries)
    return json.dumps(document, indent=2) + "\n", warnings
