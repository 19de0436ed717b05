"""How often `changes` raises a false alarm, and how often it finds a known slowdown, on this history's noise.

Three measurements from the runs stored in a history (meant for a history of one unchanged binary,
an A/A history; docs/ci.md reports them):

- **synthetic A/A**: `histories` histories of `length` commits, no change. With `spread` `runs`, each
  commit is `rounds` stored runs of the machine drawn at random with replacement (every cell of a
  commit from the same runs, so load that hit all cells of a run hits them together), its point the
  median of their values: the run-to-run spread of the machine the history was recorded on. With
  `within`, each commit is `rounds` × (repetitions per run) values drawn from the cell's repetitions
  divided by their own run's median, times the cell's median: only the spread inside one process,
  what a dedicated runner whose processes are all alike would see. Rate: histories in which any
  cell shows a change;
- **synthetic slowdown**: the same histories with every value from commit `at` on divided by
  1 + slowdown/100 (what `--inject-slowdown` does): the share of cells whose change is found at
  exactly that commit, anywhere, and the histories with a change elsewhere (the slowdown found at
  the wrong commit, or a change that is not there);
- **real windows**: the stored series themselves, cut into consecutive windows of `length` commits:
  the share of windows with a change (a false alarm when the stored history is A/A).

Rates come with their 95% Wilson interval.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import stats

from . import HistoryError
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


SPREADS = ("runs", "within")


def _within(runs: dict[str, dict[tuple, np.ndarray]], key: tuple) -> tuple[float, np.ndarray, int]:
    """A cell's overall median, its repetitions divided by their own run's median (the spread inside one
    process), and the usual repetitions per run."""
    measured = [r[key] for r in runs.values() if key in r and len(r[key]) >= 2]
    if not measured:
        raise HistoryError("--spread within needs runs with at least 2 repetitions per cell")
    residuals = np.concatenate([v / np.median(v) for v in measured])
    return float(np.median(np.concatenate(measured))), residuals, int(np.median([len(v) for v in measured]))


def _draw(runs: dict[str, dict[tuple, np.ndarray]], run_ids: list[str], key: tuple, picks: list[np.ndarray],
          within: tuple[float, np.ndarray, int] | None, rounds: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One synthetic history's values per commit for one cell."""
    if within is not None:
        level, residuals, reps = within
        return [level * rng.choice(residuals, size=rounds * reps) for _ in picks]
    values = []
    for pick in picks:
        pooled = [runs[run_ids[j]][key] for j in pick if key in runs[run_ids[j]]]
        if not pooled:  # this cell is not in the drawn runs: draw among the runs that have it
            having = [r for r in run_ids if key in runs[r]]
            pooled = [runs[having[rng.integers(len(having))]][key]]
        values.append(np.concatenate(pooled))
    return values


