"""The default and --quick plans are the cells the golden files list (tests/scripts/golden/): a refactoring
must not change what a run measures. A change that means to (a new model, workload or parameter)
regenerates them in the same commit, so the diff shows every cell it adds or removes:
    build/werror/concbench --cores 1,2 --list > tests/scripts/golden/default-plan.txt
    build/werror/concbench --cores 1,2 --quick --list > tests/scripts/golden/quick-plan.txt
(--cores 1,2: the default sweep follows the machine's CPUs; the plans are compared at 1 and 2 cores.)
and scripts/plan_diff.py compares two runs' cells and statuses (docs/testing.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_dir import BINARY, ROOT, needs_binary

needs_two_cpus = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the golden plans are at 1 and 2 cores")

sys.path.insert(0, str(ROOT / "scripts"))
import plan_diff  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
PLAN_DIFF = ROOT / "scripts" / "plan_diff.py"


@needs_binary
@needs_two_cpus
@pytest.mark.parametrize("golden, args", [("default-plan.txt", []), ("quick-plan.txt", ["--quick"])])
def test_the_plan_is_the_golden_one(tmp_path: Path, golden: str, args: list[str]) -> None:
    listed = tmp_path / "list.txt"
    listed.write_text(subprocess.run([str(BINARY), "--cores", "1,2", *args, "--list"], capture_output=True, text=True,
                                     check=True).stdout)
    proc = subprocess.run([sys.executable, str(PLAN_DIFF), "--list", str(GOLDEN / golden), str(listed)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"the plan changed (regenerate {golden} if it means to):\n{proc.stdout}"


def test_the_golden_plans_are_not_empty() -> None:
    assert len(plan_diff.listed_cells(GOLDEN / "default-plan.txt")) > 500
    assert len(plan_diff.listed_cells(GOLDEN / "quick-plan.txt")) > 100


def _results(path: Path, rows: list[str]) -> Path:
    header = "workload,variant,model,cores,tasks,params,status,items_per_second"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_plan_diff_lists_a_lost_cell_and_a_changed_status(tmp_path: Path) -> None:
    a = _results(tmp_path / "a.csv", ["counter,atomic,thread,2,4,items=10,ok,5",
                                      "counter,atomic,tbb,2,4,items=10,ok,5",
                                      "prodcons,1x1,tbb,1,2,,unsupported,"])
    b = _results(tmp_path / "b.csv", ["counter,atomic,thread,2,4,items=10,ok,9",
                                      "prodcons,1x1,tbb,1,2,,ok,3"])
    proc = subprocess.run([sys.executable, str(PLAN_DIFF), str(a), str(b)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "only in A: workload=counter variant=atomic model=tbb cores=2 tasks=4 params=items=10" in proc.stdout
    assert "status unsupported -> ok: workload=prodcons variant=1x1 model=tbb cores=1 tasks=2" in proc.stdout
    assert "3 cells in A, 2 in B: 2 difference(s)" in proc.stdout


def test_plan_diff_ignores_figures(tmp_path: Path) -> None:
    a = _results(tmp_path / "a.csv", ["counter,atomic,thread,2,4,items=10,ok,5"])
    b = _results(tmp_path / "b.csv", ["counter,atomic,thread,2,4,items=10,ok,50"])
    assert subprocess.run([sys.executable, str(PLAN_DIFF), str(a), str(b)], capture_output=True).returncode == 0


def test_plan_diff_refuses_what_is_not_a_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    proc = subprocess.run([sys.executable, str(PLAN_DIFF), str(bad), str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "not a concbench results.csv" in proc.stderr
