"""The statistics behind scripts/compare.py: pool each side's runs, test each cell, give verdicts.

A side is one or more concbench runs (rounds: separate processes) of the same plan; a pooled run
directory from scripts/ab or scripts/refresh-baseline holds one row group per round. Per cell key
present on both sides and ok on both:

- **unit**: the test's values are the cell's throughput repetitions, pooled over every run of a
  side (`repetition`, the default), or one value per run: the median of each process's
  repetitions (`run`). Repetitions inside one process share that process's luck (thread
  placement, memory layout, a compiler that started next to it), so the pooled test is only as
  good as the runs are alike: on a quiet machine, with several interleaved runs per side, it met
  the CI target (docs/ci.md); on a machine loaded by other people's builds its false alarms were
  far above alpha. The per-run test keeps its level under any load (interleaved runs are
  exchangeable by design) but needs many more runs for the same power: docs/ci.md measured both;
- **change**: median(new) / median(base) − 1 of those values (throughput: negative is slower);
- **interval**: the Hodges–Lehmann interval of the shift in log throughput, turned back into a
  ratio. It is the interval that inverts the Mann-Whitney test (the shifts the test would not
  reject at the 95% level, from the order statistics of all pairwise log ratios), so interval and
  test agree; with 5 vs 5 values it exists (exact 95%: the 3rd to 23rd of 25 differences), with
  3 vs 3 it does not (no pair of order statistics reaches 95% coverage);
- **p**: two-sided Mann-Whitney U test (scipy; exact without ties for small samples);
- **Holm's correction** over every tested cell of the comparison. A CI gate fails the whole run
  when any cell is flagged, so the error to bound is the chance of *any* false flag in a run (the
  family-wise error rate): Holm bounds it at alpha whatever the dependence between cells, and is
  uniformly more powerful than Bonferroni. Benjamini–Hochberg bounds the expected share of false
  flags among flags instead, which says nothing about "this run failed for nothing";
- **verdict**: `regression` when the corrected p < alpha and the change is at least
  `threshold_pct` % slower; `improvement` symmetrically; `same` otherwise. The minimum effect
  keeps a real but tiny shift from failing CI; the test keeps a large but noisy difference from
  doing so. A cell that *cannot* be tested is never `same`: with fewer than two values on a side,
  or so few that even the smallest p-value its sample sizes allow (2 / C(m+n, m)) times the number
  of tested cells stays at or above alpha (Holm could never flag it), it is `inconclusive`, and
  `suspect` when it is at least `threshold_pct` % slower (a possible regression nobody tested:
  compare.py exits 3 for it). Two ordinary `--quick` runs (3 vs 3 repetitions) or a results.csv
  without its repetitions.csv (1 vs 1) are such comparisons. Cells on one side only are `missing` (in base, not in new) or `new`; a cell not ok in
  new is `failed`; a cell not ok in base and ok in new is `new`; the same result status on both
  sides (`unsupported`, `deadlock`) is `same`.

The default settings (DEFAULT_*) are the ones docs/ci.md measured on a 2-vCPU VM.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .load import Run
from .schema import KEY, parse_kv

VERDICTS: tuple[str, ...] = (
    "regression", "suspect", "improvement", "failed", "missing", "new", "inconclusive", "same",
)

# Calibrated in docs/ci.md (A/A false alarms and injected slowdowns, measured on this project's VM).
DEFAULT_THRESHOLD_PCT = 5.0
DEFAULT_ALPHA = 0.05
CONFIDENCE = 0.95

MIN_VALUES = 5  # the CI settings give every side at least this many repetitions per cell
MIN_PROCESSES = 2  # ...spread over at least this many processes (rounds)

# Statuses that are results, not failures (docs/runner.md: the run exits 0 with them).
RESULT_STATUSES = frozenset({"unsupported", "deadlock"})

EXACT_LIMIT = 2500  # m·n up to which the interval uses the exact null distribution of U


# ---------------------------------------------------------------------------------------------
# Pooling one side's runs.


@dataclass
class Pooled:
    """One side of a comparison: one row per cell key (see `pool`) and the side's build facts."""

    cells: pd.DataFrame
    build_types: list[str] = field(default_factory=list)
    compilers: list[str] = field(default_factory=list)
    machine_ids: list[str] = field(default_factory=list)
    git_shas: list[str] = field(default_factory=list)
    runs: int = 0


