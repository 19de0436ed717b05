"""Judge a run (a pull request's) against the latest stable segment of each cell's history.

A single baseline run knows nothing of how much a cell's median moves from one run to the next;
the history does. For each cell of the run, on the run's machine:

- **segment**: the points after the last change point of the cell's series (E-Divisive means, as
  `changes` finds them), at most the last `window` commits: the cell's current level, with its
  commit-to-commit spread;
- **test**: the run's median (every repetition of every round, pooled: a point is made the same
  way) against the segment's commit medians, on log throughput: a two-sided Student's t
  prediction test, t = (x − mean) / (s · sqrt(1 + 1/n)) with n − 1 degrees of freedom — is the new
  value one more draw from the segment? (Bencher's t-test threshold is the same idea.) A segment
  of fewer than 3 commits has no spread to speak of: the cell is `inconclusive`, `suspect` when at
  least the threshold slower;
- **verdicts** as compare.py's: Holm over the judged cells, alpha, minimum effect (`regression`,
  `improvement`, `same`, `suspect`, `inconclusive`, `failed`, `new` for a cell with no history on
  this machine, `missing` for a cell of the machine's latest commit that the run lacks).
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from concbench_data import KEY, load_run
from concbench_data import compare_stats as cs
from concbench_data.compare_format import cell_label, p_text, pct, si, summary_line

from . import HistoryError
from .series import Series, Settings, latest_segment, load_series

DEFAULT_WINDOW = 30
MIN_SEGMENT = 3  # commits in the latest segment needed for a spread

COLUMNS = (*KEY, "verdict", "history_items_per_s", "new_items_per_s", "change", "p_value", "p_holm",
           "segment_commits", "segment_since", "n_new", "note")


@dataclass
class Judgement(cs.Verdicts):
    cells: pd.DataFrame
    machine: str
    commits: int
    threshold_pct: float
    alpha: float
    window: int
    tested: int
    warnings: list[str] = field(default_factory=list)


def prediction_p(new: float, segment: np.ndarray) -> float:
    """Two-sided p of `new` being one more draw from `segment` (Student's t prediction interval)."""
    n = len(segment)
    mean, spread = float(np.mean(segment)), float(np.std(segment, ddof=1))
    if spread == 0.0:
        return 1.0 if new == mean else 0.0
    t = (new - mean) / (spread * math.sqrt(1.0 + 1.0 / n))
    return float(2.0 * stats.t.sf(abs(t), n - 1))


def _row(key: tuple, verdict: str, note: str, **values: object) -> dict:
    row = {name: math.nan for name in COLUMNS}
    row.update(dict(zip(KEY, key)), verdict=verdict, note=note, segment_since="", segment_commits=0, n_new=0)
    row.update(values)
    return row


def judge(conn: sqlite3.Connection, paths: Sequence[Path | str], settings: Settings, alpha: float = cs.DEFAULT_ALPHA,
          window: int = DEFAULT_WINDOW) -> Judgement:
    runs = [load_run(path) for path in paths]
    pooled = cs.pool(runs)
    if len(pooled.machine_ids) != 1:
        where = "several machines: " + ", ".join(pooled.machine_ids) if pooled.machine_ids else "no machine_id"
        raise HistoryError(f"{paths[0]}: the run(s) to judge come from {where}; judge one machine's runs at a time")
    machine_id = pooled.machine_ids[0]
    own_runs = {str(r) for run in runs for r in run.results["run_id"]}
    history = [s for s in load_series(conn, exclude_runs=own_runs) if s.machine_id == machine_id and s.points]
    by_key = {s.key: s for s in history}
    rows = []
    for cell in pooled.cells.itertuples(index=False):
        key = tuple(int(getattr(cell, k)) if k in ("cores", "tasks") else str(getattr(cell, k)) for k in KEY)
        rows.append(_judge_cell(key, cell, by_key.get(key), settings, window))
    latest = max((p for s in history for p in s.points), key=lambda p: (p.commit_time, p.run_time), default=None)
    judged = {tuple(r[k] for k in KEY) for r in rows}
    for series in history:
        if latest is not None and series.key not in judged and series.points[-1].sha == latest.sha:
            rows.append(_row(series.key, "missing", f"in the history's latest commit {latest.sha[:12]}, not in this "
                             "run", history_items_per_s=series.points[-1].median))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["p_holm"] = cs.holm(frame["p_value"].to_numpy(dtype=float))
    for index in frame.index[frame["p_value"].notna()]:
        change, p_holm = frame.at[index, "change"], frame.at[index, "p_holm"]
        frame.at[index, "verdict"] = cs.verdict_of(change, p_holm, settings.threshold_pct, alpha)
        if frame.at[index, "verdict"] == "same" and abs(change) >= settings.threshold_pct / 100.0:
            frame.at[index, "note"] = f"beyond ±{settings.threshold_pct:g}% but within the history's spread"
    order = {v: i for i, v in enumerate(cs.VERDICTS)}
    frame = frame.sort_values("verdict", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    host = next((s.host for s in history if s.host), "")
    commits = len({p.sha for s in history for p in s.points})
    result = Judgement(frame, f"{host} ({machine_id})" if host else machine_id, commits, settings.threshold_pct,
                       alpha, window, int(frame["p_value"].notna().sum()))
    if not history:
        result.warnings.append(f"no history for machine {machine_id}: every cell is `new`; add this machine's runs "
                               "of the main branch first (concbench-history add)")
    untested = result.count("inconclusive") + result.count("suspect")
    if untested:
        result.warnings.append(f"{untested} cell(s) have fewer than {MIN_SEGMENT} commits in their latest segment: "
                               "inconclusive (suspect when at least the threshold slower)")
    return result


def _judge_cell(key: tuple, cell, series: Series | None, settings: Settings, window: int) -> dict:
    values = np.asarray(cell.values, dtype=float)
    if cell.status != "ok":
        reason = f": {cell.reason}" if cell.reason else ""
        return _row(key, "failed", f"new {cell.status}{reason}")
    if series is None:
        return _row(key, "new", "no history of this cell on this machine", new_items_per_s=float(np.median(values)),
                    n_new=len(values))
    start, points = latest_segment(series, settings)
    points = points[-window:]
    medians = np.array([p.median for p in points])
    new = float(np.median(values))
    level = float(np.median(medians))
    since = points[0].sha
    row = _row(key, "same", "", history_items_per_s=level, new_items_per_s=new, change=new / level - 1.0,
               segment_commits=len(points), segment_since=since, n_new=len(values))
    if len(points) < MIN_SEGMENT:
        row["verdict"] = cs.untestable_verdict(row["change"], settings.threshold_pct)
        row["note"] = (f"only {len(points)} commit(s) since the last change point at {since[:12]}"
                       if start > 0 else f"only {len(points)} commit(s) in the history")
        return row
    row["p_value"] = prediction_p(math.log(new), np.log(medians))
    return row


# ---------------------------------------------------------------------------------------------
# Output.


def to_markdown(result: Judgement, run: str, db: str) -> str:
    out = [f"### concbench history judgement: {summary_line(result)}", ""]
    out.append(f"**Run** `{run}` on machine {result.machine}  ")
    out.append(f"**History** `{db}`: {result.commits} commit(s) of this machine")
    out.append("")
    out.append(
        "Each cell against the latest stable segment of its history on this machine (the commits since its last "
        f"change point, E-Divisive means; at most {result.window}): the run's median against the segment's commit "
        "medians, a two-sided Student's t prediction test on log throughput (the commit-to-commit spread is the "
        f"noise), Holm-corrected over {result.tested} cell(s), alpha {result.alpha:g}, minimum effect "
        f"±{result.threshold_pct:g}%. Change = run / segment median − 1, negative is slower."
    )
    out.append("")
    if result.warnings:
        out += ["**Warnings**", ""] + [f"- {w}" for w in result.warnings] + [""]
    out.append("| verdict | cell | history items/s | run items/s | change | p (Holm) | segment | note |")
    out.append("|---|---|---:|---:|---:|---:|---|---|")
    for _, row in result.cells.iterrows():
        verdict = f"**{row['verdict']}**" if row["verdict"] in ("regression", "suspect", "failed") else row["verdict"]
        segment = f"{row['segment_commits']} since {row['segment_since'][:12]}" if row["segment_since"] else "–"
        out.append("| " + " | ".join([
            verdict, cell_label(row).replace("|", "\\|"), si(row["history_items_per_s"]), si(row["new_items_per_s"]),
            pct(row["change"]), p_text(row["p_holm"]), segment, str(row["note"]).replace("|", "\\|")]) + " |")
    return "\n".join(out) + "\n"


def to_json(result: Judgement, run: str, db: str, exit_status: int) -> str:
    def clean(value: object) -> object:
        if hasattr(value, "item"):
            value = value.item()
        return None if isinstance(value, float) and not math.isfinite(value) else value

    document = {
        "summary": {v: result.count(v) for v in cs.VERDICTS} | {"exit_status": exit_status},
        "settings": {"test": "Student's t prediction test on log throughput", "correction": "Holm",
                     "alpha": result.alpha, "threshold_pct": result.threshold_pct, "window": result.window,
                     "tested_cells": result.tested},
        "run": run, "history": db, "machine": result.machine, "commits": result.commits,
        "warnings": result.warnings,
        "cells": [{k: clean(v) for k, v in row.items()} for row in result.cells.to_dict(orient="records")],
    }
    return json.dumps(document, indent=2) + "\n"
