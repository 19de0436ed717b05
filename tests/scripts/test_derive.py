"""concbench_data.stats and concbench_data.derive: intervals, case labels, headline figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import HOST_A, METRICS, best_ok, fixture_row, fixture_rows

from concbench_data import derive, kv_number, load, stats


def test_median_ci_brackets_the_median_and_is_reproducible() -> None:
    values = [10.0, 11.0, 12.0, 13.0, 30.0]
    low, high = stats.median_ci(values)
    assert low <= 12.0 <= high
    assert stats.median_ci(values) == (low, high)  # fixed seed: the same chart twice


def test_intervals_need_two_values() -> None:
    assert stats.median_ci([5.0]) is None
    assert stats.ratio_ci([1.0, 2.0], [3.0]) is None


def test_ratio_ci_of_a_sample_against_itself_contains_one() -> None:
    values = [100.0, 101.0, 99.0, 100.5]
    low, high = stats.ratio_ci(values, values)
    assert low <= 1.0 <= high


def _prepared(*runs) -> pd.DataFrame:
    data = load(list(runs))
    return derive.add_case_labels(derive.add_intervals(data.results, data.repetitions))


def _row(results: pd.DataFrame, **key) -> pd.Series:
    mask = pd.Series(True, index=results.index)
    for column, value in key.items():
        mask &= results[column] == value
    assert mask.sum() == 1, key
    return results[mask].iloc[0]


def test_speedup_interval_brackets_the_speedup() -> None:
    results = _prepared(HOST_A)
    thread = _row(results, variant="cpu", model="thread", cores=2)
    assert thread["speedup_lo"] <= thread["speedup"] <= thread["speedup_hi"]
    assert thread["efficiency_lo"] == pytest.approx(thread["speedup_lo"] / 2)
    assert thread["items_per_s_interval"] == "repetitions"
    base = _row(results, variant="cpu", model="sequential", cores=1)
    assert math.isnan(base["speedup_lo"])  # 1 by definition, not a measurement


def test_rows_not_ok_get_no_figures() -> None:
    results = _prepared(HOST_A)
    timeout = _row(results, status="timeout", model="thread", cores=2)
    assert all(math.isnan(timeout[c]) for c in ("items_per_s_lo", "speedup_lo", "self_speedup"))


def test_without_repetitions_error_bars_come_from_the_stddev() -> None:
    data = load([HOST_A])
    results = derive.add_intervals(data.results, data.repetitions.iloc[0:0])
    row = _row(results, variant="cpu", model="thread", cores=2)
    assert row["items_per_s_interval"] == "stddev"
    assert row["items_per_s_hi"] == pytest.approx(row["items_per_s"] + row["items_per_s_stddev"])
    assert math.isnan(row["speedup_lo"])


def test_gil_gets_its_speedup_against_itself() -> None:
    results = _prepared(METRICS)
    params = next(r["params"] for r in fixture_rows(METRICS) if r["model"] == "gil" and "capacity=1;" in r["params"])
    one, two = (float(fixture_row(METRICS, model="gil", cores=cores, params=params)["items_per_s"]) for cores in (1, 2))
    gil = _row(results, model="gil", cores=2, params=params)
    assert gil["self_speedup"] == pytest.approx(two / one)
    assert gil["self_speedup_lo"] <= gil["self_speedup"] <= gil["self_speedup_hi"]


def test_case_labels_show_variant_and_swept_parameters_only() -> None:
    results = _prepared(HOST_A, METRICS)
    labels = results.groupby("workload")["case"].unique().map(sorted).to_dict()
    assert labels == {
        "parallel": ["cpu", "io"],  # work/wait_us follow from the variant: not a sweep
        "selftest": ["hang", "wrong"],  # no params at all
        "prodcons": ["NxN, capacity=1", "NxN, capacity=64"],  # one variant, a swept parameter
        "philosophers": ["naive", "ordered"],
    }


def test_sweep_values_sort_as_numbers() -> None:
    cases = [("w", "", 1, f"capacity={c}") for c in (64, 8, 1024, 1)]
    assert [c[3] for c in derive.cases(pd.DataFrame(cases, columns=["workload", "variant", "tasks", "params"]))] == [
        "capacity=1", "capacity=8", "capacity=64", "capacity=1024"]


def test_case_inputs_list_everything() -> None:
    assert derive.case_inputs(("parallel", "io", 8, "items=256;wait_us=1000")) == "tasks=8, items=256, wait_us=1000"


def test_headlines_note_every_row_not_ok() -> None:
    head = derive.headlines(_prepared(HOST_A))
    hang = _row(head, case="hang", model="thread")
    assert hang["top_status"] == "timeout" and math.isnan(hang["speedup"])
    assert hang["notes"] == (
        "1 core: timeout (killed after the 3 s timeout); 2 cores: timeout (killed after the 3 s timeout)")
    wrong = _row(head, case="wrong", model="sequential")
    assert wrong["top_status"] == "failed" and math.isnan(wrong["best_items_per_s"])
    reason = fixture_row(HOST_A, variant="wrong", model="sequential")["reason"]  # counts the runs it failed in
    assert reason.startswith("verification failed: sum 4, expected 3")
    assert wrong["notes"] == f"1 core: failed ({reason})"
    cpu_thread = _row(head, case="cpu", model="thread")
    best, best_cores = best_ok(HOST_A, variant="cpu", model="thread")  # the faster of its 1- and 2-core rows
    assert cpu_thread["best_items_per_s"] == best and cpu_thread["best_cores"] == best_cores
    # the speedup at the highest core count it ran, whichever was fastest
    top = fixture_row(HOST_A, variant="cpu", model="thread", cores=2)
    assert cpu_thread["top_cores"] == 2 and cpu_thread["speedup"] == float(top["speedup"])
    assert cpu_thread["notes"] == ""


def test_deadlock_share_comes_from_metrics() -> None:
    results = _prepared(METRICS)
    for row in fixture_rows(METRICS):
        if row["variant"] != "naive":
            continue
        share = _row(results, variant="naive", model=row["model"], cores=int(row["cores"]))["deadlock_share"]
        assert share == kv_number(row["metrics"], "deadlock_share"), row  # a share of the trials, 0 included
        assert (share > 0) == (row["status"] == "deadlock"), row
    assert _row(results, variant="naive", model="sequential")["deadlock_share"] == 0  # one at a time: never
    assert _row(results, variant="ordered", model="thread", cores=2)[["deadlock_share"]].isna().all()  # no trials


def test_an_empty_base_speedup_reads_as_one(tmp_path) -> None:
    # The binary may leave the sequential 1-core row's own speedup empty; it is 1 by definition.
    from conftest import read_csv, set_field, write_csv

    header, rows = read_csv(HOST_A / "results.csv")
    rows = [set_field(header, set_field(header, r, "speedup", ""), "efficiency", "")
            if r[header.index("model")] == "sequential" else r for r in rows]
    data = load([write_csv(tmp_path / "results.csv", header, rows)])
    results = derive.add_intervals(data.results, data.repetitions)
    base = _row(results, variant="cpu", model="sequential")
    assert base["speedup"] == 1.0 and base["efficiency"] == 1.0
    assert math.isnan(_row(results, variant="hang", model="thread", cores=2)["speedup"])  # timeout: still none
    assert math.isnan(_row(results, variant="hang", model="sequential")["speedup"])  # a base not ok is no 1


def test_a_models_own_parameters_stay_out_of_the_case() -> None:
    """gil_interval_us is on the gil rows only: the gil cell belongs to the same case as the others."""
    import pandas as pd
    from concbench_data import derive

    rows = pd.DataFrame({
        "workload": ["parallel"] * 3, "variant": ["cpu"] * 3, "tasks": [8] * 3,
        "model": ["sequential", "thread", "gil"],
        "params": ["items=64;work=10", "items=64;work=10", "gil_interval_us=5000;items=64;work=10"],
    })
    out = derive.with_case_params(rows)
    assert list(out["case_params"]) == ["items=64;work=10"] * 3
    assert len(derive.cases(rows)) == 1


def test_the_ratio_of_any_two_cells_with_its_interval() -> None:
    results = _prepared(HOST_A)
    thread = _row(results, variant="cpu", model="thread", cores=2)
    base = _row(results, variant="cpu", model="sequential", cores=1)
    samples = derive.repetition_samples(load([HOST_A]).repetitions)
    value, low, high = derive.ratio(thread, base, samples)
    assert value == pytest.approx(thread["items_per_s"] / base["items_per_s"])
    assert (low, high) == pytest.approx((thread["speedup_lo"], thread["speedup_hi"]))  # the speedup's own interval
    itself = derive.ratio(thread, thread, samples)
    assert itself[0] == 1.0 and math.isnan(itself[1]) and math.isnan(itself[2])  # a cell is not its own measurement
