"""The overhead table: every model cell beside the floor of the library it uses.

A row's `bare_ratio` (docs/csv-schema.md) is its throughput over its floor's — the `bare` cell that runs the
same primitive in a minimal hand-written loop, measured in the same run. Its inverse is the overhead: how
much longer the model takes than the library can, so a slow figure is told apart from a slow binding.
"""

from __future__ import annotations

import pandas as pd

from .schema import model_order, parse_kv

# Above this overhead a row is marked: the binding, not the model, may be what the figure shows.
OVERHEAD_MARK = 1.25


def _overhead(ratio: float) -> float:
    return 1.0 / ratio if ratio > 0 else float("nan")


def overhead_table(results: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """One line per model row that has a `bare_ratio`, in workload, case, model and cores order.

    `results` is the report's table (with `source` and `case`; a bare row never has a ratio itself).
    """
    rows = results[results["bare_ratio"].notna()].copy()
    columns = (["machine"] if multi else []) + [
        "workload", "case", "model", "cores", "floor", "items/s", "bare_ratio", "overhead", f"> {OVERHEAD_MARK}×"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    order = {model: index for index, model in enumerate(model_order(rows["model"]))}
    rows["model_rank"] = rows["model"].map(order)
    rows = rows.sort_values(["source", "workload", "case", "model_rank", "cores"], kind="stable")
    overheads = [_overhead(ratio) for ratio in rows["bare_ratio"]]
    table = pd.DataFrame({
        "machine": rows["source"],
        "workload": rows["workload"] + "/" + rows["variant"],
        "case": rows["case"],
        "model": rows["model"],
        "cores": rows["cores"],
        # pingpong, spawn, prodcons and parallel name the primitive; counter's floor is its own variant.
        "floor": [parse_kv(text).get("primitive", "bare") for text in rows["metrics"]],
        "items/s": [f"{v:,.0f}" if v >= 100 else f"{v:.3g}" for v in rows["items_per_s"]],
        "bare_ratio": [f"{v:.2f}" for v in rows["bare_ratio"]],
        "overhead": [f"{v:.2f}×" for v in overheads],
        f"> {OVERHEAD_MARK}×": ["yes" if v > OVERHEAD_MARK else "" for v in overheads],
    })
    return table[columns].reset_index(drop=True)
