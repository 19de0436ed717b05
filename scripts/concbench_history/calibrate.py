"""How often `changes` raises a false alarm, and how often it finds a known slowdown, on this history's noise.

Three measurements from the runs stored in a history (meant for a history of one unchanged binary,
an A/A history; docs/ci.md reports them):

- **synthetic A/A**: `histories` histories of `length` commits, each commit `rounds` stored runs of
  the machine drawn at random with replacement (every cell of a commit from the same runs, so load
  that hit all cells of a run hits them together), its point the median of their values: real
  run-to-run spread, no change. Rate: histories in which any cell shows a change;
- **synthetic slowdown**: the same histories with every value from commit `at` on divided by
  1 + slowdown/100 (what `--inject-slowdown` does): the share of cells whose change is found at
  exactly that commit, anywhere, and the histories with a change elsewhere;
- **real windows**: the stored series themselves, cut into consecutive windows of `length` commits:
  the share of windows with a change (a false alarm when the stored history is A/A).

Rates come with their 95% Wilson interval.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import stats

from .series import Point, Series, Settings, changes


def wilson(successes: int, trials: int) -> tuple[float, float]:
    if trials == 0:
        return float("nan"), float("nan")
    interval = stats.binomtest(successes, trials).proportion_ci(confidence_level=0.95, method="wilson")
    return float(interval.low), float(interval.high)


def _rate(successes: int, trials: int) -> dict:
    low, high = wilson(successes, trials)
    return {"count": successes, "of": trials, "rate": successes / trials if trials else float("nan"),
            "low": low, "high": high}


def _runs_by_machine(series: list[Series]) -> dict[str, dict[str, dict[tuple, np.ndarray]]]:
    """machine → run_id → cell key → that run's values (a run's values are in the point of its commit)."""
    machines: dict[str, dict[str, dict[tuple, np.ndarray]]] = {}
    for s in series:
        runs = machines.setdefault(s.machine_id, {})
        for point in s.points:
            if len(point.run_ids) == 1:
                runs.setdefault(point.run_ids[0], {})[s.key] = point.values
            else:  # several runs at one commit: their values are pooled in the point; keep the commit as one draw
                runs.setdefault("+".join(point.run_ids), {})[s.key] = point.values
    return machines


def _synthetic(template: Series, medians: list[tuple[str, np.ndarray]]) -> Series:
    points = [Point(sha, f"{i:06d}", "given", f"{i:06d}", [sha], values) for i, (sha, values) in enumerate(medians)]
    return Series(template.machine_id, template.host, template.key, points)


def calibrate(series: list[Series], settings: Settings, length: int = 12, histories: int = 200,
              slowdown_pct: float = 10.0, at: int | None = None, rounds: int = 1) -> dict:
    at = at if at is not None else max(settings.min_size, (2 * length) // 3) + 1  # 1-based commit of the change
    index = at - 1
    factor = 1.0 / (1.0 + slowdown_pct / 100.0)
    rng = np.random.default_rng(settings.seed)
    report = {"settings": {**vars(settings), "length": length, "histories": histories, "slowdown_pct": slowdown_pct,
                           "at": at, "rounds": rounds}, "machines": []}
    by_machine = _runs_by_machine(series)
    for machine_id, runs in sorted(by_machine.items()):
        cells = [s for s in series if s.machine_id == machine_id]
        run_ids = sorted(runs)
        aa_any = slow_exact = slow_anywhere = slow_other = series_aa = cell_trials = 0
        for h in range(histories):
            picks = [rng.choice(len(run_ids), size=rounds) for _ in range(length)]
            aa_flagged = slow_elsewhere = False
            for template in cells:
                values = []
                for i, pick in enumerate(picks):
                    pooled = [runs[run_ids[j]][template.key] for j in pick if template.key in runs[run_ids[j]]]
                    if not pooled:  # this cell is not in the drawn runs: draw among the runs that have it
                        having = [r for r in run_ids if template.key in runs[r]]
                        pooled = [runs[having[rng.integers(len(having))]][template.key]]
                    values.append((f"c{i + 1:03d}", np.concatenate(pooled)))
                each = replace(settings, seed=settings.seed + h)
                found = [c for c in changes(_synthetic(template, values), each) if c.reported]
                series_aa += bool(found)
                aa_flagged |= bool(found)
                slowed = [(sha, v * factor if i >= index else v) for i, (sha, v) in enumerate(values)]
                found = [c for c in changes(_synthetic(template, slowed), each) if c.reported]
                slow_exact += any(c.index == index and c.change < 0 for c in found)
                slow_anywhere += any(c.change < 0 for c in found)
                slow_elsewhere |= any(c.index != index for c in found)
                cell_trials += 1
            aa_any += aa_flagged
            slow_other += slow_elsewhere
        windows = flagged_windows = 0
        for s in cells:
            for start in range(0, len(s.points) - length + 1, length):
                window = Series(s.machine_id, s.host, s.key, s.points[start:start + length])
                windows += 1
                flagged_windows += any(c.reported for c in changes(window, settings))
        report["machines"].append({
            "machine_id": machine_id, "host": cells[0].host, "cells": len(cells), "runs": len(run_ids),
            "aa_histories_with_a_change": _rate(aa_any, histories),
            "aa_series_with_a_change": _rate(series_aa, cell_trials),
            "slowdown_found_at_the_commit": _rate(slow_exact, cell_trials),
            "slowdown_found_anywhere": _rate(slow_anywhere, cell_trials),
            "slowdown_histories_with_another_change": _rate(slow_other, histories),
            "real_windows_with_a_change": _rate(flagged_windows, windows),
        })
    return report


def _cell(rate: dict) -> str:
    if not rate["of"]:
        return "–"
    share, low, high = (100 * rate[k] for k in ("rate", "low", "high"))
    return f"{rate['count']}/{rate['of']} ({share:.1f}%, {low:.1f}–{high:.1f})"


def to_markdown(report: dict) -> str:
    s = report["settings"]
    out = [f"### concbench history calibration: {s['histories']} synthetic histories of {s['length']} commits "
           f"({s['rounds']} run(s) per commit), slowdown {s['slowdown_pct']:g}% from commit {s['at']}", "",
           f"Detection: significance {s['significance']:g}, {s['permutations']} permutations, segments of at least "
           f"{s['min_size']}, changes of at least ±{s['threshold_pct']:g}%. Each rate: count/trials (percent, 95% "
           "Wilson interval).", "",
           "| machine | cells | runs | A/A histories with a change | A/A series with a change | slowdown found at "
           "its commit | found anywhere | slowed histories with another change | real windows with a change |",
           "|---|---:|---:|---|---|---|---|---|---|"]
    for m in report["machines"]:
        out.append(f"| {m['host']} ({m['machine_id']}) | {m['cells']} | {m['runs']} | "
                   f"{_cell(m['aa_histories_with_a_change'])} | {_cell(m['aa_series_with_a_change'])} | "
                   f"{_cell(m['slowdown_found_at_the_commit'])} | {_cell(m['slowdown_found_anywhere'])} | "
                   f"{_cell(m['slowdown_histories_with_another_change'])} | {_cell(m['real_windows_with_a_change'])} |")
    return "\n".join(out) + "\n"
