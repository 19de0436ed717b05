"""concbench_data.load: reading, validating, migrating and merging results."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import HOST_A, HOST_B, METRICS, read_csv, set_field, write_csv

import concbench_data
from concbench_data import KEY, LoadError, load, load_run, match_by_key


def test_run_directory_loads_all_three_files() -> None:
    run = load_run(HOST_A)
    assert len(run.results) == 6
    assert len(run.repetitions) == 12  # 4 ok cells x 3 repetitions
    assert run.machine["machine_id"] == "3f9c2a71d04be865"


def test_types_follow_the_schema() -> None:
    results = load_run(HOST_A).results
    assert results["cores"].dtype.kind == "i" and results["tasks"].dtype.kind == "i"
    assert results["items_per_s"].dtype.kind == "f"
    timeout = results[results["status"] == "timeout"].iloc[0]
    assert math.isnan(timeout["items_per_s"])  # empty means not measured: NaN, never 0
    assert timeout["verified"] is False
    assert timeout["reason"] == "killed by the watchdog after 30 s, the cell's limit"  # quoted comma kept


def test_a_results_csv_path_brings_its_siblings(tmp_path: Path) -> None:
    assert len(load_run(HOST_A / "results.csv").repetitions) == 12
    alone = tmp_path / "host-a.csv"
    shutil.copy(HOST_A / "results.csv", alone)
    run = load_run(alone)
    assert run.repetitions.empty and run.machine is None


def test_missing_optional_columns_are_added_empty(tmp_path: Path) -> None:
    header, rows = read_csv(HOST_A / "results.csv")
    keep = [i for i, name in enumerate(header) if name not in ("fairness", "metrics")]
    path = write_csv(tmp_path / "results.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    results = load_run(path).results
    assert results["fairness"].isna().all() and set(results["metrics"]) == {""}


def test_two_hosts_merge_by_key() -> None:
    data = load([HOST_A, HOST_B])
    assert sorted(data.results["source"].unique()) == ["host-a", "host-b"]
    assert len(data.results) == 12 and data.superseded.empty
    assert set(data.machines) == {"host-a", "host-b"}
    wide = match_by_key(data.results)
    assert list(wide.columns) == ["host-a", "host-b"] and len(wide) == 6
    io_thread = wide.loc[("parallel", "io", "thread", 2, 8, "items=256;wait_us=1000")]
    assert math.isnan(io_thread["host-a"]) and io_thread["host-b"] == pytest.approx(7880.4)


def test_runs_of_one_machine_form_one_source() -> None:
    data = load([HOST_A, METRICS])
    assert list(data.results["source"].unique()) == ["host-a"]
    assert len(data.results) == 6 + 16 and data.superseded.empty
    assert data.machines["host-a"]["run_id"] == "host-a-20261125T135518Z"  # the later input's


def test_the_same_run_twice_keeps_one_row_per_cell() -> None:
    data = load([HOST_A, HOST_A])
    assert len(data.results) == 6 and len(data.superseded) == 6
    assert len(data.repetitions) == 12


def test_a_resumed_cell_supersedes_the_row_it_replaces(tmp_path: Path) -> None:
    header, rows = read_csv(HOST_A / "results.csv")
    ok = rows[2]  # parallel/cpu/thread/2: reuse its measured fields for the re-run io cell
    rerun = list(rows[5])  # the timeout row
    for column in ("status", "reason", "verified", "items_per_s", "speedup"):
        rerun = set_field(header, rerun, column, ok[header.index(column)])
    rerun = set_field(header, rerun, "timestamp", "2026-11-25T14:02:00Z")
    path = write_csv(tmp_path / "results.csv", header, rows + [rerun])
    data = load([path])
    cell = data.results[(data.results["variant"] == "io") & (data.results["cores"] == 2)]
    assert list(cell["status"]) == ["ok"]
    assert list(data.superseded["status"]) == ["timeout"]


def test_one_host_name_on_two_machines_gets_both_ids(tmp_path: Path) -> None:
    header, rows = read_csv(HOST_B / "results.csv")
    rows = [set_field(header, r, "host", "host-a") for r in rows]
    other = write_csv(tmp_path / "results.csv", header, rows)
    sources = sorted(load([HOST_A, other]).results["source"].unique())
    assert sources == ["host-a (3f9c2a71)", "host-a (a07e55c1)"]


def _with_schema(tmp_path: Path, version: str, rename: dict[str, str] | None = None) -> Path:
    header, rows = read_csv(HOST_A / "results.csv")
    rows = [set_field(header, r, "schema", version) for r in rows]
    header = [(rename or {}).get(name, name) for name in header]
    return write_csv(tmp_path / "results.csv", header, rows)


def test_unknown_version_is_refused(tmp_path: Path) -> None:
    path = _with_schema(tmp_path, "0")
    with pytest.raises(LoadError, match=r"unknown schema version 0 \(this loader reads version 1\)"):
        load_run(path)


def test_old_versions_go_through_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pretend version 0 called the throughput column "throughput".
    def v0_to_v1(table: pd.DataFrame, kind: str) -> pd.DataFrame:
        return table.rename(columns={"throughput": "items_per_s"})

    monkeypatch.setitem(concbench_data.MIGRATIONS, 0, v0_to_v1)
    path = _with_schema(tmp_path, "0", rename={"items_per_s": "throughput"})
    results = load_run(path).results
    assert set(results["schema"]) == {1}
    assert results["items_per_s"].notna().sum() == 4


def test_a_file_may_mix_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(concbench_data.MIGRATIONS, 0, lambda table, kind: table.assign(cpus="4"))
    header, rows = read_csv(HOST_A / "results.csv")
    rows[0] = set_field(header, rows[0], "schema", "0")
    results = load_run(write_csv(tmp_path / "results.csv", header, rows)).results
    assert list(results["cpus"]) == [4, 2, 2, 2, 2, 2]  # only the old row migrated, order kept


def test_kv_fields() -> None:
    assert concbench_data.parse_kv("items=256;wait_us=1000") == {"items": "256", "wait_us": "1000"}
    assert concbench_data.parse_kv("") == {}
    assert concbench_data.kv_number("deadlock_share=0.25;seed=7", "deadlock_share") == 0.25
    assert math.isnan(concbench_data.kv_number("mapping=thread-per-task", "mapping"))


def test_model_order_puts_known_models_first() -> None:
    assert concbench_data.model_order(["zeta", "thread", "sequential", "alpha"]) == [
        "sequential", "thread", "alpha", "zeta"]


def test_key_is_the_documented_cell_key() -> None:
    assert KEY == ("workload", "variant", "model", "cores", "tasks", "params")
