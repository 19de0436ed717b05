"""Figures derived from loaded results: intervals, case labels, headline figures per model.

Functions take the DataFrames of a `Dataset` and return new DataFrames; nothing is drawn here.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from . import stats
from .schema import CASE, EXTERNAL_MODELS, FIDELITY_PARTNERS, KEY, kv_number, model_order, parse_kv

BASE_MODEL = "sequential"  # speedup's denominator: the same case with model=sequential at 1 core
SampleKey = tuple  # (run_id, *KEY)


def is_ok(results: pd.DataFrame) -> pd.Series:
    return results["status"].eq("ok")


def metric(results: pd.DataFrame, name: str) -> pd.Series:
    """A number from the `metrics` column (e.g. deadlock_share) as a float column, NaN when absent."""
    return results["metrics"].fillna("").map(lambda text: kv_number(text, name)).astype(float)


def repetition_samples(repetitions: pd.DataFrame) -> dict[SampleKey, np.ndarray]:
    """Throughput of every repetition, per (run_id, *KEY)."""
    if repetitions.empty:
        return {}
    groups = repetitions.groupby(["run_id", *KEY], sort=False)["items_per_s"]
    return {key: values.to_numpy(dtype=float) for key, values in groups}


def with_case_params(results: pd.DataFrame) -> pd.DataFrame:
    """Copy of `results` with `case_params`: params less the keys some rows of the same workload and variant
    lack — a model's own parameters (gil_interval_us), which its speedup base does not take either."""
    out = results.copy()
    if "case_params" in out.columns:
        return out
    parsed = out["params"].map(parse_kv)
    shared: dict[tuple, set[str]] = {}
    for (workload, variant), index in out.groupby(["workload", "variant"], sort=False).groups.items():
        keys = [set(parsed[i]) for i in index]
        shared[(workload, variant)] = set.intersection(*keys) if keys else set()
    out["case_params"] = [
        ";".join(f"{k}={v}" for k, v in sorted(kv.items()) if k in shared[(w, v_)])
        for kv, w, v_ in zip(parsed, out["workload"], out["variant"])
    ]
    return out


def _sample_key(row: pd.Series, **override: object) -> SampleKey:
    fields = {name: row[name] for name in KEY} | override
    return (row["run_id"], *(fields[name] for name in KEY))


def _empty(size: int = 2) -> tuple[float, ...]:
    return (math.nan,) * size


def _throughput_interval(row: pd.Series, samples: dict[SampleKey, np.ndarray]) -> tuple[float, float, str]:
    """Error bar of items_per_s: bootstrap CI of the median from repetitions, else ±1 stddev."""
    interval = stats.median_ci(samples.get(_sample_key(row), []))
    if interval is not None:
        return (*interval, "repetitions")
    value, spread = row["items_per_s"], row["items_per_s_stddev"]
    if pd.notna(value) and pd.notna(spread):
        return value - spread, value + spread, "stddev"
    return math.nan, math.nan, ""


def _speedup_interval(row: pd.Series, samples: dict[SampleKey, np.ndarray]) -> tuple[float, float]:
    """CI of the speedup against the sequential 1-core base of the same run (where the binary took it).

    The base itself has none: its speedup is 1 by definition, not a measurement.
    """
    if row["model"] == BASE_MODEL and row["cores"] == 1:
        return _empty()
    base = samples.get(_sample_key(row, model=BASE_MODEL, cores=1, params=row["case_params"]), [])
    interval = stats.ratio_ci(samples.get(_sample_key(row), []), base)
    return interval if interval is not None and pd.notna(row["speedup"]) else _empty()


def ratio(row: pd.Series, base: pd.Series, samples: dict[SampleKey, np.ndarray]) -> tuple[float, float, float]:
    """row's items_per_s over base's (two cells of any runs), with the bootstrap interval of the ratio of medians
    (each cell's repetitions resampled independently); NaN where a figure is missing, no interval without
    two repetitions on each side or when the row is its own base."""
    if not base["items_per_s"] > 0 or pd.isna(row["items_per_s"]):
        return _empty(3)
    value = row["items_per_s"] / base["items_per_s"]
    if _sample_key(row) == _sample_key(base):
        return value, math.nan, math.nan
    interval = stats.ratio_ci(samples.get(_sample_key(row), []), samples.get(_sample_key(base), []))
    return (value, *(interval if interval is not None else _empty()))


def _self_speedup(
    row: pd.Series, ones: dict[tuple, pd.Series], samples: dict[SampleKey, np.ndarray]
) -> tuple[float, float, float]:
    """items_per_s against the same model at 1 core on the same machine, with its CI."""
    base = ones.get((row["source"], *(row[name] for name in CASE), row["model"]))
    return _empty(3) if base is None else ratio(row, base, samples)


