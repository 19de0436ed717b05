"""Committed baselines: reports/baseline/<machine_id>/, one pooled run directory per machine.

The rule for matching a run to its baseline: the run's `machine_id` (machine.json, or the
`machine_id` column of results.csv when there is no machine.json) names the directory. The id is
a hash of the hardware description (CPU model, logical CPUs, SMT layout, memory, architecture),
not the host name, so a CI runner with a random host name still finds the baseline of its
hardware, and different hardware never silently compares with another machine's numbers.
"""

from __future__ import annotations

from pathlib import Path

from .load import RESULTS_FILE, LoadError, locate, read_machine, read_results

BASELINE_ROOT = Path("reports") / "baseline"


def machine_id_of(run: Path | str) -> str:
    """The machine id of a run directory (or results CSV): machine.json first, else the CSV column."""
    files = locate(run)
    if files.machine is not None:
        machine_id = str(read_machine(files.machine).get("machine_id", "")).strip()
        if machine_id:
            return machine_id
    ids = sorted(set(read_results(files.results)["machine_id"].fillna("").astype(str).str.strip()) - {""})
    if len(ids) != 1:
        problem = "no machine_id" if not ids else f"several machine ids ({', '.join(ids)})"
        raise LoadError(files.machine or files.results, f"{problem}: cannot pick a baseline")
    return ids[0]


def baseline_for(root: Path | str, machine_id: str) -> Path | None:
    """root/<machine_id> when it holds a baseline (a results.csv), else None."""
    candidate = Path(root) / machine_id
    return candidate if (candidate / RESULTS_FILE).is_file() else None
