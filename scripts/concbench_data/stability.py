"""Which cells were unstable: the spread of their repetitions above a threshold, and the machine's own
warnings at the start of the run (machine.json `system`, from `concbench system`'s checks)."""

from __future__ import annotations

import pandas as pd

# The binary flags the same cells in its console summary (app/runner/runner.hpp kUnstableCv).
UNSTABLE_CV = 0.10


def unstable_table(results: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """Every ok row whose repetitions' coefficient of variation is above UNSTABLE_CV, worst first."""
    rows = results[(results["status"] == "ok") & (results["cv"] > UNSTABLE_CV)].sort_values("cv", ascending=False)
    columns = (["source"] if multi else []) + ["workload", "variant", "model", "cores", "tasks", "params",
                                                "repetitions", "cv"]
    table = rows[columns].rename(columns={"source": "machine"}).reset_index(drop=True)
    table["cv"] = [f"{value:.2f}" for value in table["cv"]]
    return table


def system_warnings(machine: object) -> str:
    """The run's start-of-run warnings from machine.json, one phrase each; empty when none or unknown."""
    if not isinstance(machine, list):
        return ""
    return "; ".join(f"{check.get('check')}: {check.get('state')}" for check in machine
                     if isinstance(check, dict) and check.get("level") == "warning")
