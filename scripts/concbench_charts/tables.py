"""The report's tables: fastest model per case, every cell, headline figures, rows not ok, superseded rows, the
machines. One figure per column: an interval has a column of its own beside its value."""

from __future__ import annotations

import math
from typing import Callable

import pandas as pd

from concbench_data import Dataset, derive, model_order
from concbench_data.stability import system_warnings

from . import fmt


def format_rate(value: float) -> str:
    if pd.isna(value):
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _ratio(value: float) -> str:
    return fmt.sig(value) if pd.notna(value) else ""


def _cores(value: float) -> str:
    return str(int(value)) if pd.notna(value) else ""


def _machine_first(table: pd.DataFrame, multi: bool) -> pd.DataFrame:
    return table if multi else table.drop(columns="machine")


def headline_table(head: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """Per machine, workload case and model: the best throughput and where, the figures at the highest core count
    the model ran; one figure per column."""
    table = pd.DataFrame({
        "machine": head["source"],
        "workload": head["workload"],
        "case": head["case"],
        "model": head["model"],
        "best items/s": [format_rate(v) for v in head["best_items_per_s"]],
        "at cores": [_cores(c) for c in head["best_cores"]],
        "top cores": [_cores(c) for c in head["top_cores"]],
        "status there": head["top_status"],
        "speedup": [_ratio(v) for v in head["speedup"]],
        "speedup 95% CI": [fmt.interval_text(lo, hi) for lo, hi in zip(head["speedup_lo"], head["speedup_hi"])],
        "efficiency": [_ratio(v) for v in head["efficiency"]],
        "vs own 1 core": [_ratio(v) for v in head["self_speedup"]],
        "notes": head["notes"],
    })
    return _machine_first(table, multi)


def _some(models: tuple, shown: int = 3) -> str:
    """`a, b, c +2`: a table line stays one line; tables/fastest.csv has every name."""
    more = f" +{len(models) - shown}" if len(models) > shown else ""
    return ", ".join(models[:shown]) + more


def fastest_table(fastest: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """Per case and core count (one workload's rows of comparisons.fastest): the fastest model and its figures,
    the runner-up and the lead over it, the models tied with it. Several machines: each case and core count's
    lines side by side."""
    if fastest.empty:
        return pd.DataFrame()
    fastest = fastest.sort_values(["case_index", "cores"], kind="stable")
    table = pd.DataFrame({
        "machine": fastest["source"],
        "case": fastest["case"],
        "cores": fastest["cores"],
        "fastest": [m + (" (1 core)" if mc < c else "") for m, mc, c in
                    zip(fastest["model"], fastest["model_cores"], fastest["cores"])],
        "items/s": [fmt.si(v) for v in fastest["items_per_s"]],
        "95% CI": [fmt.interval_text(lo, hi, "si") for lo, hi in zip(fastest["items_per_s_lo"], fastest["items_per_s_hi"])],
        "speedup": [_ratio(v) for v in fastest["speedup"]],
        "speedup 95% CI": [fmt.interval_text(lo, hi) for lo, hi in zip(fastest["speedup_lo"], fastest["speedup_hi"])],
        "efficiency": [_ratio(v) for v in fastest["efficiency"]],
        "runner-up": fastest["runner_up"],
        "lead": [_ratio(v) for v in fastest["lead"]],
        "lead 95% CI": [fmt.interval_text(lo, hi) for lo, hi in zip(fastest["lead_lo"], fastest["lead_hi"])],
        "tied with": [_some(t) for t in fastest["tied"]],
    })
    return _machine_first(table, multi).reset_index(drop=True)


def fastest_pivot(fastest: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """The fastest model per case, a line per case (and machine) however many core counts ran: a group of columns
    per core count with the fastest model, its throughput and its lead over the runner-up. fastest_table has the
    same rows with every figure (intervals, speedup, efficiency, runner-up, ties), a line per case and core count."""
    if fastest.empty:
        return pd.DataFrame()
    fastest = fastest.sort_values(["case_index", "source", "cores"], kind="stable")
    counts = sorted(int(c) for c in fastest["cores"].unique())
    lines = []
    for (_, source), part in fastest.groupby(["case_index", "source"], sort=False):
        line = {"machine": source, "case": part["case"].iloc[0]}
        by_cores = {int(row["cores"]): row for _, row in part.iterrows()}
        for cores in counts:
            row, at = by_cores.get(cores), fmt.cores(cores)
            line[f"{at}: fastest"] = "" if row is None else row["model"] + (
                " (1 core)" if row["model_cores"] < cores else "")
            line[f"{at}: items/s"] = "" if row is None else fmt.si(row["items_per_s"])
            line[f"{at}: lead"] = "" if row is None else _ratio(row["lead"])
        lines.append(line)
    return _machine_first(pd.DataFrame(lines), multi)


def cells_table(rows: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """Every cell of some rows (one workload's), one figure per column, in case, model and cores order."""
    order = {m: i for i, m in enumerate(model_order(rows["model"]))}
    # several machines: the same cell of each machine on adjacent lines
    rows = rows.assign(rank=rows["model"].map(order)).sort_values(["case_index", "rank", "cores", "source"],
                                                                   kind="stable")
    table = pd.DataFrame({
        "machine": rows["source"],
        "case": rows["case"],
        "model": rows["model"],
        "cores": rows["cores"],
        "status": rows["status"],
        "items/s": [fmt.si(v) for v in rows["items_per_s"]],
        "95% CI": [fmt.interval_text(lo, hi, "si") for lo, hi in zip(rows["items_per_s_lo"], rows["items_per_s_hi"])],
        "speedup": [_ratio(v) for v in rows["speedup"]],
        "speedup 95% CI": [fmt.interval_text(lo, hi) for lo, hi in zip(rows["speedup_lo"], rows["speedup_hi"])],
        "efficiency": [_ratio(v) for v in rows["efficiency"]],
        "vs own 1 core": [_ratio(v) for v in rows["self_speedup"]],
        "vs own 1 core 95% CI": [fmt.interval_text(lo, hi) for lo, hi in
                                 zip(rows["self_speedup_lo"], rows["self_speedup_hi"])],
        "repetitions": [_cores(v) for v in rows["repetitions"]],
        "cv": [f"{v:.2f}" if pd.notna(v) else "" for v in rows["cv"]],
        "reason": rows["reason"].fillna(""),
    })
    return _machine_first(table, multi).reset_index(drop=True)


def not_ok_table(results: pd.DataFrame, multi: bool) -> pd.DataFrame:
    rows = results[~derive.is_ok(results)]
    columns = (["source"] if multi else []) + ["workload", "variant", "model", "cores", "tasks", "params", "status", "reason"]
    return rows[columns].rename(columns={"source": "machine"}).reset_index(drop=True)


def superseded_table(superseded: pd.DataFrame) -> pd.DataFrame:
    columns = ["source", "run_id", "workload", "variant", "model", "cores", "tasks", "params", "status", "timestamp"]
    return superseded[columns].rename(columns={"source": "machine"}).reset_index(drop=True)


def _listed(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_listed(v) if isinstance(v, list) else str(v) for v in value) if value else ""
    return "" if value is None else str(value)


def _siblings(groups: object) -> str:
    """SMT sibling groups as `(0,1) (2,3)`; each group may be a list or already a string."""
    if not isinstance(groups, list):
        return _listed(groups)
    return " ".join("(" + (",".join(map(str, g)) if isinstance(g, list) else str(g)) + ")" for g in groups)


def _memory(kb: object) -> str:
    return f"{float(kb) / 1048576:.1f} GiB" if isinstance(kb, (int, float)) else _listed(kb)


# (row label, key in machine.json, CSV column used when there is no machine.json, formatter)
MACHINE_FIELDS: tuple[tuple[str, str, str, Callable[[object], str]], ...] = (
    ("host", "host", "host", _listed),
    ("machine id", "machine_id", "machine_id", _listed),
    ("CPU", "cpu_model", "cpu_model", _listed),
    ("logical CPUs", "cpus_online", "cpus", _listed),
    ("affinity", "affinity", "", lambda v: _listed(v) if not isinstance(v, list) else ",".join(map(str, v))),
    ("SMT siblings", "smt_siblings", "", _siblings),
    ("memory", "memory_kb", "", _memory),
    ("kernel", "kernel", "", _listed),
    ("arch", "arch", "", _listed),
    ("virtualisation", "virtualization", "", _listed),
    ("CPU governor", "cpu_governor", "", _listed),
    ("CPU MHz", "cpu_mhz", "", _listed),
    ("compiler", "compiler", "compiler", _listed),
    ("compiler flags", "compiler_flags", "", _listed),
    ("build type", "build_type", "build_type", _listed),
    ("Google Benchmark library build", "gbench_library_build_type", "", _listed),
    ("libraries", "libraries", "", _listed),
    ("git sha", "git_sha", "git_sha", _listed),
    ("command line", "command_line", "", _listed),
    ("system warnings at start", "system", "", system_warnings),
)


def _csv_value(rows: pd.DataFrame, column: str) -> str:
    if not column or column not in rows.columns:
        return ""
    values = [str(v) if not (isinstance(v, float) and math.isnan(v)) else "" for v in rows[column].unique()]
    values = [v.removesuffix(".0") if column == "cpus" else v for v in values]
    return ", ".join(v for v in values if v)


def machine_table(data: Dataset) -> pd.DataFrame:
    """Fields x machines: machine.json where the run had one, else what results.csv carries."""
    table: dict[str, list[str]] = {"": [label for label, *_ in MACHINE_FIELDS] + ["runs", "rows", "metadata from"]}
    for source in derive.sources(data.results):
        rows = data.results[data.results["source"] == source]
        machine = data.machines.get(source)
        if machine is not None:
            values = [fmt(machine[key]) if key in machine else "" for _, key, _, fmt in MACHINE_FIELDS]
        else:
            values = [_csv_value(rows, column) for _, _, column, _ in MACHINE_FIELDS]
        ok = int(derive.is_ok(rows).sum())
        values += [", ".join(rows["run_id"].unique()), f"{len(rows)} ({ok} ok)",
                   "machine.json" if machine is not None else "results.csv columns (no machine.json)"]
        table[source] = values
    return pd.DataFrame(table)


def build_differences(results: pd.DataFrame) -> str:
    """A warning when machines were measured with different builds (comparisons then mix two effects)."""
    per_source = results.groupby("source")[["compiler", "build_type"]].first()
    if len(per_source) < 2 or len(per_source.drop_duplicates()) < 2:
        return ""
    described = "; ".join(f"{s}: {r['compiler']} {r['build_type']}" for s, r in per_source.iterrows())
    return f"Warning: the machines ran different builds ({described}); differences mix hardware and build."
