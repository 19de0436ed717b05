"""Small made-up runs whose answers are known, written as real run directories (schema 2 results.csv and
repetitions.csv) for the findings tests: every figure a finding states follows from the repetitions below by
arithmetic a reader can redo (medians of three values; ratios of medians).

One machine `lab`, cores 1 and 2, three repetitions per ok cell, all within ±1 % of their median:
- parallel/cpu: sequential 100; thread 91 at 1 core, 191 at 2; tbb 96 and 186; gil 46 and 45; a bare floor at
  500 (2 cores) that must never be called fastest.
- parallel/io: sequential 51; thread 301 and 401; tbb 101 and 399 (with wide spreads: tied with thread at 2
  cores, cv 0.3 at 1 core: unstable).
- counter sharded / sharded-packed (tasks 2): thread 1000 / 1000 at 1 core, 2000 / 500 at 2 cores.
- philosophers/naive: sequential ok (0 of 3 trials deadlocked), thread deadlock at 1 core (3 of 3) and at 2
  cores (2 of 3).
- spawn/flat (tasks 100): coroutine 2e7 tasks/s (50 ns per task), thread 5e4 (20 µs, bare_ratio 0.5 against its
  floor: 2× the floor's time), the floor bare/thread-join 1e5 (10 µs).
`second_machine` adds `lab-b`: the parallel cells again, thread 1.5× faster at 2 cores, everything else equal.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from concbench_data.schema import REPETITIONS_COLUMNS, RESULTS_COLUMNS

SPREAD = 0.01  # repetitions at median × (1 - SPREAD, 1, 1 + SPREAD)


def _cell(workload, variant, model, cores, tasks, params, value, status="ok", reason="", metrics="", spread=SPREAD,
          bare_ratio=""):
    return dict(workload=workload, variant=variant, model=model, cores=cores, tasks=tasks, params=params,
                value=value, status=status, reason=reason, metrics=metrics, spread=spread, bare_ratio=bare_ratio)


def lab_cells(faster: float = 1.0) -> list[dict]:
    cpu, io = "items=64;work=10000", "items=64;wait_us=1000"
    sharded = "adds=1000000"
    naive = "meals=10;seed=1"
    return [
        _cell("parallel", "cpu", "sequential", 1, 8, cpu, 100),
        _cell("parallel", "cpu", "thread", 1, 8, cpu, 91),
        _cell("parallel", "cpu", "thread", 2, 8, cpu, 191 * faster),
        _cell("parallel", "cpu", "tbb", 1, 8, cpu, 96),
        _cell("parallel", "cpu", "tbb", 2, 8, cpu, 186),
        _cell("parallel", "cpu", "gil", 1, 8, cpu + ";gil_interval_us=5000", 46),
        _cell("parallel", "cpu", "gil", 2, 8, cpu + ";gil_interval_us=5000", 45),
        _cell("parallel", "cpu", "bare", 2, 8, cpu + ";primitive=thread", 500),
        _cell("parallel", "io", "sequential", 1, 8, io, 51),
        _cell("parallel", "io", "thread", 1, 8, io, 301),
        _cell("parallel", "io", "thread", 2, 8, io, 401),
        _cell("parallel", "io", "tbb", 1, 8, io, 101, spread=0.3),
        _cell("parallel", "io", "tbb", 2, 8, io, 399, spread=0.05),
        _cell("counter", "sharded", "thread", 1, 2, sharded, 1000),
        _cell("counter", "sharded", "thread", 2, 2, sharded, 2000),
        _cell("counter", "sharded-packed", "thread", 1, 2, sharded, 1000),
        _cell("counter", "sharded-packed", "thread", 2, 2, sharded, 500),
        _cell("philosophers", "naive", "sequential", 1, 5, naive, 2000, metrics="deadlock_share=0;trials=3"),
        _cell("philosophers", "naive", "thread", 1, 5, naive, None, status="deadlock", reason="no meal for 100 ms",
              metrics="deadlock_share=1;trials=3"),
        _cell("philosophers", "naive", "thread", 2, 5, naive, None, status="deadlock", reason="no meal for 100 ms",
              metrics="deadlock_share=0.666667;trials=3"),
        _cell("spawn", "flat", "sequential", 1, 100, "", 1e8),
        _cell("spawn", "flat", "coroutine", 1, 100, "", 2e7, metrics="primitive=coroutine-join"),
        _cell("spawn", "flat", "thread", 1, 100, "", 5e4, metrics="primitive=thread-join", bare_ratio="0.5"),
        _cell("spawn", "flat", "bare", 1, 100, "primitive=thread-join", 1e5, metrics="primitive=thread-join"),
    ]


def _repetitions(value: float, spread: float) -> list[float]:
    return [value * (1 - spread), value, value * (1 + spread)]


def write_run(folder: Path, host: str, machine_id: str, cells: list[dict]) -> Path:
    """A run directory with results.csv, repetitions.csv and machine.json for `cells`."""
    folder.mkdir(parents=True, exist_ok=True)
    run_id = f"{host}-20261201T000000Z"
    base = {(c["workload"], c["variant"], c["tasks"]): c["value"] for c in cells
            if c["model"] == "sequential" and c["status"] == "ok"}
    results, repetitions = [], []
    for c in cells:
        ok = c["status"] == "ok"
        reps = _repetitions(c["value"], c["spread"]) if ok else []
        seq = base.get((c["workload"], c["variant"], c["tasks"]))
        speedup = c["value"] / seq if ok and seq else ""
        row = {name: "" for name in RESULTS_COLUMNS} | {
            "schema": "2", "run_id": run_id, "timestamp": "2026-12-01T00:00:00Z", "machine_id": machine_id,
            "host": host, "cpu_model": "Test CPU", "cpus": "2", "compiler": "GNU 12.2.0", "build_type": "Release",
            "git_sha": "abc", **{k: c[k] for k in ("workload", "variant", "model", "cores", "tasks", "params")},
            "status": c["status"], "reason": c["reason"], "verified": "true" if ok else "false",
            "repetitions": "3" if ok else "", "items": "100",
            "items_per_s": c["value"] if ok else "", "cv": f"{np.std(reps) / np.mean(reps):.4f}" if ok else "",
            "items_per_s_stddev": f"{np.std(reps):.4f}" if ok else "",
            "speedup": speedup, "efficiency": speedup / c["cores"] if speedup != "" else "",
            "bare_ratio": c["bare_ratio"], "metrics": c["metrics"],
        }
        results.append(row)
        for i, value in enumerate(reps):
            repetitions.append({name: "" for name in REPETITIONS_COLUMNS} | {
                "schema": "2", "run_id": run_id, "repetition": i, "iterations": 1, "items_per_s": value,
                **{k: c[k] for k in ("workload", "variant", "model", "cores", "tasks", "params")}})
    for name, columns, rows in (("results.csv", RESULTS_COLUMNS, results),
                                ("repetitions.csv", REPETITIONS_COLUMNS, repetitions)):
        with (folder / name).open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    (folder / "machine.json").write_text(json.dumps({"machine_id": machine_id, "host": host, "cpu_model": "Test CPU",
                                                     "cpus_online": 2, "run_id": run_id}))
    return folder


def lab(folder: Path) -> Path:
    return write_run(folder, "lab", "1111111111111111", lab_cells())


def second_machine(folder: Path) -> Path:
    return write_run(folder, "lab-b", "2222222222222222", [c for c in lab_cells(faster=1.5)
                                                             if c["workload"] == "parallel"])


# default_plan: a run shaped like the default plan (its cells from `concbench --list`), figures made up, statuses as a
# real default run on 2 CPUs gives them (44 unsupported, 11 deadlock): what makes a report's sections long is their
# cells, cases and cells not ok, not the figures.
_FACTOR = {"sequential": 1.0, "coroutine": 0.8, "coroutine-pool": 0.7, "fiber": 0.75, "fiber-ws": 0.65, "thread": 0.5,
           "tbb": 0.9, "gil": 0.3, "gil-legacy": 0.2, "bare": 1.5}
_WAITING = ("prodcons", "philosophers", "pingpong", "convoy")  # tasks that wait on each other


def _default_status(workload: str, variant: str, model: str, cores: int, tasks: int) -> tuple[str, str, str]:
    """(status, reason, metrics) of a default-plan cell, by the rules its real run follows."""
    if workload == "philosophers" and variant == "naive" and model not in ("sequential", "tbb"):
        return ("deadlock", "deadlocked in 5 of 5 trials; first: no meal for 200 ms while all 5 philosophers at the "
                "table were blocked (on a fork or the waiter)", "deadlock_share=1;trials=5")
    if model == "tbb" and workload in _WAITING and tasks > cores:
        return "unsupported", f"{tasks} tasks that wait on each other cannot interleave on {cores} tbb thread(s)", ""
    if workload == "convoy" and model in ("coroutine", "coroutine-pool"):
        return "unsupported", f"no binding of this workload for model {model}", ""
    if workload == "pingpong" and model == "sequential":
        return "unsupported", "sequential runs each task to its end: two tasks cannot alternate", ""
    if workload == "spawn" and tasks > 2000 and model in ("thread", "gil", "gil-legacy"):
        return "unsupported", f"skynet would start {tasks} OS threads (one per task; the limit here is 2000)", ""
    metrics = "deadlock_share=0;trials=5" if workload == "philosophers" and variant == "naive" else ""
    return "ok", "", metrics


def default_plan(folder: Path, plan: list[tuple[str, ...]]) -> Path:
    """A run of `plan`'s cells, (workload, variant, model, cores, tasks, params) as `concbench --list` prints them."""
    cells = []
    for index, (workload, variant, model, cores, tasks, params) in enumerate(plan):
        status, reason, metrics = _default_status(workload, variant, model, int(cores), int(tasks))
        value = 1e6 * _FACTOR.get(model, 0.6) * (1.6 if int(cores) > 1 else 1.0) * (1 + index % 7 / 50)
        floor = workload in ("parallel", "counter", "pingpong", "spawn", "prodcons") and model not in (
            "sequential", "bare")
        cells.append(_cell(workload, variant, model, int(cores), int(tasks), params, value if status == "ok" else None,
                           status, reason, metrics, bare_ratio="0.8" if floor and status == "ok" else ""))
    return write_run(folder, "vm", "3333333333333333", cells)
