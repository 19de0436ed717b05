"""`concbench --rerun REPORT_DIR`: the recorded options, replayed into a new report directory."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

from build_dir import BINARY, TINY, needs_binary

pytestmark = needs_binary
KEY = ("workload", "variant", "model", "cores", "tasks", "params")


def concbench(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, timeout=120)


def new_run(out: Path, *args: object) -> Path:
    proc = concbench(*args, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return Path(proc.stdout.strip().splitlines()[-1])


def keys(run: Path) -> list[tuple[str, ...]]:
    with (run / "results.csv").open(newline="") as handle:
        return [tuple(row[k] for k in KEY) for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_run(tmp_path_factory.mktemp("original"), *TINY, "--cores", "1")


def test_a_rerun_measures_the_same_cells_with_the_same_flags_into_a_new_directory(original: Path, tmp_path: Path) -> None:
    proc = concbench("--rerun", original, "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    rerun = Path(proc.stdout.strip().splitlines()[-1])
    assert rerun.parent == tmp_path and rerun != original
    assert keys(rerun) == keys(original)
    recorded = (original / "plan.args").read_text().splitlines()
    replayed = (rerun / "plan.args").read_text().splitlines()
    out_at = recorded.index("--out")
    assert replayed == recorded[:out_at] + recorded[out_at + 2:]  # the same options, less where it wrote
    assert "--benchmark_min_time=0.01" in replayed
    assert json.loads((rerun / "machine.json").read_text())["command_line"].endswith(f"--rerun {original} --out {tmp_path}")
    with (rerun / "repetitions.csv").open() as handle:  # --quick's 3 repetitions per cell, as before
        assert len(handle.read().splitlines()) - 1 == 3 * len(keys(rerun))


def test_a_run_without_cores_reruns_on_the_cores_of_the_machine_it_ran_on(tmp_path: Path) -> None:
    original = new_run(tmp_path / "a", *TINY, "--models", "sequential")
    listed = concbench("--rerun", original, "--out", tmp_path / "b")
    assert listed.returncode == 0, listed.stderr
    cpus = len(json.loads((original / "machine.json").read_text())["affinity"])
    replayed = (Path(listed.stdout.strip().splitlines()[-1]) / "plan.args").read_text().splitlines()
    doubling = [n for n in (1 << i for i in range(12)) if n < cpus] + [cpus]  # the runner's default sweep
    assert replayed[:2] == ["--cores", ",".join(map(str, doubling))]

    # Recorded on a bigger machine: refused rather than silently measured on fewer cores.
    machine = json.loads((original / "machine.json").read_text())
    machine["affinity"] = list(range(os.cpu_count() * 4 + 4))
    (original / "machine.json").write_text(json.dumps(machine))
    refused = concbench("--rerun", original, "--out", tmp_path / "c")
    assert refused.returncode == 2
    assert "cores must be between 1 and" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing", "not a concbench report directory (no plan.args)"),
    (lambda d: d, "not a concbench report directory (no plan.args)"),
    (lambda d: (d / "plan.args").write_text("--quick\n") and d, "not a concbench report directory (no machine.json)"),
    (lambda d: ((d / "plan.args").write_text("--quick\n"), (d / "machine.json").write_text("{"), d)[2],
     "machine.json is not valid JSON"),
])
def test_not_a_report_is_one_line_and_exit_2(tmp_path: Path, make, message: str) -> None:
    target = make(tmp_path)
    proc = concbench("--rerun", target, "--out", tmp_path / "out")
    assert proc.returncode == 2
    assert proc.stderr == f"concbench: error: --rerun {target}: {message}\n"
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_a_rerun_refuses_options_that_would_change_the_run(original: Path) -> None:
    for extra in (["--models", "thread"], ["--quick"], ["--resume", str(original)]):
        proc = concbench("--rerun", original, *extra)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, extra
