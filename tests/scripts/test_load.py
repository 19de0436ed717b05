"""concbench_data.load: reading, validating, migrating and merging results."""

from __future__ import annotations

import math
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import (HOST_A, HOST_A_NAME, HOST_B, HOST_B_NAME, LEGACY_V1, METRICS, fixture_row, fixture_rows,
                      machine, read_csv, set_field, write_csv)

import concbench_data
from concbench_data import KEY, LoadError, load, load_run, match_by_key


def test_the_fixtures_hold_what_the_tests_rely_on() -> None:
    """regenerate.sh remakes run-host-a and run-host-b: their plan and statuses must stay these."""
    statuses = [(r["workload"], r["variant"], r["model"], r["cores"], r["status"]) for r in fixture_rows(HOST_A)]
    assert statuses == [
        ("parallel", variant, model, cores, "ok")
        for variant in ("cpu", "io") for model, cores in (("sequential", "1"), ("thread", "1"), ("thread", "2"))
    ] + [
        ("selftest", variant, model, cores, status)
        for variant, status in (("wrong", "failed"), ("hang", "timeout"))
        for model, cores in (("sequential", "1"), ("thread", "1"), ("thread", "2"))
    ]
    assert [r[:4] for r in statuses[:6]] == [
        (r["workload"], r["variant"], r["model"], r["cores"]) for r in fixture_rows(HOST_B)]
    assert {r["status"] for r in fixture_rows(HOST_B)} == {"ok"}
    assert HOST_B_NAME == "host-b" and HOST_A_NAME != HOST_B_NAME
    assert machine(HOST_A)["machine_id"] != machine(HOST_B)["machine_id"]
    assert {r["host"] for r in fixture_rows(METRICS)} == {HOST_A_NAME}  # a later run on host-a's machine
    assert {r["machine_id"] for r in fixture_rows(METRICS)} == {machine(HOST_A)["machine_id"]}
    assert machine(METRICS)["started"] > machine(HOST_A)["started"]
    models = (("sequential", "1"), ("thread", "1"), ("thread", "2"), ("gil", "1"), ("gil", "2"))
    cells = [(r["workload"], r["variant"], r["model"], r["cores"], concbench_data.parse_kv(r["params"]).get("capacity"))
             for r in fixture_rows(METRICS)]
    assert cells == [("prodcons", "NxN", m, c, capacity) for capacity in ("1", "64") for m, c in models] + [
        ("philosophers", variant, m, c, None) for variant in ("ordered", "naive") for m, c in models]
    # Every cell ok but naive on thread and gil, which deadlocks as timing allows (at least once: regenerate.sh).
    chance = [r["status"] for r in fixture_rows(METRICS) if r["variant"] == "naive" and r["model"] != "sequential"]
    others = [r["status"] for r in fixture_rows(METRICS) if r["variant"] != "naive" or r["model"] == "sequential"]
    assert set(others) == {"ok"} and set(chance) <= {"ok", "deadlock"} and "deadlock" in chance
    prodcons = [r for r in fixture_rows(METRICS) if r["workload"] == "prodcons"]
    assert all(r["latency_p50_us"] and r["latency_p99_us"] for r in prodcons)
    assert all(r["fairness"] for r in fixture_rows(METRICS) if r["status"] == "ok" and r["workload"] == "philosophers")


def test_run_directory_loads_all_three_files() -> None:
    run = load_run(HOST_A)
    assert len(run.results) == 12
    assert len(run.repetitions) == 18  # 6 ok cells x 3 repetitions (--quick)
    assert run.machine["machine_id"] == fixture_rows(HOST_A)[0]["machine_id"]
    assert run.machine["run_id"] == fixture_rows(HOST_A)[0]["run_id"]


