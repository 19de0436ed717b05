"""The fidelity view: each C++ model beside the real interpreter it models (gil beside python-threads, coroutine
beside python-asyncio and python-generators), cell by cell (same workload, variant, tasks, params and cores), with
the model's throughput over the interpreter's."""

from __future__ import annotations

import pandas as pd

from concbench_data import FIDELITY_PARTNERS

from . import fmt


def _figure(row: pd.Series | None) -> str:
    if row is None:
        return ""
    return fmt.si(row["items_per_s"]) if row["status"] == "ok" else row["status"]


def fidelity_table(results: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """A line per machine, case and core count a peer ran; per pair: the model's figure, the peer's, their ratio
    (empty unless both are ok; a status where a cell is not ok; empty where there is no such cell)."""
    peers = [p for p in FIDELITY_PARTNERS if p in set(results["model"])]
    if not peers:
        return pd.DataFrame()
    key = ["source", "workload", "case_index", "cores"]
    cells = {(*(row[k] for k in key), row["model"]): row for _, row in results.iterrows()}
    lines = []
    ran = results[results["model"].isin(peers)].sort_values(["workload", "case_index", "cores", "source"])
    for where in dict.fromkeys(ran[key].itertuples(index=False, name=None)):
        case = next(cells[(*where, p)]["case"] for p in peers if (*where, p) in cells)
        line = {"machine": where[0], "workload": where[1], "case": case, "cores": int(where[3])}
        for peer in peers:
            model = FIDELITY_PARTNERS[peer]
            mine, theirs = cells.get((*where, model)), cells.get((*where, peer))
            both = all(c is not None and c["status"] == "ok" for c in (mine, theirs))
            line[model] = _figure(mine)
            line[peer] = _figure(theirs)
            line[f"{model} / {peer}"] = fmt.sig(mine["items_per_s"] / theirs["items_per_s"]) if both else ""
        lines.append(line)
    table = pd.DataFrame(lines)
    table = table.loc[:, [c for c in table.columns if c in ("machine", "workload", "case", "cores")
                          or (table[c] != "").any()]]
    return table if multi else table.drop(columns="machine")
