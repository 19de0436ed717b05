"""scripts/ab and scripts/refresh-baseline on tiny real runs of the built binary (one cell, 10 ms)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from build_dir import BINARY, needs_binary

ROOT = Path(__file__).resolve().parents[2]
AB = ROOT / "scripts" / "ab"
REFRESH = ROOT / "scripts" / "refresh-baseline"
GBENCH_COMPARE = Path("/usr/share/benchmark/compare.py")  # Debian's libbenchmark-tools
TINY = ["--workloads", "parallel/cpu", "--models", "sequential", "--quick", "--benchmark_min_time=0.01"]



def run(script: Path, *args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True, timeout=120)


def run_ids(directory: Path) -> list[str]:
    with (directory / "results.csv").open(newline="") as handle:
        return [row["run_id"] for row in csv.DictReader(handle)]


@needs_binary
def test_ab_interleaves_rounds_pools_them_and_compares(tmp_path: Path) -> None:
    work = tmp_path / "ab"
    proc = run(AB, "--binaries", BINARY, BINARY, "--rounds", 2, "--work-dir", work, *TINY)
    # A against itself: whatever the verdict (noise on a shared VM may reach any), ab's table and exit
    # status are compare.py's on the two pooled directories.
    assert proc.returncode == _compare_exit(work), proc.stderr
    assert proc.stdout.startswith("### concbench comparison: ")
    order = [line.split(":")[0] for line in proc.stderr.splitlines() if line.startswith("round ")]
    assert order == ["round 1/2 A", "round 1/2 B", "round 2/2 B", "round 2/2 A"]  # alternating who goes first
    for side in ("A", "B"):
        ids = run_ids(work / side)
        assert len(ids) == 2 and ids[0].endswith("-r01") and ids[1].endswith("-r02")
        assert (work / side / "repetitions.csv").is_file() and (work / side / "benchmark.json").is_file()
    assert "| 6/6 |" in proc.stdout  # 2 rounds × 3 repetitions (the CI default) per side


@needs_binary
@pytest.mark.skipif(not GBENCH_COMPARE.is_file(), reason="libbenchmark-tools not installed")
def test_google_benchmark_compare_reads_the_pooled_json(tmp_path: Path) -> None:
    work = tmp_path / "ab"
    assert run(AB, "--binaries", BINARY, BINARY, "--rounds", 2, "--work-dir", work, *TINY).returncode == 0
    proc = subprocess.run([sys.executable, str(GBENCH_COMPARE), "--no-color", "-a", "benchmarks",
                           str(work / "A" / "benchmark.json"), str(work / "B" / "benchmark.json")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "parallel/cpu sequential cores=1 tasks=8 items=64;work=10000/process_time/real_time" in proc.stdout
    assert "U Test, Repetitions: 6 vs 6" in proc.stdout  # 2 rounds × 3 repetitions, pooled by name


def _compare_exit(work: Path) -> int:
    compare = ROOT / "scripts" / "compare.py"
    return subprocess.run([sys.executable, str(compare), str(work / "A"), str(work / "B")], capture_output=True,
                          text=True, timeout=120).returncode


@needs_binary
def test_ab_exit_status_is_compare_s_on_an_injected_slowdown(tmp_path: Path) -> None:
    # A 300 % slowdown of B: found as a regression on a quiet machine; on a loaded one compare.py may find it
    # only suspect. Either way ab exits with compare.py's status on the same pooled runs, never 0.
    proc = run(AB, "--binaries", BINARY, BINARY, "--rounds", 5, "--work-dir", tmp_path / "ab",
               "--inject-slowdown-b", "parallel/cpu=300", *TINY)
    assert proc.returncode == _compare_exit(tmp_path / "ab"), proc.stdout + proc.stderr
    assert proc.returncode in (1, 3), proc.stdout + proc.stderr
    assert "new has cells slowed on purpose by --inject-slowdown (a testing aid): parallel/cpu=300%" in proc.stdout


@needs_binary
def test_refresh_baseline_then_ab_against_it(tmp_path: Path) -> None:
    root = tmp_path / "baseline"
    made = run(REFRESH, "--binary", BINARY, "--rounds", 2, "--root", root, *TINY)
    assert made.returncode == 0, made.stderr
    baseline = Path(made.stdout.strip())
    assert baseline.parent == root and len(baseline.name) == 16  # named by the machine id
    assert len(run_ids(baseline)) == 2
    proc = run(AB, "--baseline", root, "--binary", BINARY, "--rounds", 2, "--work-dir", tmp_path / "ab", *TINY)
    # Not interleaved with the baseline's rounds: on a VM shared with compilers, load that changed
    # between the two may be flagged (docs/ci.md): whatever the verdict, it is compare.py's on the same runs.
    assert proc.returncode == subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compare.py"), str(baseline), str(tmp_path / "ab" / "B")],
        capture_output=True, text=True, timeout=120).returncode, proc.stderr
    assert f"baseline {baseline}" in proc.stderr
    assert [line.split(":")[0] for line in proc.stderr.splitlines() if line.startswith("round ")] == [
        "round 1/2 B", "round 2/2 B"]
    assert f"**Base** `{baseline}` (2 runs" in proc.stdout


@needs_binary
def test_ab_without_a_baseline_for_this_machine_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = run(AB, "--baseline", tmp_path / "empty", "--binary", BINARY, "--work-dir", tmp_path / "ab", *TINY)
    assert proc.returncode == 2
    assert f"ab: error: {tmp_path / 'empty'}: no baseline for machine " in proc.stderr
    assert "record one with scripts/refresh-baseline, or pass --fallback-rev REV" in proc.stderr


@needs_binary
def test_ab_passes_concbench_bad_input_on_as_exit_2(tmp_path: Path) -> None:
    proc = run(AB, "--binaries", BINARY, BINARY, "--work-dir", tmp_path / "ab", "--workloads", "nope")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(f"ab: error: {BINARY} exited 2 without a report: ")


@pytest.mark.parametrize("args, message", [
    ([], "give two revisions first, or --binaries A B, or --baseline ROOT"),
    (["--binaries", "x"], "--binaries needs two executables"),
    (["--binaries", "/nonexistent", "/nonexistent"], "/nonexistent: not an executable file"),
    (["--binaries", "a", "b", "--out", "x"], "--out is set by the rounds runner"),
    (["--binaries", "a", "b", "--repetitions", "3", "--benchmark_repetitions=3"],
     "give --repetitions or --benchmark_repetitions, not both"),
    (["HEAD", "HEAD", "--fallback-rev", "HEAD"], "--binary and --fallback-rev only go with --baseline"),
    (["no-such-revision-xyz", "HEAD"], f"no-such-revision-xyz: not a git revision of {ROOT}"),
], ids=["nothing", "one-binary", "not-executable", "owned-option", "two-repetitions", "fallback-without-baseline",
        "unknown-revision"])
def test_ab_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    proc = run(AB, *args, "--work-dir", tmp_path / "ab") if args else run(AB)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("ab: error: ") and message in proc.stderr