def test_types_follow_the_schema() -> None:
    results = load_run(HOST_A).results
    assert results["cores"].dtype.kind == "i" and results["tasks"].dtype.kind == "i"
    assert results["items_per_s"].dtype.kind == "f"
    timeout = results[results["status"] == "timeout"].iloc[0]
    assert math.isnan(timeout["items_per_s"])  # empty means not measured: NaN, never 0
    assert timeout["verified"] is False
    assert timeout["reason"] == "killed after the 3 s timeout"
    failed = results[results["status"] == "failed"].iloc[0]
    reason = fixture_row(HOST_A, variant="wrong", model="sequential")["reason"]  # "…, expected 3 (in N of N runs)"
    assert reason.startswith("verification failed: sum 4, expected 3") and f'"{reason}"' in (
        HOST_A / "results.csv").read_text()
    assert failed["reason"] == reason  # quoted comma kept


def test_a_results_csv_path_brings_its_siblings(tmp_path: Path) -> None:
    assert len(load_run(HOST_A / "results.csv").repetitions) == 18
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
    names = sorted([HOST_A_NAME, HOST_B_NAME])
    assert sorted(data.results["source"].unique()) == names
    assert len(data.results) == 12 + 6 and data.superseded.empty
    assert set(data.machines) == set(names)
    wide = match_by_key(data.results)
    assert list(wide.columns) == names and len(wide) == 12  # 6 parallel cells on both, 6 selftest on host-a
    io_key = ("parallel", "io", "thread", 2, 8, "items=64;wait_us=1000")
    io_thread = wide.loc[io_key]
    for run, name in ((HOST_A, HOST_A_NAME), (HOST_B, HOST_B_NAME)):
        assert io_thread[name] == float(fixture_row(run, variant="io", model="thread", cores=2)["items_per_s"])
    hang = wide.loc[("selftest", "hang", "thread", 2, 2, "")]
    assert math.isnan(hang[HOST_A_NAME])  # a timeout: nothing measured
    assert math.isnan(hang[HOST_B_NAME])  # not run on host-b


def test_runs_of_one_machine_form_one_source() -> None:
    data = load([HOST_A, METRICS])
    assert list(data.results["source"].unique()) == [HOST_A_NAME]
    assert len(data.results) == len(fixture_rows(HOST_A)) + len(fixture_rows(METRICS)) and data.superseded.empty
    assert data.machines[HOST_A_NAME]["run_id"] == machine(METRICS)["run_id"]  # the later input's
    assert machine(METRICS)["run_id"] != machine(HOST_A)["run_id"]


def test_the_same_run_twice_keeps_one_row_per_cell() -> None:
    data = load([HOST_A, HOST_A])
    assert len(data.results) == 12 and len(data.superseded) == 12
    assert len(data.repetitions) == 18


