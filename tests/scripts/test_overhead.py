"""concbench_data.overhead: every model cell beside its floor, overheads above the mark flagged."""

from __future__ import annotations

import math

import pandas as pd

from concbench_data.overhead import OVERHEAD_MARK, overhead_table


def _rows(*rows: dict) -> pd.DataFrame:
    base = {"source": "vm", "workload": "spawn", "variant": "flat", "case": "flat", "cores": 1, "metrics": "",
            "items_per_s": 1e6, "bare_ratio": math.nan}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_each_ratio_becomes_its_overhead_and_only_those_above_the_mark_are_flagged() -> None:
    results = _rows(
        {"model": "bare", "metrics": "", "items_per_s": 4e6},  # a floor: no ratio of its own, no line
        {"model": "fiber", "metrics": "primitive=fiber-join", "items_per_s": 2e6, "bare_ratio": 0.5},
        {"model": "coroutine", "metrics": "primitive=coroutine-join", "items_per_s": 3.6e6, "bare_ratio": 0.9},
        {"model": "tbb", "metrics": "primitive=tbb-task-group", "cores": 2, "bare_ratio": 1 / OVERHEAD_MARK},
    )
    table = overhead_table(results, multi=False)
    assert list(table["model"]) == ["coroutine", "fiber", "tbb"]  # the documented model order, bare left out
    assert list(table["floor"]) == ["coroutine-join", "fiber-join", "tbb-task-group"]
    assert list(table["overhead"]) == ["1.11×", "2.00×", "1.25×"]
    assert list(table[f"> {OVERHEAD_MARK}×"]) == ["", "yes", ""]  # exactly at the mark is not above it
    assert "machine" not in table.columns


def test_counter_rows_name_no_primitive_and_machines_are_shown_when_several() -> None:
    results = _rows(
        {"model": "thread", "workload": "counter", "variant": "atomic", "case": "atomic", "bare_ratio": 0.7},
        {"model": "thread", "workload": "counter", "variant": "atomic", "case": "atomic", "bare_ratio": 0.8,
         "source": "other"},
    )
    table = overhead_table(results, multi=True)
    assert list(table["machine"]) == ["other", "vm"]
    assert list(table["floor"]) == ["bare", "bare"]
    assert list(table["workload"]) == ["counter/atomic", "counter/atomic"]


def test_no_ratio_anywhere_gives_an_empty_table_with_the_columns() -> None:
    table = overhead_table(_rows({"model": "thread"}), multi=False)
    assert table.empty and "overhead" in table.columns


def test_unstable_cells_are_those_above_the_cv_threshold_worst_first() -> None:
    from concbench_data.stability import UNSTABLE_CV, system_warnings, unstable_table

    results = _rows(
        {"model": "thread", "status": "ok", "cv": UNSTABLE_CV, "tasks": 8, "params": "", "repetitions": 5},
        {"model": "fiber", "status": "ok", "cv": 0.4, "tasks": 8, "params": "", "repetitions": 5},
        {"model": "tbb", "status": "ok", "cv": 0.2, "tasks": 8, "params": "", "repetitions": 5},
        {"model": "gil", "status": "failed", "cv": float("nan"), "tasks": 8, "params": "", "repetitions": 5},
    )
    table = unstable_table(results, multi=False)
    assert list(table["model"]) == ["fiber", "tbb"]  # at the threshold is not above it
    assert list(table["cv"]) == ["0.40", "0.20"]
    checks = [{"check": "load", "state": "60 % busy", "level": "warning"},
              {"check": "virtualization", "state": "KVM", "level": "note"}]
    assert system_warnings(checks) == "load: 60 % busy"
    assert system_warnings(None) == ""
