"""scripts/compare.py end to end on synthetic runs: verdicts, exit codes, formats, bad input, build refusal.

The runs are written here (see `write_run`), shaped as concbench writes them (docs/csv-schema.md),
with repetition values drawn from a seeded generator around known means, so each test knows the
true difference: none, 3% (noise level), 20%.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import compare  # noqa: E402  (scripts/compare.py)
from concbench_data.schema import CURRENT_SCHEMA, REPETITIONS_COLUMNS, RESULTS_COLUMNS  # noqa: E402

COMPARE = ROOT / "scripts" / "compare.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # real --quick runs (fixtures/README.md)
PYTHON = sys.executable


@dataclass(frozen=True)
class Cell:
    workload: str = "parallel"
    variant: str = "cpu"
    model: str = "thread"
    cores: int = 2
    tasks: int = 8
    params: str = "items=64;work=10000"

    @property
    def key(self) -> list[str]:
        return [self.workload, self.variant, self.model, str(self.cores), str(self.tasks), self.params]


CPU_SEQ = Cell(model="sequential", cores=1)
CPU_THREAD = Cell()
IO_THREAD = Cell(variant="io", params="items=64;wait_us=1000")
PLAN = (CPU_SEQ, CPU_THREAD, IO_THREAD)


def samples(mean: float, runs: int = 5, reps: int = 5, noise: float = 0.02, seed: int = 0) -> list[list[float]]:
    """runs × reps throughput values around `mean` (relative sd `noise`, seeded)."""
    rng = np.random.default_rng(seed)
    return [list(mean * (1 + noise * rng.standard_normal(reps))) for _ in range(runs)]


def write_csv(path: Path, header: Sequence[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue())


def write_run(
    directory: Path,
    cells: dict[Cell, list[list[float]]],
    *,
    build_type: str = "Release",
    compiler: str = "GNU 12.2.0",
    machine_id: str = "e8bde9fc975e6aba",
    status: dict[Cell, str] | None = None,
    repetitions: bool = True,
) -> Path:
    """A run directory with one row group per run (round): results.csv, repetitions.csv, machine.json.

    `cells` maps each cell to its runs' repetition values; `status` makes a cell not ok in every run.
    """
    directory.mkdir(parents=True, exist_ok=True)
    status = status or {}
    results, reps = [], []
    runs = max(len(v) for v in cells.values())
    for run in range(runs):
        run_id = f"{directory.name}-r{run + 1:02d}"
        for cell, values in cells.items():
            if run >= len(values):
                continue
            ok = status.get(cell, "ok") == "ok"
            row = {name: "" for name in RESULTS_COLUMNS}
            row.update(zip(("workload", "variant", "model", "cores", "tasks", "params"), cell.key))
            row.update(schema=str(CURRENT_SCHEMA), run_id=run_id, timestamp=f"2026-11-25T14:{run:02d}:00Z", machine_id=machine_id,
                       host="vm", cpu_model="AMD EPYC", cpus="2", compiler=compiler, build_type=build_type,
                       git_sha="abc123", status=status.get(cell, "ok"), verified="true" if ok else "false",
                       reason="" if ok else "checksum mismatch, expected 42", iterations="10")
            if ok:
                row.update(repetitions=str(len(values[run])), items_per_s=f"{np.median(values[run]):.6g}")
                for index, value in enumerate(values[run]):
                    rep = {name: "" for name in REPETITIONS_COLUMNS}
                    rep.update(zip(("workload", "variant", "model", "cores", "tasks", "params"), cell.key))
                    rep.update(schema=str(CURRENT_SCHEMA), run_id=run_id, repetition=str(index), iterations="10",
                               items_per_s=f"{value:.6g}")
                    reps.append(rep)
            results.append(row)
    write_csv(directory / "results.csv", RESULTS_COLUMNS, results)
    if repetitions:
        write_csv(directory / "repetitions.csv", REPETITIONS_COLUMNS, reps)
    machine = {"machine_id": machine_id, "host": "vm", "build_type": build_type, "compiler": compiler}
    (directory / "machine.json").write_text(json.dumps(machine))
    return directory


def pair(tmp: Path, changes: dict[Cell, float], **new_options) -> tuple[Path, Path]:
    """BASE and NEW runs of PLAN; NEW's mean of each cell is scaled by 1 + changes.get(cell, 0)."""
    means = {CPU_SEQ: 34000.0, CPU_THREAD: 50000.0, IO_THREAD: 7500.0}
    base = {cell: samples(mean, seed=i) for i, (cell, mean) in enumerate(means.items())}
    new = {cell: samples(mean * (1 + changes.get(cell, 0.0)), seed=100 + i) for i, (cell, mean) in enumerate(means.items())}
    return write_run(tmp / "base", base), write_run(tmp / "new", new, **new_options)