def calibrate(series: list[Series], settings: Settings, length: int = 12, histories: int = 200,
              slowdown_pct: float = 10.0, at: int | None = None, rounds: int = 1, spread_of: str = "runs") -> dict:
    at = at if at is not None else max(settings.min_size, (2 * length) // 3) + 1  # 1-based commit of the change
    index = at - 1
    factor = 1.0 / (1.0 + slowdown_pct / 100.0)
    rng = np.random.default_rng(settings.seed)
    report = {"settings": {**vars(settings), "length": length, "histories": histories, "slowdown_pct": slowdown_pct,
                           "at": at, "rounds": rounds, "spread": spread_of}, "machines": []}
    by_machine = _runs_by_machine(series)
    for machine_id, runs in sorted(by_machine.items()):
        cells = [s for s in series if s.machine_id == machine_id]
        run_ids = sorted(runs)
        aa_any = slow_other = 0
        per_cell = {s.label: {"aa": 0, "exact": 0, "anywhere": 0} for s in cells}
        within = {s.key: _within(runs, s.key) for s in cells} if spread_of == "within" else {}
        for h in range(histories):
            picks = [rng.choice(len(run_ids), size=rounds) for _ in range(length)]
            aa_flagged = slow_elsewhere = False
            for template in cells:
                drawn = _draw(runs, run_ids, template.key, picks, within.get(template.key), rounds, rng)
                values = [(f"c{i + 1:03d}", v) for i, v in enumerate(drawn)]
                each = replace(settings, seed=settings.seed + h)
                found = [c for c in changes(_synthetic(template, values), each) if c.reported]
                tally = per_cell[template.label]
                tally["aa"] += bool(found)
                aa_flagged |= bool(found)
                slowed = [(sha, v * factor if i >= index else v) for i, (sha, v) in enumerate(values)]
                found = [c for c in changes(_synthetic(template, slowed), each) if c.reported]
                tally["exact"] += any(c.index == index and c.change < 0 for c in found)
                tally["anywhere"] += any(c.change < 0 for c in found)
                slow_elsewhere |= any(c.index != index for c in found)
            aa_any += aa_flagged
            slow_other += slow_elsewhere
        cell_trials = histories * len(cells)
        series_aa, slow_exact, slow_anywhere = (sum(t[k] for t in per_cell.values()) for k in ("aa", "exact", "anywhere"))
        spread = {s.label: _spread_pct(np.log(s.medians())) if spread_of == "runs" else
                  _spread_pct(np.log(within[s.key][1])) for s in cells}
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
            "slowdown_histories_with_a_change_elsewhere": _rate(slow_other, histories),
            "real_windows_with_a_change": _rate(flagged_windows, windows),
            "cells_detail": {label: {"aa_with_a_change": _rate(t["aa"], histories),
                                     "slowdown_found_at_the_commit": _rate(t["exact"], histories),
                                     "slowdown_found_anywhere": _rate(t["anywhere"], histories),
                                     "spread_pct": spread[label]}
                             for label, t in per_cell.items()},
        })
    return report


def _spread_pct(logs: np.ndarray) -> float:
    """A robust standard deviation of log values (1.4826 · median absolute deviation), as a percentage."""
    return float(100 * 1.4826 * np.median(np.abs(logs - np.median(logs))))


def _cell(rate: dict) -> str:
    if not rate["of"]:
        return "–"
    share, low, high = (100 * rate[k] for k in ("rate", "low", "high"))
    return f"{rate['count']}/{rate['of']} ({share:.1f}%, {low:.1f}–{high:.1f})"


def to_markdown(report: dict) -> str:
    s = report["settings"]
    drawn = "whole stored runs" if s["spread"] == "runs" else "repetitions' spread inside a run"
    out = [f"### concbench history calibration: {s['histories']} synthetic histories of {s['length']} commits "
           f"({s['rounds']} run(s) per commit, drawn from {drawn}), slowdown {s['slowdown_pct']:g}% from commit "
           f"{s['at']}", "",
           f"Detection: significance {s['significance']:g}, {s['permutations']} permutations, segments of at least "
           f"{s['min_size']}, changes of at least ±{s['threshold_pct']:g}%. Each rate: count/trials (percent, 95% "
           "Wilson interval).", "",
           "| machine | cells | runs | A/A histories with a change | A/A series with a change | slowdown found at "
           "its commit | found anywhere | slowed histories with a change elsewhere | real windows with a change |",
           "|---|---:|---:|---|---|---|---|---|---|"]
    for m in report["machines"]:
        out.append(f"| {m['host']} ({m['machine_id']}) | {m['cells']} | {m['runs']} | "
                   f"{_cell(m['aa_histories_with_a_change'])} | {_cell(m['aa_series_with_a_change'])} | "
                   f"{_cell(m['slowdown_found_at_the_commit'])} | {_cell(m['slowdown_found_anywhere'])} | "
                   f"{_cell(m['slowdown_histories_with_a_change_elsewhere'])} | {_cell(m['real_windows_with_a_change'])} |")
    spread = "commit-to-commit spread" if s["spread"] == "runs" else "spread of a repetition"
    out += ["", f"| machine | cell | {spread} | A/A with a change | slowdown found at its commit | "
            "found anywhere |", "|---|---|---:|---|---|---|"]
    for m in report["machines"]:
        for label, c in m["cells_detail"].items():
            out.append(f"| {m['host'] or m['machine_id']} | {label} | {c['spread_pct']:.1f}% | "
                       f"{_cell(c['aa_with_a_change'])} | {_cell(c['slowdown_found_at_the_commit'])} | "
                       f"{_cell(c['slowdown_found_anywhere'])} |")
    return "\n".join(out) + "\n"