def _distinct(frame: pd.DataFrame, column: str) -> list[str]:
    values = frame[column].fillna("").astype(str).str.strip()
    return sorted(set(values[values != ""]))


def _injected(metrics: pd.Series) -> str:
    values = sorted({parse_kv(text).get("injected_slowdown_pct", "") for text in metrics.fillna("")} - {""})
    return ",".join(values)


def pool(runs: Sequence[Run]) -> Pooled:
    """Pool loaded runs into one side: per cell key, every run's repetitions together.

    Within one run (run_id of one input) the newest row of a cell wins, as in the loader (a resumed
    run appends its re-measured cells). Each run that is ok contributes its repetitions, or its
    median `items_per_s` when it has no repetitions.csv. A cell is ok when every run of it is;
    otherwise it takes the first other status seen, with its reason.
    """
    results = pd.concat([run.results.assign(input=i) for i, run in enumerate(runs)], ignore_index=True)
    results["timestamp"] = results["timestamp"].fillna("").astype(str)
    ordered = results.sort_values(["input", "timestamp", "source_line"], kind="stable")
    latest = ordered.drop_duplicates(subset=["input", "run_id", *KEY], keep="last")
    reps = pd.concat(
        [run.repetitions.assign(input=i) for i, run in enumerate(runs) if not run.repetitions.empty],
        ignore_index=True,
    ) if any(not run.repetitions.empty for run in runs) else pd.DataFrame()
    values = _values_per_row(latest, reps)
    cells = []
    for key, group in latest.groupby(list(KEY), sort=False):
        ok = group["status"] == "ok"
        bad = group[~ok]
        first_bad = bad.iloc[0] if not bad.empty else None
        samples = np.concatenate([values[i] for i in group.index[ok]]) if ok.any() else np.array([])
        run_medians = np.array([np.median(values[i]) for i in group.index[ok] if len(values[i])])
        cells.append({
            **dict(zip(KEY, key)),
            "status": "ok" if first_bad is None else first_bad["status"],
            "reason": "" if first_bad is None else str(first_bad.get("reason", "") or ""),
            "runs": len(group),
            "bad_runs": len(bad),
            "values": samples,
            "run_values": run_medians,
            "median": float(np.median(samples)) if len(samples) else math.nan,
            "injected": _injected(group["metrics"]),
        })
    frame = pd.DataFrame(cells, columns=[*KEY, "status", "reason", "runs", "bad_runs", "values", "run_values", "median",
                                         "injected"])
    return Pooled(
        cells=frame,
        build_types=_distinct(results, "build_type"),
        compilers=_distinct(results, "compiler"),
        machine_ids=_distinct(results, "machine_id"),
        git_shas=_distinct(results, "git_sha"),
        runs=int(latest[["input", "run_id"]].drop_duplicates().shape[0]),
    )


def _values_per_row(latest: pd.DataFrame, reps: pd.DataFrame) -> dict[int, np.ndarray]:
    """Throughput values of each kept results row: its repetitions, else its own median."""
    by_row: dict[int, np.ndarray] = {}
    grouped = {}
    if not reps.empty:
        reps = reps.drop_duplicates(subset=["input", "run_id", *KEY, "repetition"], keep="last")
        grouped = {key: g["items_per_s"].to_numpy(dtype=float) for key, g in reps.groupby(["input", "run_id", *KEY])}
    for index, row in latest.iterrows():
        found = grouped.get((row["input"], row["run_id"], *(row[k] for k in KEY)))
        if found is None or not len(found):
            found = np.array([row["items_per_s"]], dtype=float)
        by_row[index] = found[np.isfinite(found) & (found > 0)]
    return by_row


