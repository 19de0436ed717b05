"""The comparisons the report's findings are made of, each a table of figures with their 95% intervals.

Every function takes the report's results (`derive.add_case_labels(derive.add_intervals(...))`: one row per cell
and machine, with `source`, `case`, `case_index` and the interval columns) and, where it compares two cells, the
repetitions' samples (`derive.repetition_samples`). Nothing here writes a sentence (concbench_charts.findings
does): these are the figures behind them, also written to the report's CSV tables.

A ratio of two cells is always the ratio of their median throughputs, with the percentile-bootstrap interval of
that ratio (concbench_data.stats): "clearly above 1" means the whole interval is above 1.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from . import derive
from .schema import KEY, model_order

FLOOR_MODEL = "bare"  # floors, not models: never "fastest", never compared as a model
GIL_MODELS = ("gil", "gil-legacy")
LOCK_BASE = "thread"  # what the global lock's cost is measured against
SECOND_CORE = 2
FALSE_SHARING = ("counter", "sharded", "sharded-packed")  # workload, one counter per line, eight to a line
SPAWN = "spawn"
CELL = ["source", "workload", "case", "case_index"]
Samples = dict


def _ok(results: pd.DataFrame) -> pd.DataFrame:
    return results[derive.is_ok(results) & results["items_per_s"].notna()]


def _has_interval(row: pd.Series) -> bool:
    """A throughput interval from repetitions (a ±stddev bar is no interval of the median)."""
    return row.get("items_per_s_interval", "") == "repetitions"


def _overlap(a: pd.Series, b: pd.Series) -> bool:
    return bool(a["items_per_s_lo"] <= b["items_per_s_hi"] and b["items_per_s_lo"] <= a["items_per_s_hi"])


def verdict(low: float, high: float) -> str:
    """Where a ratio's interval lies: "above" 1, "below" 1, "tied" (it holds 1) or "" (no interval)."""
    if pd.isna(low) or pd.isna(high):
        return ""
    return "above" if low > 1 else "below" if high < 1 else "tied"


def _ratio_record(row: pd.Series, base: pd.Series, samples: Samples) -> dict:
    value, low, high = derive.ratio(row, base, samples)
    return {"ratio": value, "ratio_lo": low, "ratio_hi": high, "verdict": verdict(low, high)}


def _contenders(case_rows: pd.DataFrame, cores: int) -> pd.DataFrame:
    """The ok model rows a reader with `cores` cores could choose from in one case: each model's row at those
    cores, and the 1-core row of a model that runs on one core only (sequential, coroutine, fiber)."""
    ok = _ok(case_rows[case_rows["model"] != FLOOR_MODEL])
    one_core_models = {m for m, rows in case_rows.groupby("model") if rows["cores"].max() == 1}
    mine = ok[(ok["cores"] == cores) | (ok["model"].isin(one_core_models) & (ok["cores"] == 1))]
    return mine.sort_values("items_per_s", ascending=False, kind="stable")


def fastest(results: pd.DataFrame, samples: Samples) -> pd.DataFrame:
    """Per machine, workload case and core count: the fastest model, its runner-up, and whether they are tied.

    Tied: the two throughput intervals (95%, from repetitions) overlap; `tied` lists every contender whose
    interval overlaps the winner's. `lead` is the winner's throughput over the runner-up's, with its interval.
    `one_core` marks a winner that ran on one core (a one-core model chosen on a machine with more).
    """
    records = []
    for key, case_rows in results.groupby(CELL, sort=False):
        for cores in derive.distinct_cores(case_rows):
            ranked = _contenders(case_rows, cores)
            if ranked.empty:
                continue
            first = ranked.iloc[0]
            record = dict(zip(CELL, key)) | {
                "cores": cores, "model": first["model"], "model_cores": int(first["cores"]),
                "items_per_s": first["items_per_s"], "items_per_s_lo": first["items_per_s_lo"],
                "items_per_s_hi": first["items_per_s_hi"], "interval": _has_interval(first),
                "speedup": first["speedup"], "speedup_lo": first["speedup_lo"], "speedup_hi": first["speedup_hi"],
                "efficiency": first["efficiency"], "contenders": len(ranked), "runner_up": "",
                "runner_up_items_per_s": math.nan, "lead": math.nan, "lead_lo": math.nan, "lead_hi": math.nan,
                "tied": (),
            }
            if len(ranked) > 1:
                second = ranked.iloc[1]
                lead = _ratio_record(first, second, samples)
                record |= {"runner_up": second["model"], "runner_up_items_per_s": second["items_per_s"],
                           "lead": lead["ratio"], "lead_lo": lead["ratio_lo"], "lead_hi": lead["ratio_hi"]}
                if record["interval"]:
                    record["tied"] = tuple(r["model"] for _, r in ranked.iloc[1:].iterrows()
                                           if _has_interval(r) and _overlap(first, r))
            records.append(record)
    return pd.DataFrame(records)


def second_core(results: pd.DataFrame) -> pd.DataFrame:
    """Per machine, case and model that ran at 1 and 2 cores: the 2-core throughput over the 1-core one."""
    rows = _ok(results[(results["cores"] == SECOND_CORE) & (results["model"] != FLOOR_MODEL)])
    rows = rows[rows["self_speedup"].notna()]
    table = rows[[*CELL, "variant", "tasks", "model", "self_speedup", "self_speedup_lo", "self_speedup_hi"]]
    table = table.rename(columns={"self_speedup": "ratio", "self_speedup_lo": "ratio_lo",
                                  "self_speedup_hi": "ratio_hi"}).reset_index(drop=True)
    table["verdict"] = [verdict(lo, hi) for lo, hi in zip(table["ratio_lo"], table["ratio_hi"])]
    return table


