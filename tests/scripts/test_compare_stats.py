"""Unit tests of concbench_data.compare_stats: the test, the interval, Holm, verdicts and pooling."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from test_compare import CPU_SEQ, CPU_THREAD, samples, write_run

from concbench_data import load_run
from concbench_data import compare_stats as cs


def test_smallest_two_sided_p_for_few_repetitions() -> None:
    assert cs.min_two_sided_p(3, 3) == pytest.approx(0.1)  # 2 / C(6, 3): 3 vs 3 never reaches 0.1
    assert cs.min_two_sided_p(5, 5) == pytest.approx(2 / 252)
    assert cs.min_two_sided_p(0, 5) == 1.0


@pytest.mark.parametrize("m, n", [(3, 3), (4, 6), (5, 5), (7, 3)])
def test_exact_u_distribution_matches_scipy(m: int, n: int) -> None:
    rng = np.random.default_rng(m * 10 + n)
    cdf = cs._u_cdf(m, n)
    assert cdf[-1] == pytest.approx(1.0)
    for _ in range(20):
        x, y = rng.normal(size=m), rng.normal(size=n) + 0.5
        u = stats.mannwhitneyu(x, y, method="exact").statistic
        lower = cdf[int(u)]
        upper = 1.0 - (cdf[int(u) - 1] if u >= 1 else 0.0)
        ours = min(1.0, 2 * min(lower, upper))
        assert ours == pytest.approx(stats.mannwhitneyu(x, y, alternative="two-sided", method="exact").pvalue)


def test_interval_order_statistics() -> None:
    assert cs._order_statistic_index(3, 3, 0.95) == 0  # no 95% interval from 3 vs 3
    assert cs._order_statistic_index(5, 5, 0.95) == 3  # the 3rd to the 23rd of 25 differences
    # Large samples use the normal approximation: m·n/2 − z·sqrt(m·n·(m+n+1)/12)
    assert cs._order_statistic_index(60, 60, 0.95) == math.floor(1800 - 1.959964 * math.sqrt(3600 * 121 / 12))


def test_hodges_lehmann_of_a_pure_shift() -> None:
    base = np.array([100.0, 101, 102, 103, 104, 105])
    estimate, low, high = cs.hodges_lehmann(base, base * 0.9)
    assert estimate == pytest.approx(0.9)
    assert low < 0.9 < high


def test_hodges_lehmann_interval_covers_95_percent() -> None:
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(400):
        base, new = rng.lognormal(0, 0.05, 10), rng.lognormal(math.log(0.9), 0.05, 10)
        _, low, high = cs.hodges_lehmann(base, new)
        hits += low <= 0.9 <= high
    assert 0.92 <= hits / 400 <= 0.99


def test_hodges_lehmann_needs_values() -> None:
    assert cs.hodges_lehmann(np.array([1.0]), np.array([1.0, 2.0])) is None
    _, low, high = cs.hodges_lehmann(np.array([1.0, 2, 3]), np.array([1.0, 2, 3]))
    assert math.isnan(low) and math.isnan(high)


def test_holm_step_down() -> None:
    adjusted = cs.holm([0.01, 0.04, math.nan, 0.03])
    assert list(adjusted[[0, 1, 3]]) == pytest.approx([0.03, 0.06, 0.06])  # 3·0.01, max(2·0.03, 0.04·1)
    assert math.isnan(adjusted[2])
    assert list(cs.holm([0.5, 0.9])) == pytest.approx([1.0, 1.0])


@pytest.mark.parametrize("change, p, verdict", [
    (-0.09, 0.001, "regression"), (0.09, 0.001, "improvement"), (-0.03, 0.001, "same"),
    (-0.09, 0.2, "same"), (-0.05, 0.01, "regression"), (-0.09, math.nan, "same"),
])
def test_verdict_needs_significance_and_the_minimum_effect(change: float, p: float, verdict: str) -> None:
    assert cs.verdict_of(change, p, threshold_pct=5.0, alpha=0.05) == verdict


def test_mann_whitney_on_identical_values_is_not_significant() -> None:
    assert cs.mann_whitney_p(np.ones(5), np.ones(5)) == 1.0
    assert math.isnan(cs.mann_whitney_p(np.ones(1), np.ones(5)))


# ---------------------------------------------------------------------------------------------
# Pooling one side.


def test_pool_counts_every_round_and_its_repetitions(tmp_path: Path) -> None:
    run = write_run(tmp_path / "side", {CPU_SEQ: samples(3e4, runs=4, reps=5), CPU_THREAD: samples(5e4, runs=4, reps=5)})
    pooled = cs.pool([load_run(run)])
    assert pooled.runs == 4 and pooled.build_types == ["Release"] and pooled.compilers == ["GNU 12.2.0"]
    assert list(pooled.cells["runs"]) == [4, 4]
    assert [len(v) for v in pooled.cells["values"]] == [20, 20]


def test_pool_of_several_inputs_equals_one_pooled_directory(tmp_path: Path) -> None:
    one = load_run(write_run(tmp_path / "one", {CPU_SEQ: samples(3e4, runs=2)}))
    two = load_run(write_run(tmp_path / "two", {CPU_SEQ: samples(3e4, runs=3, seed=1)}))
    pooled = cs.pool([one, two])
    assert pooled.runs == 5 and len(pooled.cells.loc[0, "values"]) == 25


def test_a_round_that_failed_makes_the_cell_failed(tmp_path: Path) -> None:
    ok = load_run(write_run(tmp_path / "ok", {CPU_SEQ: samples(3e4, runs=2)}))
    bad = load_run(write_run(tmp_path / "bad", {CPU_SEQ: samples(3e4, runs=1)}, status={CPU_SEQ: "crashed"}))
    cell = cs.pool([ok, bad]).cells.iloc[0]
    assert (cell["status"], cell["runs"], cell["bad_runs"]) == ("crashed", 3, 1)
    assert len(cell["values"]) == 10  # the ok rounds' values are kept, for the record


def test_resumed_run_keeps_the_newest_row_of_a_cell(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", {CPU_SEQ: samples(3e4, runs=1)})
    results = run / "results.csv"
    lines = results.read_text().splitlines()
    interrupted = lines[1].replace(",ok,", ",interrupted,").replace("T14:00:00Z", "T13:59:00Z")
    results.write_text("\n".join([lines[0], interrupted, lines[1]]) + "\n")  # interrupted first, then re-measured
    cell = cs.pool([load_run(run)]).cells.iloc[0]
    assert (cell["status"], cell["runs"]) == ("ok", 1)


def test_build_difference_names_what_differs(tmp_path: Path) -> None:
    release = cs.pool([load_run(write_run(tmp_path / "a", {CPU_SEQ: samples(3e4, runs=1)}))])
    debug = cs.pool([load_run(write_run(tmp_path / "b", {CPU_SEQ: samples(3e4, runs=1)}, build_type="Debug"))])
    assert cs.build_difference(release, release) == ""
    assert cs.build_difference(release, debug) == "build_type Release in base, Debug in new"
    mixed = cs.pool([load_run(tmp_path / "a"), load_run(tmp_path / "b")])
    assert cs.build_difference(mixed, release) == "base mixes build_types Debug / Release"


@pytest.mark.parametrize("n_base, n_new, tested, reachable", [
    (3, 3, 1, False),  # 2 / C(6, 3) = 0.1
    (1, 15, 1, False), (15, 0, 1, False),  # fewer than 2 values on a side
    (5, 5, 1, True), (5, 5, 6, True),  # 0.0079 · 6 = 0.048
    (5, 5, 7, False),  # 0.0079 · 7 = 0.056: Holm over 7 cells can never flag 5 vs 5
    (15, 15, 297, True),
])
def test_whether_a_cell_can_reach_significance(n_base: int, n_new: int, tested: int, reachable: bool) -> None:
    assert cs.can_reach_significance(n_base, n_new, tested, alpha=0.05) is reachable


@pytest.mark.parametrize("change, verdict", [
    (-0.30, "suspect"), (-0.05, "suspect"), (-0.049, "inconclusive"), (0.30, "inconclusive"), (math.nan, "inconclusive"),
])
def test_an_untestable_cell_is_suspect_only_when_the_threshold_slower(change: float, verdict: str) -> None:
    assert cs.untestable_verdict(change, threshold_pct=5.0) == verdict