def add_intervals(results: pd.DataFrame, repetitions: pd.DataFrame) -> pd.DataFrame:
    """Copy of `results` with error bars and ratios the charts need (NaN where not computable).

    items_per_s_lo/_hi (+ items_per_s_interval: "repetitions" or "stddev"), speedup_lo/_hi,
    efficiency_lo/_hi, self_speedup (+ _lo/_hi: against the same model at 1 core), deadlock_share.
    Only ok rows get figures: a row that is not ok has no measurement to draw. An ok sequential
    1-core row with an empty speedup gets 1 (and efficiency 1): the base over itself.
    """
    samples = repetition_samples(repetitions)
    out = with_case_params(results)
    ok = is_ok(out)
    # The base's speedup is 1 by definition (itself over itself); a writer may leave it empty.
    base = ok & out["model"].eq(BASE_MODEL) & out["cores"].eq(1) & out["items_per_s"].notna()
    out.loc[base & out["speedup"].isna(), "speedup"] = 1.0
    out.loc[base & out["efficiency"].isna(), "efficiency"] = 1.0
    one_core = out[ok & out["cores"].eq(1)]
    ones = {(r["source"], *(r[name] for name in CASE), r["model"]): r for _, r in one_core.iterrows()}
    columns = {name: [] for name in (
        "items_per_s_lo", "items_per_s_hi", "items_per_s_interval", "speedup_lo", "speedup_hi",
        "self_speedup", "self_speedup_lo", "self_speedup_hi")}
    for is_row_ok, (_, row) in zip(ok, out.iterrows()):
        figures = (
            (*_throughput_interval(row, samples), *_speedup_interval(row, samples), *_self_speedup(row, ones, samples))
            if is_row_ok else (math.nan, math.nan, "", *_empty(5))
        )
        for name, value in zip(columns, figures):
            columns[name].append(value)
    for name, values in columns.items():
        out[name] = values
    out["efficiency_lo"] = out["speedup_lo"] / out["cores"]
    out["efficiency_hi"] = out["speedup_hi"] / out["cores"]
    out["deadlock_share"] = metric(out, "deadlock_share")
    return out


def _sort_value(text: str) -> tuple[int, float | str]:
    """Numbers sort as numbers (capacity=64 after capacity=8), other text as text."""
    try:
        return (0, float(text))
    except ValueError:
        return (1, text)


def cases(results: pd.DataFrame) -> list[tuple]:
    """Distinct CASE tuples of one workload's rows, in a natural order (sweeps ascending)."""
    distinct = with_case_params(results)[list(CASE)].drop_duplicates().itertuples(index=False, name=None)

    def order(case: tuple) -> tuple:
        workload, variant, tasks, params = case
        pairs = parse_kv(params)
        return (workload, variant, tasks, [(key, _sort_value(pairs[key])) for key in sorted(pairs)])

    return sorted(distinct, key=order)


def peer_cases(rows: pd.DataFrame) -> set[int]:
    """The case_index of one workload's cases that only the external models (and their fidelity partners) ran:
    the peers' quick sizes in a default run. Empty when no other case is left (a --quick run shares its cases)."""
    peers = set(EXTERNAL_MODELS) | set(FIDELITY_PARTNERS.values())
    models = rows.groupby("case_index")["model"].agg(set)
    side = {int(i) for i, ran in models.items() if ran <= peers and ran & set(EXTERNAL_MODELS)}
    return side if len(side) < len(models) else set()


def _varying(all_cases: list[tuple]) -> tuple[bool, set[str]]:
    """Whether tasks varies among a workload's cases, and which params keys do.

    Cases are compared within each variant: parameters a variant implies (`work` for cpu, `wait_us`
    for io) are not a difference worth a label; a sweep within one variant is.
    """
    by_variant: dict[str, list[tuple]] = {}
    for case in all_cases:
        by_variant.setdefault(case[1], []).append(case)
    tasks_vary, keys = False, set()
    for group in by_variant.values():
        tasks_vary |= len({case[2] for case in group}) > 1
        parsed = [parse_kv(case[3]) for case in group]
        every_key = set().union(*parsed)
        keys |= {key for key in every_key if len({p.get(key) for p in parsed}) > 1}
    return tasks_vary, keys


def case_label(case: tuple, all_cases: list[tuple]) -> str:
    """What tells this case apart from the workload's others: its variant, then what a sweep varies.

    A sweep over one parameter reads `cpu, capacity=64` rather than the whole canonical params
    string; `case_inputs` gives the full inputs for a caption.
    """
    _, variant, tasks, params = case
    tasks_vary, keys = _varying(all_cases)
    pairs = parse_kv(params)
    parts = [variant] if variant else []
    if tasks_vary:
        parts.append(f"tasks={tasks}")
    parts += [f"{key}={pairs[key]}" for key in sorted(keys) if key in pairs]
    return ", ".join(parts)