def _paired(results: pd.DataFrame, samples: Samples, pick: Callable[[pd.DataFrame], pd.DataFrame],
            base_of: Callable[[pd.Series], tuple], key_of: Callable[[pd.Series], tuple]) -> pd.DataFrame:
    """Every row `pick` selects, against the ok row whose `key_of` equals its `base_of`, as a ratio."""
    ok = _ok(results)
    bases = {key_of(row): row for _, row in ok.iterrows()}
    records = []
    for _, row in pick(ok).iterrows():
        base = bases.get(base_of(row))
        if base is None:
            continue
        records.append({**{name: row[name] for name in [*CELL, "variant", "tasks", "model", "cores"]},
                        "base_model": base["model"], "base_variant": base["variant"],
                        "items_per_s": row["items_per_s"], "base_items_per_s": base["items_per_s"],
                        **_ratio_record(row, base, samples)})
    columns = [*CELL, "variant", "tasks", "model", "cores", "base_model", "base_variant", "items_per_s",
               "base_items_per_s", "ratio", "ratio_lo", "ratio_hi", "verdict"]
    return pd.DataFrame(records, columns=columns)


def lock_cost(results: pd.DataFrame, samples: Samples) -> pd.DataFrame:
    """Each gil model's cell over thread's in the same case and cores (same machine): what the lock costs."""
    return _paired(
        results, samples,
        pick=lambda ok: ok[ok["model"].isin(GIL_MODELS)],
        base_of=lambda r: (r["source"], r["workload"], r["case_index"], r["cores"], LOCK_BASE),
        key_of=lambda r: (r["source"], r["workload"], r["case_index"], r["cores"], r["model"]),
    )


def false_sharing(results: pd.DataFrame, samples: Samples) -> pd.DataFrame:
    """counter/sharded-packed (eight counters to a cache line) over counter/sharded (one per line), same model,
    tasks, cores and parameters: below 1, false sharing costs that much."""
    workload, spread, packed = FALSE_SHARING
    return _paired(
        results, samples,
        pick=lambda ok: ok[(ok["workload"] == workload) & (ok["variant"] == packed) & (ok["model"] != FLOOR_MODEL)],
        base_of=lambda r: (r["source"], workload, spread, r["model"], r["cores"], r["tasks"], r["params"]),
        key_of=lambda r: (r["source"], r["workload"], r["variant"], r["model"], r["cores"], r["tasks"], r["params"]),
    )


def between_machines(results: pd.DataFrame, samples: Samples) -> pd.DataFrame:
    """The same cell (key) on each other machine over the first machine: ratio with its interval."""
    sources = derive.sources(results)
    if len(sources) < 2:
        return pd.DataFrame()
    reference = sources[0]
    table = _paired(
        results, samples,
        pick=lambda ok: ok[ok["source"] != reference],
        base_of=lambda r: (reference, *(r[name] for name in KEY)),
        key_of=lambda r: (r["source"], *(r[name] for name in KEY)),
    )
    return table.assign(reference=reference)


def spawn_cost(results: pd.DataFrame) -> pd.DataFrame:
    """Per machine, spawn variant and model (floors included, marked): nanoseconds per task created and joined
    (1 / throughput, items = tasks), at the core count where it was cheapest, with the interval turned over."""
    rows = _ok(results[results["workload"] == SPAWN])
    if rows.empty:
        return pd.DataFrame()
    best = rows.loc[rows.groupby([*CELL, "model", "params"], sort=False)["items_per_s"].idxmax()]
    table = best[[*CELL, "variant", "tasks", "model", "params", "cores"]].copy()
    table["floor"] = table["model"].eq(FLOOR_MODEL)
    table["ns_per_task"] = 1e9 / best["items_per_s"]
    table["ns_per_task_lo"] = np.where(best["items_per_s_interval"] == "repetitions", 1e9 / best["items_per_s_hi"],
                                       math.nan)
    table["ns_per_task_hi"] = np.where(best["items_per_s_interval"] == "repetitions", 1e9 / best["items_per_s_lo"],
                                       math.nan)
    return table.sort_values([*CELL, "ns_per_task"], kind="stable").reset_index(drop=True)


def deadlocks(results: pd.DataFrame) -> pd.DataFrame:
    """Every cell with a deadlock share (chance-dependent trials: philosophers/naive), ok or deadlocked: the share
    of its trials that deadlocked, and how many of how many where the row says (`trials`, else NaN)."""
    trials = derive.metric(results, "trials")
    rows = results[results["status"].isin(["ok", "deadlock"]) & results["deadlock_share"].notna()]
    table = rows[[*CELL, "variant", "model", "cores", "status", "deadlock_share"]].copy()
    table["trials"] = trials[rows.index]  # NaN where the row does not say (a run before --trials)
    table["deadlocked"] = (table["deadlock_share"] * table["trials"]).round()
    order = {m: i for i, m in enumerate(model_order(table["model"]))}
    table["rank"] = table["model"].map(order)
    return table.sort_values(["source", "workload", "case_index", "rank", "cores"]).drop(columns="rank").reset_index(
        drop=True)


def counts(verdicts: Iterable[str]) -> dict[str, int]:
    """How many ratios lie above, below and around 1 (and without an interval)."""
    values = list(verdicts)
    return {name: values.count(name) for name in ("above", "below", "tied", "")}