def test_a_resumed_cell_supersedes_the_row_it_replaces(tmp_path: Path) -> None:
    header, rows = read_csv(HOST_A / "results.csv")
    column = {name: header.index(name) for name in ("variant", "model", "cores", "timestamp")}
    find = lambda variant, cores: next(r for r in rows if (r[column["variant"]], r[column["model"]], r[column["cores"]])
                                       == (variant, "thread", str(cores)))
    ok = find("cpu", 2)  # reuse its measured fields for the re-run hang cell
    rerun = list(find("hang", 2))  # a timeout row
    for name in ("status", "reason", "verified", "items_per_s", "speedup"):
        rerun = set_field(header, rerun, name, ok[header.index(name)])
    last = datetime.strptime(max(r[column["timestamp"]] for r in rows), "%Y-%m-%dT%H:%M:%SZ")
    later = (last + timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ")  # resumed after the run ended
    rerun = set_field(header, rerun, "timestamp", later)
    path = write_csv(tmp_path / "results.csv", header, rows + [rerun])
    data = load([path])
    cell = data.results[(data.results["variant"] == "hang") & (data.results["cores"] == 2)]
    assert list(cell["status"]) == ["ok"]
    assert list(data.superseded["status"]) == ["timeout"]


def test_one_host_name_on_two_machines_gets_both_ids(tmp_path: Path) -> None:
    header, rows = read_csv(HOST_B / "results.csv")
    rows = [set_field(header, r, "host", HOST_A_NAME) for r in rows]
    other = write_csv(tmp_path / "results.csv", header, rows)
    sources = sorted(load([HOST_A, other]).results["source"].unique())
    assert sources == sorted(f"{HOST_A_NAME} ({machine(run)['machine_id'][:8]})" for run in (HOST_A, HOST_B))


def _with_schema(tmp_path: Path, version: str, rename: dict[str, str] | None = None) -> Path:
    header, rows = read_csv(HOST_A / "results.csv")
    rows = [set_field(header, r, "schema", version) for r in rows]
    header = [(rename or {}).get(name, name) for name in header]
    return write_csv(tmp_path / "results.csv", header, rows)


def test_unknown_version_is_refused(tmp_path: Path) -> None:
    path = _with_schema(tmp_path, "0")
    with pytest.raises(LoadError, match=r"unknown schema version 0 \(this loader reads versions 1, 2\)"):
        load_run(path)


def test_old_versions_go_through_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pretend version 0 called the throughput column "throughput".
    def v0_to_v1(table: pd.DataFrame, kind: str) -> pd.DataFrame:
        return table.rename(columns={"throughput": "items_per_s"})

    monkeypatch.setitem(concbench_data.MIGRATIONS, 0, v0_to_v1)
    path = _with_schema(tmp_path, "0", rename={"items_per_s": "throughput"})
    results = load_run(path).results
    assert set(results["schema"]) == {concbench_data.schema.CURRENT_SCHEMA}  # through 0→1, then every later step
    assert results["items_per_s"].notna().sum() == 6  # the 6 ok cells


def test_a_real_version_1_run_migrates_to_version_2() -> None:
    # LEGACY_V1 was written by a schema-1 binary: no bare_ratio column at all.
    header, _ = read_csv(LEGACY_V1 / "results.csv")
    assert "bare_ratio" not in header and "efficiency" in header
    results = load_run(LEGACY_V1).results
    assert set(results["schema"]) == {2}
    assert "bare_ratio" in results.columns
    assert results["bare_ratio"].isna().all()  # not measured by version 1, never made up
    assert results["items_per_s"].notna().any()  # the rest of the row is kept
    # `iterations` moved out of `metrics` into its own column, the other metrics left as they were.
    _, rows = read_csv(LEGACY_V1 / "results.csv")
    old_metrics = [row[header.index("metrics")] for row in rows]
    assert all("iterations=" in text for text, status in zip(old_metrics, results["status"]) if status == "ok")
    ok = results[results["status"] == "ok"]
    assert (ok["iterations"] > 0).all()
    assert not results["metrics"].fillna("").str.contains("iterations=").any()
    assert list(results["metrics"].fillna("")) == [
        ";".join(p for p in text.split(";") if p and not p.startswith("iterations=")) for text in old_metrics]


def test_expand_gives_typed_columns_for_params_and_metrics() -> None:
    results = load([HOST_A], expand=True).results
    assert results["param.items"].dtype.kind in "if" and set(results["param.items"].dropna()) == {64}
    assert results["metric.mapping"].dtype == object  # text stays text
    thread = results[(results["model"] == "thread") & (results["workload"] == "parallel")]
    assert (thread["metric.mapping"].notna()).all()
    sequential = results[results["model"] == "sequential"]
    assert sequential["metric.mapping"].isna().all()  # not applicable: NaN, never a made-up value
    assert "param.items" not in load([HOST_A]).results.columns  # only when asked for


def test_a_file_may_mix_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header, rows = read_csv(HOST_A / "results.csv")
    cpus = int(rows[1][header.index("cpus")])
    migrated = cpus + 2  # a value the fixture does not have, whatever machine it came from
    monkeypatch.setitem(concbench_data.MIGRATIONS, 0, lambda table, kind: table.assign(cpus=str(migrated)))
    rows[0] = set_field(header, rows[0], "schema", "0")
    results = load_run(write_csv(tmp_path / "results.csv", header, rows)).results
    assert list(results["cpus"]) == [migrated] + [cpus] * 11  # only the old row migrated, order kept


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