def case_inputs(case: tuple) -> str:
    """Every input of a case: tasks and its params, e.g. `tasks=8, items=256, wait_us=1000`."""
    _, _, tasks, params = case
    return ", ".join([f"tasks={tasks}", *(f"{k}={v}" for k, v in sorted(parse_kv(params).items()))])


def add_case_labels(results: pd.DataFrame) -> pd.DataFrame:
    """Copy of `results` with `case` (label within its workload) and `case_index` (its order)."""
    out = with_case_params(results)
    labels: dict[tuple, tuple[str, int]] = {}
    for _, rows in out.groupby("workload", sort=False):
        all_cases = cases(rows)
        for index, case in enumerate(all_cases):
            labels[case] = (case_label(case, all_cases), index)
    keys = list(out[list(CASE)].itertuples(index=False, name=None))
    out["case"] = [labels[key][0] for key in keys]
    out["case_index"] = [labels[key][1] for key in keys]
    return out


def cores_text(cores: int | float) -> str:
    return f"{int(cores)} core" + ("" if int(cores) == 1 else "s")


def _note(row: pd.Series) -> str:
    reason = f" ({row['reason']})" if str(row.get("reason", "")).strip() else ""
    return f"{cores_text(row['cores'])}: {row['status']}{reason}"


def _headline(rows: pd.DataFrame) -> dict:
    """One model in one case on one machine: best throughput, figures at its highest core count."""
    ok = rows[is_ok(rows) & rows["items_per_s"].notna()]
    best = ok.loc[ok["items_per_s"].idxmax()] if not ok.empty else None
    top = rows.loc[rows["cores"].idxmax()]
    top_ok = top["status"] == "ok"
    notes = [_note(row) for _, row in rows[~is_ok(rows)].sort_values("cores").iterrows()]
    unmeasured = rows[is_ok(rows) & rows["items_per_s"].isna()]
    notes += [f"{cores_text(row['cores'])}: ok but no items_per_s" for _, row in unmeasured.iterrows()]
    if top_ok and pd.isna(top["speedup"]):
        notes.append("no speedup: its sequential 1-core base is missing or not ok")
    return {
        "best_items_per_s": best["items_per_s"] if best is not None else math.nan,
        "best_cores": best["cores"] if best is not None else math.nan,
        "top_cores": top["cores"],
        "top_status": top["status"],
        "speedup": top["speedup"] if top_ok else math.nan,
        "speedup_lo": top.get("speedup_lo", math.nan) if top_ok else math.nan,
        "speedup_hi": top.get("speedup_hi", math.nan) if top_ok else math.nan,
        "efficiency": top["efficiency"] if top_ok else math.nan,
        "self_speedup": top.get("self_speedup", math.nan) if top_ok else math.nan,
        "not_ok": len(rows) - int(is_ok(rows).sum()),
        "notes": "; ".join(notes),
    }


def headlines(results: pd.DataFrame) -> pd.DataFrame:
    """Headline figures per source, workload, case and model (input: `add_case_labels` output).

    Columns: source, workload, case, case_index, model, best_items_per_s, best_cores, top_cores,
    top_status, speedup (+ _lo/_hi when `add_intervals` ran), efficiency, self_speedup, not_ok, notes.
    """
    group_by = ["source", *CASE, "case", "case_index", "model"]
    records = []
    for key, rows in results.groupby(group_by, sort=False):
        records.append(dict(zip(group_by, key)) | _headline(rows))
    table = pd.DataFrame(records)
    if table.empty:
        return table
    rank = {model: i for i, model in enumerate(model_order(table["model"]))}
    table["model_rank"] = table["model"].map(rank)
    table = table.sort_values(["source", "workload", "case_index", "model_rank"], kind="stable")
    return table.drop(columns="model_rank").reset_index(drop=True)


def workloads(results: pd.DataFrame) -> list[str]:
    """Workloads in order of first appearance."""
    return list(dict.fromkeys(results["workload"]))


def sources(results: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(results["source"]))


def distinct_cores(rows: pd.DataFrame) -> list[int]:
    return sorted(int(c) for c in rows["cores"].unique())


def models_in(rows: pd.DataFrame) -> list[str]:
    return model_order(rows["model"])


def values_present(rows: pd.DataFrame, columns: Iterable[str]) -> bool:
    """Whether any ok row has a value in any of `columns` (decides if a chart is drawn)."""
    ok = rows[is_ok(rows)]
    return any(ok[name].notna().any() for name in columns if name in ok.columns)