# ---------------------------------------------------------------------------------------------
# The test, the interval and the correction.


def min_two_sided_p(m: int, n: int) -> float:
    """The smallest two-sided Mann-Whitney p-value m vs n values can give (no ties): 2 / C(m+n, m)."""
    if m < 1 or n < 1:
        return 1.0
    return min(1.0, 2.0 / math.comb(m + n, m))


def mann_whitney_p(base: np.ndarray, new: np.ndarray) -> float:
    """Two-sided Mann-Whitney U p-value; NaN with fewer than two values on a side."""
    if len(base) < 2 or len(new) < 2:
        return math.nan
    if np.ptp(np.concatenate([base, new])) == 0:
        return 1.0  # every value equal: nothing to test (scipy would warn)
    return float(stats.mannwhitneyu(new, base, alternative="two-sided", method="auto").pvalue)


@lru_cache(maxsize=256)
def _u_cdf(m: int, n: int) -> np.ndarray:
    """P(U ≤ u) for u = 0..m·n under the null hypothesis, exact (no ties), by the usual recursion."""
    # counts[j][u] = arrangements of i values against j values with U = u; grow i one at a time.
    counts = [np.ones(1) for _ in range(n + 1)]  # i = 0: U is 0 whatever j
    for i in range(1, m + 1):
        row = [np.ones(1)]  # j = 0: U is 0
        for j in range(1, n + 1):
            size = i * j + 1
            current = np.zeros(size)
            current[: len(row[j - 1])] += row[j - 1]  # the largest value is one of the j: U unchanged
            shifted = counts[j]  # the largest value is one of the i: it beats all j values
            current[j: j + len(shifted)] += shifted
            row.append(current)
        counts = row
    distribution = counts[n] / math.comb(m + n, m)
    return np.cumsum(distribution)


def _order_statistic_index(m: int, n: int, confidence: float) -> int:
    """k such that [d_(k), d_(mn−k+1)] of the m·n pairwise differences covers `confidence`; 0 if none does."""
    tail = (1.0 - confidence) / 2.0
    if m * n <= EXACT_LIMIT:
        cdf = _u_cdf(m, n)
        return int(np.searchsorted(cdf, tail + 1e-12, side="right"))  # count of u with P(U ≤ u) ≤ tail
    z = stats.norm.ppf(1.0 - tail)
    return max(0, int(math.floor(m * n / 2.0 - z * math.sqrt(m * n * (m + n + 1) / 12.0))))


def hodges_lehmann(
    base: np.ndarray, new: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float, float] | None:
    """Hodges–Lehmann ratio new/base and its interval, from all pairwise log ratios.

    Returns (estimate, low, high) as ratios; None with fewer than two values on a side. low/high
    are NaN when the samples are too small for any interval at `confidence` (3 vs 3 at 95%).
    """
    if len(base) < 2 or len(new) < 2:
        return None
    differences = np.sort((np.log(new)[None, :] - np.log(base)[:, None]).ravel())
    estimate = float(np.exp(np.median(differences)))
    k = _order_statistic_index(len(base), len(new), confidence)
    if k < 1:
        return estimate, math.nan, math.nan
    return estimate, float(np.exp(differences[k - 1])), float(np.exp(differences[len(differences) - k]))


