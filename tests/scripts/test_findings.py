"""The findings: made-up runs with known answers (synthetic.py) and the sentences the report must write about them;
nothing stated that the data does not show."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import synthetic
from conftest import HOST_A

from concbench_charts.findings import Figures, findings_blocks
from concbench_data import derive, load
from concbench_data.report import to_text


def _findings(*runs: Path) -> tuple[Figures, str]:
    data = load(list(runs))
    results = derive.add_case_labels(derive.add_intervals(data.results, data.repetitions))
    figures = Figures.of(results, data.repetitions)
    return figures, to_text("findings", findings_blocks(results, figures, data.machines))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.lab(tmp_path_factory.mktemp("lab") / "run")


@pytest.fixture(scope="module")
def one(lab: Path) -> tuple[Figures, str]:
    return _findings(lab)


def _section(text: str, title: str) -> str:
    """The bullets under a findings subsection (to_text underlines titles with dashes)."""
    body = text.split(f"\n{title}\n{'-' * len(title)}\n", 1)[1]
    return re.split(r"\n[^\n]+\n-{3,}\n", body, maxsplit=1)[0]


def _winner(fastest: pd.DataFrame, case: str, cores: int) -> pd.Series:
    rows = fastest[(fastest["case"] == case) & (fastest["cores"] == cores)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_the_fastest_model_per_case_and_core_count_with_ties_and_never_a_floor(one) -> None:
    figures, text = one
    fastest = figures.fastest[figures.fastest["workload"] == "parallel"]
    assert "bare" not in set(fastest["model"]) and "bare" not in set(fastest["runner_up"])  # 500 items/s, a floor
    cpu1, cpu2, io2 = _winner(fastest, "cpu", 1), _winner(fastest, "cpu", 2), _winner(fastest, "io", 2)
    assert (cpu1["model"], cpu1["runner_up"], cpu1["tied"]) == ("sequential", "tbb", ())
    assert (cpu2["model"], cpu2["runner_up"], cpu2["tied"]) == ("thread", "tbb", ())
    assert cpu2["lead"] == pytest.approx(191 / 186)
    assert cpu2["lead_lo"] > 1  # 191 ± 1 % against 186 ± 1 %: clearly ahead
    assert (io2["model"], io2["tied"]) == ("thread", ("tbb",))  # 401 ± 1 % and 399 ± 5 % overlap
    which = _section(text, "Which model is fastest")
    assert re.search(
        r"- parallel: at 1 core: sequential fastest in 1 of 2 cases \(clearest: parallel cpu: 100 items/s "
        r"\[99\.0–101\], 1\.04× \[1\.0\d–1\.0\d\] the runner-up tbb\); clearly fastest elsewhere: thread in 1; "
        r"at 2 cores: thread fastest in 1 of 2 cases, tied for fastest in 1 \(clearest: parallel cpu: 191 items/s "
        r"\[189–193\], 1\.03× \[1\.0\d–1\.0\d\] the runner-up tbb\) — table\.", which), which


def test_a_one_core_model_competes_at_every_core_count(one) -> None:
    figures, text = one
    spawn = _winner(figures.fastest, "flat", 1)
    assert spawn["model"] == "sequential"
    naive2 = _winner(figures.fastest, "naive", 2)  # thread deadlocked: sequential's 1-core figure is the answer
    assert (naive2["model"], naive2["model_cores"], naive2["contenders"]) == ("sequential", 1, 1)
    assert ("philosophers: at 1 core: sequential the only model with an ok figure in 1 of 1 case (philosophers "
            "naive: 2.00 k items/s [1.98–2.02 k]); at 2 cores: sequential (on 1 core) the only model with an ok figure "
            "in 1 of 1 case (philosophers naive: 2.00 k items/s [1.98–2.02 k] (on 1 core))") in text


def test_what_a_second_core_buys(one) -> None:
    _, text = one
    section = _section(text, "What a second core buys")
    assert re.search(r"- thread \(4 cases\): clearly more throughput in 3, clearly less in 1; most: parallel cpu: "
                     r"2\.10× \[2\.0\d–2\.1\d\]; least: counter sharded-packed: 0\.500× \[0\.4\d\d–0\.5\d\d\]\.", section)
    assert re.search(r"- gil \(1 case\): clearly less in 1; parallel cpu: 0\.978× \[0\.9\d\d–0\.9\d\d\]\.", section)


def test_what_the_global_lock_costs(one) -> None:
    _, text = one
    section = _section(text, "What the global lock costs")
    assert re.search(r"- gil over thread, same case and cores \(2 cells\): clearly slower in 2; best: parallel cpu at "
                     r"1 core: 0\.505× \[[0-9.]+–[0-9.]+\]; worst: parallel cpu at 2 cores: 0\.236× ", section), section


def test_deadlocks_of_the_naive_philosophers(one) -> None:
    _, text = one
    assert ("- philosophers naive (3 trials per cell): deadlocked in every trial on thread (1 core); never deadlocked on "
            "sequential (1 core); in some trials on thread at 2 cores: 2 of 3 trials — rows.") in _section(
                text, "Naive philosophers: deadlocks")


def test_false_sharing_shows_at_two_cores_and_not_at_one(one) -> None:
    _, text = one
    section = _section(text, "False sharing")
    assert ("- at 1 core (1 model cell), sharded-packed against sharded: no clear difference in 1; no cell loses "
            "clearly") in section
    assert re.search(r"- at 2 cores \(1 model cell\), sharded-packed against sharded: clearly slower in 1; the clearest loss: "
                     r"thread \(tasks=2\): 0\.250× \[0\.24\d–0\.25\d\] \(500 items/s against 2\.00 k items/s\)\.", section)


def test_spawn_cost_per_task_and_the_floors(one) -> None:
    _, text = one
    assert ("- spawn flat (tasks=100), per task created and joined, cheapest first: sequential 10.0 ns [9.90–10.1]; "
            "coroutine 50.0 ns [49.5–50.5]; thread 20.0 µs [19.8–20.2] (floors, the bare primitive: thread-join "
            "10.0 µs) — rows.") in _section(text, "Spawn: cost per task")
    assert ("- 1 of 1 model cell with a floor takes more than 1.25× as long as the bare library primitive; the most: "
            "thread in spawn flat at 1 core: 2.00× the floor's time (bare_ratio 0.500)") in _section(
                text, "Against the floors")


def test_unstable_cells_are_named(one) -> None:
    _, text = one
    assert re.search(r"- 1 of 22 ok cells spread more than cv 0\.1 over their repetitions .*: the widest tbb in "
                     r"parallel io at 1 core \(cv 0\.24\)", _section(text, "Stability"))


def test_two_machines_are_compared_cell_by_cell(lab: Path, tmp_path: Path) -> None:
    figures, text = _findings(lab, synthetic.second_machine(tmp_path / "b"))
    machines = figures.machines
    thread = machines[(machines["case"] == "cpu") & (machines["model"] == "thread") & (machines["cores"] == 2)].iloc[0]
    assert thread["ratio"] == pytest.approx(1.5) and thread["verdict"] == "above"
    assert re.search(r"- parallel: lab-b over lab, same cell \(13 cells\): lab-b clearly faster in 1, no clear "
                     r"difference in 12; median 1\.00×; largest: thread cpu at 2 cores: 1\.50× \[1\.4\d–1\.5\d\]",
                     _section(text, "Machine against machine"))
    which = _section(text, "Which model is fastest")
    assert "- parallel on lab: at 1 core" in which and "- parallel on lab-b: at 1 core" in which


def test_nothing_is_stated_that_the_run_did_not_measure() -> None:
    """host-a ran parallel and selftest with sequential and thread only: no gil, counter, philosophers or spawn."""
    _, text = _findings(HOST_A)
    titles = re.findall(r"\n([^\n]+)\n-{3,}\n", text)
    assert titles == ["Findings", "Which model is fastest", "What a second core buys", "Stability"]
    assert "selftest" not in _section(text, "Which model is fastest")  # no ok cell there: nothing to rank


def test_figures_read_as_a_person_reads_them() -> None:
    from concbench_charts import fmt
    from concbench_data.comparisons import verdict

    assert fmt.rate(31064, 30500, 31600) == "31.1 k items/s [30.5–31.6 k]"
    assert fmt.times(1.8, 1.75, 1.9) == "1.80× [1.75–1.90]"  # three significant digits, zeros kept
    assert fmt.times(0.00885) == "0.00885×" and fmt.times(1234.5) == "1,234×"
    assert fmt.duration_ns(21489, 21282, 21891) == "21.5 µs [21.3–21.9]"
    assert fmt.interval_text(30500, 31600, "si") == "30.5 k–31.6 k" and fmt.rate(float("nan")) == ""
    assert [verdict(1.01, 1.2), verdict(0.8, 0.99), verdict(0.9, 1.1), verdict(float("nan"), 1.0)] == [
        "above", "below", "tied", ""]


def test_a_workloads_inputs_are_said_once() -> None:
    from concbench_charts.sections import cases_text

    data = load([HOST_A])
    rows = derive.add_case_labels(derive.add_intervals(data.results, data.repetitions))
    parallel = rows[rows["workload"] == "parallel"]
    assert cases_text(parallel) == ("2 cases, a panel each. Every case: tasks=8, items=64. By variant: cpu: "
                                    "work=10000; io: wait_us=1000.")