def run_main(capsys: pytest.CaptureFixture, *argv: object) -> tuple[int, str, str]:
    status = compare.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def verdicts(tmp: Path, capsys: pytest.CaptureFixture, base: Path, new: Path, *extra: str) -> tuple[int, dict]:
    status, out, _ = run_main(capsys, base, new, "--format", "json", *extra)
    document = json.loads(out)
    return status, {(c["workload"], c["variant"], c["model"], c["cores"]): c for c in document["cells"]}


def key(cell: Cell) -> tuple:
    return (cell.workload, cell.variant, cell.model, cell.cores)


# ---------------------------------------------------------------------------------------------
# Known differences.


def test_no_change_is_same_and_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, cells = verdicts(tmp_path, capsys, *pair(tmp_path, {}))
    assert status == 0
    assert {c["verdict"] for c in cells.values()} == {"same"}


def test_noise_level_change_of_3_percent_is_same(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, cells = verdicts(tmp_path, capsys, *pair(tmp_path, {CPU_THREAD: -0.03}))
    assert status == 0
    cell = cells[key(CPU_THREAD)]
    assert cell["verdict"] == "same"
    assert -4.5 < cell["change_pct"] < -1.5
    # 25 vs 25 values of 2% noise: a 3% shift is real and significant, but below the 5% minimum effect.
    assert cell["p_holm"] < 0.05 and "within ±5%" in cell["note"]


def test_20_percent_slower_is_a_regression_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, cells = verdicts(tmp_path, capsys, *pair(tmp_path, {CPU_THREAD: -0.20}))
    assert status == 1
    cell = cells[key(CPU_THREAD)]
    assert cell["verdict"] == "regression"
    assert -22 < cell["change_pct"] < -18
    assert cell["ci_low_pct"] < cell["change_pct"] < cell["ci_high_pct"] < -15
    assert cells[key(CPU_SEQ)]["verdict"] == cells[key(IO_THREAD)]["verdict"] == "same"


def test_20_percent_faster_is_an_improvement_and_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, cells = verdicts(tmp_path, capsys, *pair(tmp_path, {IO_THREAD: 0.20}))
    assert status == 0
    assert cells[key(IO_THREAD)]["verdict"] == "improvement"


def test_threshold_decides_a_small_significant_change(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    base, new = pair(tmp_path, {CPU_THREAD: -0.03})
    status, cells = verdicts(tmp_path, capsys, base, new, "--threshold", "2")
    assert status == 1 and cells[key(CPU_THREAD)]["verdict"] == "regression"


def test_alpha_decides_a_borderline_change(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    base, new = pair(tmp_path, {CPU_THREAD: -0.20})
    # 25 vs 25 values can reach p = 1.6e-14 (3 cells: Holm asks < alpha / 3); the test gives 1.4e-9.
    status, cells = verdicts(tmp_path, capsys, base, new, "--alpha", "1e-12")
    assert status == 0 and cells[key(CPU_THREAD)]["verdict"] == "same"
    assert cells[key(CPU_THREAD)]["note"] == "beyond ±5% but not significant"


def test_an_alpha_no_sample_size_can_reach_leaves_every_cell_untested(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture) -> None:
    """alpha 1e-30: no 25 vs 25 comparison can be flagged, so nothing is `same` and the 20% drop is suspect."""
    base, new = pair(tmp_path, {CPU_THREAD: -0.20})
    status, cells = verdicts(tmp_path, capsys, base, new, "--alpha", "1e-30")
    assert status == 3 and cells[key(CPU_THREAD)]["verdict"] == "suspect"
    assert {cells[key(c)]["verdict"] for c in (CPU_SEQ, IO_THREAD)} == {"inconclusive"}
    assert cells[key(CPU_SEQ)]["note"].startswith("cannot reach significance: 25 vs 25 values give p ≥ 1.6e-14")


def test_markdown_table_for_a_pull_request(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, out, err = run_main(capsys, *pair(tmp_path, {CPU_THREAD: -0.20}))
    assert status == 1 and err == ""
    assert out.startswith("### concbench comparison: 1 regression · 2 same\n")
    assert "| verdict | cell | base items/s | new items/s | change | 95% interval | p (Holm) | n base/new | note |" in out
    row = next(line for line in out.splitlines() if line.startswith("| **regression**"))
    assert "parallel/cpu thread cores=2 tasks=8 items=64;work=10000" in row and "| 25/25 |" in row
    assert "one value per repetition; n = repetitions" in out
    assert "Holm-corrected over 3 tested cell(s), alpha 0.05, minimum effect ±5%" in out
    assert out.index("**regression**") < out.index("| same |")  # regressions first


def test_csv_format_has_one_row_per_cell(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, out, _ = run_main(capsys, *pair(tmp_path, {CPU_THREAD: -0.20}), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 1 and len(rows) == 3
    assert rows[0]["verdict"] == "regression" and float(rows[0]["change_pct"]) < -15
    assert {"p_value", "p_holm", "ci_low_pct", "ci_high_pct", "n_base", "n_new", "runs_base"} <= set(rows[0])


def test_json_summary(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, out, _ = run_main(capsys, *pair(tmp_path, {CPU_THREAD: -0.20}), "--format", "json")
    document = json.loads(out)
    assert document["summary"]["regression"] == 1 and document["summary"]["exit_status"] == status == 1
    assert document["settings"]["correction"] == "Holm" and document["base"]["runs"] == 5


def test_unit_run_tests_one_value_per_process(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Three of five new processes 6-8% slow, two not: pooled repetitions call it a regression, the
    per-run test (5 vs 5 process medians that overlap) does not."""
    base = write_run(tmp_path / "base", {CPU_THREAD: samples(5e4, noise=0.01)})
    luck = [0.92, 0.93, 0.94, 1.0, 1.01]  # one factor per process: what the process shared
    runs = [[v * f for v in run] for run, f in zip(samples(5e4, noise=0.01, seed=9), luck)]
    new = write_run(tmp_path / "new", {CPU_THREAD: runs})
    status, cells = verdicts(tmp_path, capsys, base, new)
    assert status == 1 and cells[key(CPU_THREAD)]["verdict"] == "regression"
    assert cells[key(CPU_THREAD)]["n_base"] == 25
    status, out, _ = run_main(capsys, base, new, "--unit", "run")
    assert status == 0 and "one value per run (process): the median of its repetitions; n = runs" in out
    assert "| same | parallel/cpu thread cores=2" in out and "| 5/5 |" in out


# ---------------------------------------------------------------------------------------------
# Cells on one side only, cells not ok.


def test_missing_new_and_failed_cells(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    only_base, only_new = Cell(variant="io", model="sequential", cores=1, params="items=64;wait_us=1000"), Cell(cores=1)
    base = write_run(tmp_path / "base", {CPU_SEQ: samples(3e4), CPU_THREAD: samples(5e4), only_base: samples(900)})
    new = write_run(tmp_path / "new", {CPU_SEQ: samples(3e4, seed=1), CPU_THREAD: samples(5e4), only_new: samples(3e4)},
                    status={CPU_THREAD: "failed"})
    status, cells = verdicts(tmp_path, capsys, base, new)
    assert status == 0  # only a significant regression fails the comparison
    assert cells[key(only_base)]["verdict"] == "missing"
    assert cells[key(only_new)]["verdict"] == "new"
    failed = cells[key(CPU_THREAD)]
    assert failed["verdict"] == "failed" and failed["new_status"] == "failed"
    assert "new failed in 5 of 5 runs: checksum mismatch, expected 42" == failed["note"]
    assert cells[key(CPU_SEQ)]["verdict"] == "same"


def test_failed_in_base_and_ok_now_is_new(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    base = write_run(tmp_path / "base", {CPU_SEQ: samples(3e4)}, status={CPU_SEQ: "timeout"})
    new = write_run(tmp_path / "new", {CPU_SEQ: samples(3e4)})
    _, cells = verdicts(tmp_path, capsys, base, new)
    assert cells[key(CPU_SEQ)]["verdict"] == "new" and "base timeout" in cells[key(CPU_SEQ)]["note"]


def test_unsupported_on_both_sides_is_same(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    base = write_run(tmp_path / "base", {CPU_SEQ: samples(3e4)}, status={CPU_SEQ: "unsupported"})
    new = write_run(tmp_path / "new", {CPU_SEQ: samples(3e4)}, status={CPU_SEQ: "unsupported"})
    _, cells = verdicts(tmp_path, capsys, base, new)
    assert cells[key(CPU_SEQ)]["verdict"] == "same" and cells[key(CPU_SEQ)]["note"] == "unsupported on both sides"


# ---------------------------------------------------------------------------------------------
# Warnings about too little data.


def test_3_vs_3_repetitions_halved_is_suspect_not_same(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Two plain --quick runs: 3 vs 3 cannot reach p < 0.05, so a halving cannot be *flagged* — but it is
    not `same` either (it was, with exit 0, before suspect existed): suspect, exit 3."""
    base = write_run(tmp_path / "base", {CPU_THREAD: samples(5e4, runs=1, reps=3)})
    new = write_run(tmp_path / "new", {CPU_THREAD: samples(2.5e4, runs=1, reps=3)})  # half the throughput
    status, out, _ = run_main(capsys, base, new)
    assert status == 3
    assert out.startswith("### concbench comparison: 0 regressions · 1 suspect · 0 same\n")
    assert "| **suspect** | parallel/cpu thread cores=2" in out
    assert "cannot reach significance: 3 vs 3 values give p ≥ 0.1, Holm over 1 cell(s) needs < 0.05" in out
    assert "1 cell(s) have 3 vs 3 repetitions: no two-sided Mann-Whitney p-value can go below 0.1" in out
    assert "can never be flagged: they are `inconclusive` (`suspect` when at least 5% slower)" in out
    assert "base: every cell's repetitions come from one process" in out
    assert run_main(capsys, base, new, "--allow-inconclusive")[0] == 0


def test_results_without_repetitions_cannot_be_tested(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    base = write_run(tmp_path / "base", {CPU_THREAD: samples(5e4, runs=1)}, repetitions=False)
    new = write_run(tmp_path / "new", {CPU_THREAD: samples(2.5e4, runs=1)}, repetitions=False)
    status, cells = verdicts(tmp_path, capsys, base, new)
    cell = cells[key(CPU_THREAD)]
    assert status == 3 and cell["verdict"] == "suspect" and cell["note"] == "not testable: 1 vs 1 values"
    assert -52 < cell["change_pct"] < -48
    status, out, _ = run_main(capsys, base, new)
    assert "1 cell(s) could not be tested (fewer than 2 values on a side): they are `inconclusive`" in out


@pytest.mark.parametrize("change, verdict, status", [
    (-0.30, "suspect", 3), (-0.50, "suspect", 3), (-0.02, "inconclusive", 0), (0.30, "inconclusive", 0),
], ids=["30pct-slower", "50pct-slower", "2pct-slower", "30pct-faster"])
def test_untestable_cells_are_inconclusive_or_suspect_never_same(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                                 change: float, verdict: str, status: int) -> None:
    """One run of 3 repetitions per side, every cell shifted by `change`: only a slowdown of at least the
    threshold is suspect (and fails the exit status); an untested speed-up is inconclusive."""
    base = write_run(tmp_path / "base", {c: samples(4e4, runs=1, reps=3, seed=i) for i, c in enumerate(PLAN)})
    new = write_run(tmp_path / "new", {c: samples(4e4 * (1 + change), runs=1, reps=3, seed=9 + i)
                                       for i, c in enumerate(PLAN)})
    got, document = run_main(capsys, base, new, "--format", "json")[:2]
    document = json.loads(document)
    assert got == status == document["summary"]["exit_status"]
    assert {c["verdict"] for c in document["cells"]} == {verdict}
    assert document["summary"][verdict] == 3 and document["summary"]["same"] == 0


def test_real_quick_runs_compared_directly_are_never_same(capsys: pytest.CaptureFixture) -> None:
    """The committed fixtures are two real --quick runs (3 repetitions, one process each)."""
    base, new = FIXTURES / "run-host-a", FIXTURES / "run-host-b"
    status, out, _ = run_main(capsys, base, new, "--format", "json")
    cells = json.loads(out)["cells"]
    both_ok = [c for c in cells if c["base_status"] == c["new_status"] == "ok"]
    assert len(both_ok) == 6
    assert {c["verdict"] for c in both_ok} <= {"inconclusive", "suspect"}
    suspect = any(c["verdict"] == "suspect" for c in both_ok)
    assert status == (3 if suspect else 0)


def test_real_quick_run_30_percent_slower_is_suspect(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A copy of a real --quick run with every throughput 30% lower, against the original: exit 3."""
    slower = tmp_path / "slower"
    shutil.copytree(FIXTURES / "run-host-b", slower)
    for name in ("results.csv", "repetitions.csv"):
        rows = list(csv.DictReader((slower / name).open(newline="")))
        for row in rows:
            row["items_per_s"] = f"{float(row['items_per_s']) * 0.7:.6g}" if row["items_per_s"] else ""
        write_csv(slower / name, list(rows[0]), rows)
    status, out, _ = run_main(capsys, FIXTURES / "run-host-b", slower)
    assert status == 3
    assert out.startswith("### concbench comparison: 0 regressions · 6 suspect · 0 same\n")
    assert run_main(capsys, FIXTURES / "run-host-b", slower, "--allow-inconclusive")[0] == 0


def test_csv_format_sends_warnings_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    base = write_run(tmp_path / "base", {CPU_THREAD: samples(5e4, runs=1, reps=3)})
    new = write_run(tmp_path / "new", {CPU_THREAD: samples(5e4, runs=1, reps=3, seed=3)})
    _, out, err = run_main(capsys, base, new, "--format", "csv")
    assert out.startswith("workload,variant,model,cores,tasks,params,verdict,")
    assert err.startswith("compare.py: warning: 1 cell(s) have 3 vs 3 repetitions")


# ---------------------------------------------------------------------------------------------
# Different builds.


@pytest.mark.parametrize("option, problem", [
    ({"build_type": "Debug"}, "build_type Release in base, Debug in new"),
    ({"compiler": "Clang 15.0.6"}, "compiler GNU 12.2.0 in base, Clang 15.0.6 in new"),
], ids=["build-type", "compiler"])
def test_different_builds_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture, option: dict, problem: str) -> None:
    base, new = pair(tmp_path, {}, **option)
    status, out, err = run_main(capsys, base, new)
    assert status == 2 and out == ""
    assert err == (f"compare.py: error: {new}: not the same build as {base} ({problem}); refusing to compare "
                   "different build types or compilers (pass --allow-different-build to compare anyway)\n")


def test_allow_different_build_compares_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, out, _ = run_main(capsys, *pair(tmp_path, {}, build_type="Debug"), "--allow-different-build")
    assert status == 0
    assert "- different builds compared (--allow-different-build): build_type Release in base, Debug in new" in out


def test_different_machines_warn(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, out, _ = run_main(capsys, *pair(tmp_path, {}, machine_id="0123456789abcdef"))
    assert "base and new ran on different machines (e8bde9fc975e6aba vs 0123456789abcdef)" in out


# ---------------------------------------------------------------------------------------------
# Bad input: the loader's rules (docs/reports.md), one line naming the file, exit 2.

Build = Callable[[Path], tuple[Path, Path]]  # returns (argument, file the message names)


def _good(tmp: Path) -> Path:
    return write_run(tmp / "good", {CPU_THREAD: samples(5e4, runs=2)})


def _replace(name: str, content: bytes) -> Build:
    def build(tmp: Path) -> tuple[Path, Path]:
        run = write_run(tmp / "bad", {CPU_THREAD: samples(5e4, runs=2)})
        (run / name).write_bytes(content)
        return run, run / name
    return build


def _edit_results(edit: Callable[[str], str]) -> Build:
    def build(tmp: Path) -> tuple[Path, Path]:
        run = write_run(tmp / "bad", {CPU_THREAD: samples(5e4, runs=2)})
        path = run / "results.csv"
        path.write_text(edit(path.read_text()))
        return run, path
    return build


def _set_field(column: str, value: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        rows[2][rows[0].index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue()
    return edit


def _drop_columns(*names: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        keep = [i for i, name in enumerate(rows[0]) if name not in names]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
        return buffer.getvalue()
    return edit


def _missing(tmp: Path) -> tuple[Path, Path]:
    return tmp / "nowhere", tmp / "nowhere"


def _dir_without_results(tmp: Path) -> tuple[Path, Path]:
    (tmp / "empty-run").mkdir()
    return tmp / "empty-run", tmp / "empty-run"


def _header_only(text: str) -> str:
    return text.splitlines()[0] + "\n"


BAD_INPUT: list[tuple[str, Build, str]] = [
    ("missing", _missing, "no such file or directory"),
    ("dir-without-results", _dir_without_results, "no results.csv in this directory"),
    ("empty", _replace("results.csv", b""), "empty file"),
    ("binary", _replace("results.csv", b"\x89PNG\r\n\x1a\n\0\0"), "not a CSV or JSON text file (binary content)"),
    ("not-utf8", _replace("results.csv", "schema,run_id\n1,caf\xe9\n".encode("latin-1")), "not a text file (not UTF-8)"),
    ("not-concbench", _replace("results.csv", b"name,value\na,1\n"),
     "not a concbench results CSV (none of the expected columns in its header)"),
    ("ragged", _edit_results(lambda t: t + "1,2,3\n"),
     f"not a valid CSV file: line 4 has 3 fields, the header has {len(RESULTS_COLUMNS)}"),
    ("bad-quoting", _replace("results.csv", b'schema,run_id\n1,"r"x\n'), "not a valid CSV file: line 2: ',' expected after '\"'"),
    ("duplicate-column", _edit_results(lambda t: t.replace("metrics\n", "status\n", 1)),
     "duplicate column(s) in the header: status"),
    ("missing-columns", _edit_results(_drop_columns("status", "items_per_s")),
     "missing required column(s): status, items_per_s"),
    ("unknown-version", _edit_results(_set_field("schema", "7")), "unknown schema version 7 (this loader reads versions 1, 2)"),
    ("version-not-a-number", _edit_results(_set_field("schema", "v1")), "line 3: schema is 'v1', not a version number"),
    ("header-only", _edit_results(_header_only), "no data rows (only a header)"),
    ("cores-not-integer", _edit_results(_set_field("cores", "two")), "line 3: cores is 'two', not an integer"),
    ("figure-not-number", _edit_results(_set_field("items_per_s", "fast")), "line 3: items_per_s is 'fast', not a number"),
    ("empty-status", _edit_results(_set_field("status", "")), "line 3: empty status"),
    ("verified-not-boolean", _edit_results(_set_field("verified", "maybe")), "line 3: verified is 'maybe', not true or false"),
    ("bad-repetitions", _replace("repetitions.csv", b""), "empty file"),
    ("repetitions-version", _replace("repetitions.csv", b"schema,run_id,workload,variant,model,cores,tasks,params,"
                                     b"repetition,items_per_s\n3,r,w,v,m,1,1,,0,1.5\n"),
     "unknown schema version 3 (this loader reads versions 1, 2)"),
    ("machine-not-json", _replace("machine.json", b"{host: a}"),
     "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    ("machine-not-object", _replace("machine.json", b"[1, 2]"), "not a JSON object"),
]


@pytest.mark.parametrize("side", ["base", "new"])
@pytest.mark.parametrize("build, problem", [(b, p) for _, b, p in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture, build: Build, problem: str,
                                         side: str) -> None:
    bad, named = build(tmp_path)
    good = _good(tmp_path)
    argv = [good, bad] if side == "new" else [bad, good]
    status, out, err = run_main(capsys, *argv)
    assert (status, out) == (2, "")
    assert err == f"compare.py: error: {named}: {problem}\n"


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: BASE, NEW"),
    (["a"], "the following arguments are required: NEW"),
    (["a", "b", "--threshold", "x"], "argument --threshold: invalid threshold (a percentage, 0 <= PCT < 100) value: 'x'"),
    (["a", "b", "--threshold", "-1"], "argument --threshold: invalid threshold (a percentage, 0 <= PCT < 100) value: '-1'"),
    (["a", "b", "--alpha", "1.5"], "argument --alpha: invalid alpha (0 < A < 1) value: '1.5'"),
    (["a", "b", "--format", "xml"], "argument --format: invalid choice: 'xml' (choose from 'md', 'csv', 'json')"),
    (["a", "b", "--bogus"], "unrecognized arguments: --bogus"),
], ids=["no-input", "one-input", "threshold-text", "threshold-negative", "alpha-range", "format", "unknown-flag"])
def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture, argv: list[str], message: str) -> None:
    status, out, err = run_main(capsys, *argv)
    assert (status, out) == (2, "")
    assert err == f"compare.py: error: {message} (see --help)\n"


def test_help_exits_0(capsys: pytest.CaptureFixture) -> None:
    status, out, _ = run_main(capsys, "--help")
    assert status == 0 and "--allow-different-build" in out and "default 5" in out and "--allow-inconclusive" in out


def test_exit_statuses_as_a_process(tmp_path: Path) -> None:
    """The real script, as CI runs it: 1 on a regression, 0 without, 2 on bad input."""
    base, slower = pair(tmp_path / "a", {CPU_THREAD: -0.20})
    _, same = pair(tmp_path / "b", {})
    run = lambda *args: subprocess.run([PYTHON, str(COMPARE), *map(str, args)], capture_output=True, text=True)  # noqa: E731
    assert run(base, slower).returncode == 1
    assert run(base, same).returncode == 0
    one_run = write_run(tmp_path / "one", {CPU_THREAD: samples(5e4, runs=1, reps=3)})
    halved = write_run(tmp_path / "halved", {CPU_THREAD: samples(2.5e4, runs=1, reps=3)})
    assert run(one_run, halved).returncode == 3  # suspect
    assert run(one_run, halved, "--allow-inconclusive").returncode == 0
    bad = run(base, tmp_path / "nowhere")
    assert bad.returncode == 2 and bad.stderr == f"compare.py: error: {tmp_path / 'nowhere'}: no such file or directory\n"