def holm(pvalues: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN stays NaN and does not count as a test)."""
    p = np.asarray(pvalues, dtype=float)
    adjusted = np.full(len(p), math.nan)
    tested = np.flatnonzero(np.isfinite(p))
    m = len(tested)
    running = 0.0
    for rank, index in enumerate(tested[np.argsort(p[tested], kind="stable")]):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted


def can_reach_significance(n_base: int, n_new: int, tested: int, alpha: float) -> bool:
    """Whether Holm over `tested` cells could ever flag a cell with these sample sizes.

    The best a cell can do is the smallest two-sided p its sizes allow, ranked first (every other
    cell not significant): Holm then asks tested · p < alpha. Fewer than 2 values on a side: never.
    """
    if n_base < 2 or n_new < 2:
        return False
    return max(tested, 1) * min_two_sided_p(n_base, n_new) < alpha


def untestable_verdict(change: float, threshold_pct: float) -> str:
    """`suspect` for a cell that could not be tested and is at least the threshold slower, else `inconclusive`."""
    if math.isfinite(change) and change <= -threshold_pct / 100.0:
        return "suspect"
    return "inconclusive"


def verdict_of(change: float, p_holm: float, threshold_pct: float, alpha: float) -> str:
    """regression / improvement / same for a tested cell (change as a fraction: −0.09 is 9% slower)."""
    if not (math.isfinite(p_holm) and p_holm < alpha):
        return "same"
    if change <= -threshold_pct / 100.0:
        return "regression"
    if change >= threshold_pct / 100.0:
        return "improvement"
    return "same"


# ---------------------------------------------------------------------------------------------
# Comparing two sides.


EXIT_REGRESSION = 1
EXIT_SUSPECT = 3  # no regression, but a cell at least the threshold slower could not be tested


class Verdicts:
    """Counting the `verdict` column of `cells`, and the exit status it makes (compare.py, history judge)."""

    cells: pd.DataFrame

    def count(self, verdict: str) -> int:
        return int((self.cells["verdict"] == verdict).sum())

    @property
    def regressed(self) -> bool:
        return self.count("regression") > 0

    @property
    def suspected(self) -> bool:
        return self.count("suspect") > 0

    def exit_status(self, allow_inconclusive: bool = False) -> int:
        """1 on a regression, else 3 on a suspect cell (unless allowed), else 0."""
        if self.regressed:
            return EXIT_REGRESSION
        if self.suspected and not allow_inconclusive:
            return EXIT_SUSPECT
        return 0


@dataclass
class Comparison(Verdicts):
    cells: pd.DataFrame  # one row per cell key, COLUMNS
    warnings: list[str]
    threshold_pct: float
    alpha: float
    tested: int  # cells in Holm's family
    unit: str  # "run" or "repetition": what one value of the test is


COLUMNS: tuple[str, ...] = (
    *KEY, "verdict", "base_items_per_s", "new_items_per_s", "change", "ci_low", "ci_high", "p_value",
    "p_holm", "n_base", "n_new", "runs_base", "runs_new", "reps_base", "reps_new", "base_status", "new_status", "note",
)

UNITS = ("repetition", "run")
DEFAULT_UNIT = "repetition"


def build_difference(base: Pooled, new: Pooled) -> str:
    """Why the two sides are different builds ('' when they are the same build type and compiler)."""
    problems = []
    for name, a, b in (("build_type", base.build_types, new.build_types), ("compiler", base.compilers, new.compilers)):
        if len(a) > 1:
            problems.append(f"base mixes {name}s {' / '.join(a)}")
        if len(b) > 1:
            problems.append(f"new mixes {name}s {' / '.join(b)}")
        if len(a) <= 1 and len(b) <= 1 and a != b:
            problems.append(f"{name} {a[0] if a else '(empty)'} in base, {b[0] if b else '(empty)'} in new")
    return "; ".join(problems)


def _status_note(side: str, cell: pd.Series) -> str:
    runs = f" in {cell['bad_runs']} of {cell['runs']} runs" if cell["runs"] > 1 else ""
    reason = f": {cell['reason']}" if cell["reason"] else ""
    return f"{side} {cell['status']}{runs}{reason}"


def _sample(cell: pd.Series | None, unit: str) -> np.ndarray:
    if cell is None:
        return np.array([])
    return cell["run_values"] if unit == "run" else cell["values"]


def _untested(key: tuple, verdict: str, base: pd.Series | None, new: pd.Series | None, note: str,
              unit: str) -> dict:
    b, n = _sample(base, unit), _sample(new, unit)
    return {
        **dict(zip(KEY, key)), "verdict": verdict,
        "base_items_per_s": float(np.median(b)) if len(b) else math.nan,
        "new_items_per_s": float(np.median(n)) if len(n) else math.nan,
        "change": math.nan, "ci_low": math.nan, "ci_high": math.nan, "p_value": math.nan, "p_holm": math.nan,
        "n_base": len(b), "n_new": len(n),
        "runs_base": base["runs"] if base is not None else 0, "runs_new": new["runs"] if new is not None else 0,
        "reps_base": len(base["values"]) if base is not None else 0,
        "reps_new": len(new["values"]) if new is not None else 0,
        "base_status": base["status"] if base is not None else "", "new_status": new["status"] if new is not None else "",
        "note": note,
    }


def _compare_cell(key: tuple, base: pd.Series | None, new: pd.Series | None, unit: str) -> dict:
    """Everything about one cell except the Holm-corrected p and the final verdict of a tested cell."""
    if new is None:
        return _untested(key, "missing", base, None, "in base only", unit)
    if base is None:
        return _untested(key, "new", None, new, "in new only", unit)
    base_ok, new_ok = base["status"] == "ok", new["status"] == "ok"
    if not base_ok and not new_ok:
        if base["status"] == new["status"] and base["status"] in RESULT_STATUSES:
            return _untested(key, "same", base, new, f"{base['status']} on both sides", unit)
        return _untested(key, "failed", base, new, f"{_status_note('new', new)}; {_status_note('base', base)}", unit)
    if not new_ok:
        return _untested(key, "failed", base, new, _status_note("new", new), unit)
    if not base_ok:
        return _untested(key, "new", base, new, f"measured now; {_status_note('base', base)}", unit)
    row = _untested(key, "same", base, new, "", unit)
    b, n = _sample(base, unit), _sample(new, unit)
    if len(b) and len(n):
        row["change"] = row["new_items_per_s"] / row["base_items_per_s"] - 1.0
    if len(b) < 2 or len(n) < 2:
        row["note"] = f"not testable: {len(b)} vs {len(n)} values"
        return row
    row["p_value"] = mann_whitney_p(b, n)
    shift = hodges_lehmann(b, n)
    if shift is not None:
        row["ci_low"], row["ci_high"] = shift[1] - 1.0, shift[2] - 1.0
    return row


def compare(base: Pooled, new: Pooled, threshold_pct: float = DEFAULT_THRESHOLD_PCT,
            alpha: float = DEFAULT_ALPHA, unit: str = DEFAULT_UNIT) -> Comparison:
    """Match cells by key, test every cell ok on both sides, correct with Holm, give verdicts."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    base_cells = {tuple(r[k] for k in KEY): r for _, r in base.cells.iterrows()}
    new_cells = {tuple(r[k] for k in KEY): r for _, r in new.cells.iterrows()}
    keys = list(base_cells) + [key for key in new_cells if key not in base_cells]
    rows = [_compare_cell(key, base_cells.get(key), new_cells.get(key), unit) for key in keys]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["p_holm"] = holm(frame["p_value"].to_numpy(dtype=float))
    tested = frame["p_value"].notna()
    m = int(tested.sum())
    both_ok = (frame["base_status"] == "ok") & (frame["new_status"] == "ok")
    for index in frame.index[both_ok]:
        change, p_holm = frame.at[index, "change"], frame.at[index, "p_holm"]
        n_base, n_new = int(frame.at[index, "n_base"]), int(frame.at[index, "n_new"])
        if not can_reach_significance(n_base, n_new, m, alpha):
            frame.at[index, "verdict"] = untestable_verdict(change, threshold_pct)
            if tested[index]:
                frame.at[index, "note"] = (f"cannot reach significance: {n_base} vs {n_new} values give p ≥ "
                                           f"{min_two_sided_p(n_base, n_new):.2g}, Holm over {m} cell(s) needs "
                                           f"< {alpha / max(m, 1):.2g}")
            continue
        frame.at[index, "verdict"] = verdict_of(change, p_holm, threshold_pct, alpha)
        if frame.at[index, "verdict"] == "same" and abs(change) >= threshold_pct / 100.0:
            frame.at[index, "note"] = f"beyond ±{threshold_pct:g}% but not significant"
        elif frame.at[index, "verdict"] == "same" and math.isfinite(p_holm) and p_holm < alpha:
            frame.at[index, "note"] = f"significant but within ±{threshold_pct:g}%"
    order = {verdict: i for i, verdict in enumerate(VERDICTS)}
    frame = frame.sort_values("verdict", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    comparison = Comparison(frame, [], threshold_pct, alpha, int(tested.sum()), unit)
    comparison.warnings = warnings_for(comparison, base, new)
    return comparison


# ---------------------------------------------------------------------------------------------
# Warnings: what makes a verdict weaker than it looks.


def warnings_for(comparison: Comparison, base: Pooled, new: Pooled) -> list[str]:
    cells, alpha, m = comparison.cells, comparison.alpha, comparison.tested
    what = "runs (processes)" if comparison.unit == "run" else "repetitions"
    notes: list[str] = []
    tested = cells[cells["p_value"].notna()]
    for (nb, nn), group in tested.groupby(["n_base", "n_new"]):
        p_min = min_two_sided_p(int(nb), int(nn))
        if p_min * m >= alpha:
            notes.append(
                f"{len(group)} cell(s) have {nb} vs {nn} {what}: no two-sided Mann-Whitney p-value can go "
                f"below {p_min:.3g}, and with Holm over {m} cell(s) a cell needs p < {alpha / m:.3g}, so these "
                f"cells can never be flagged: they are `inconclusive` (`suspect` when at least "
                f"{comparison.threshold_pct:g}% slower); the CI settings use more rounds (docs/ci.md)"
            )
        elif min(nb, nn) < MIN_VALUES:
            notes.append(f"{len(group)} cell(s) have {nb} vs {nn} {what}, fewer than {MIN_VALUES} per side: "
                         "the test has little power")
    untestable = cells[cells["note"].str.startswith("not testable")]
    if not untestable.empty:
        notes.append(f"{len(untestable)} cell(s) could not be tested (fewer than 2 values on a side): they are "
                     f"`inconclusive` (`suspect` when at least {comparison.threshold_pct:g}% slower), never `same`")
    suspects = comparison.count("suspect")
    if suspects:
        notes.append(f"{suspects} cell(s) are `suspect`: at least {comparison.threshold_pct:g}% slower, but the "
                     "comparison cannot tell that from noise; compare.py exits 3 for them unless "
                     "--allow-inconclusive (measure more rounds: scripts/ab, docs/ci.md)")
    if comparison.unit == "repetition":
        for label, side in (("base", base), ("new", new)):
            ok = side.cells[side.cells["status"] == "ok"]
            if not ok.empty and (ok["runs"] < MIN_PROCESSES).all() and (ok["values"].map(len) > 1).any():
                notes.append(
                    f"{label}: every cell's repetitions come from one process; between-process noise is not "
                    "sampled, so p-values are optimistic (run several interleaved rounds: scripts/ab, docs/ci.md)"
                )
    for label, side in (("base", base), ("new", new)):
        injected = side.cells[side.cells["injected"] != ""]
        if not injected.empty:
            slowed = ", ".join(sorted({f"{r.workload}/{r.variant}={r.injected}%" for r in injected.itertuples()}))
            notes.append(f"{label} has cells slowed on purpose by --inject-slowdown (a testing aid): {slowed}")
    if base.machine_ids and new.machine_ids and base.machine_ids != new.machine_ids:
        notes.append(f"base and new ran on different machines ({', '.join(base.machine_ids)} vs "
                     f"{', '.join(new.machine_ids)}): differences mix hardware and code")
    difference = build_difference(base, new)
    if difference:
        notes.append(f"different builds compared (--allow-different-build): {difference}")
    return notes
