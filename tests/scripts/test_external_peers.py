"""External models (docs/models.md, "External models: the peer protocol"): every way a peer can go wrong gives
one row with a status and a reason, never a hang; and one tiny cell of every workload runs, verified, on every
Python peer."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_dir import BINARY, ROOT, needs_binary  # noqa: E402

BAD_PEER = ROOT / "tests" / "peers" / "bad_peer.py"
FAST = ["--benchmark_min_time=0.01", "--benchmark_repetitions=1"]
PYTHON_MODELS = ["python-threads", "python-asyncio", "python-generators"]


def run(tmp_path: Path, args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, list[dict]]:
    done = subprocess.run([str(BINARY), "--out", str(tmp_path), *args, *FAST], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})
    rows = []
    for results in tmp_path.glob("*/results.csv"):
        with results.open() as f:
            rows += list(csv.DictReader(f))
    return done, rows


# One tiny cell of every workload: small enough for an interpreter, every check still made.
TINY_SETS = ["--set", "items=16", "--set", "work=100", "--set", "adds=1000", "--set", "switches=100",
             "--set", "meals=3", "--set", "ops=5", "--trials", "1"]


def assert_every_row_verified(rows: list[dict], version_metric: str) -> None:
    """Each row ok and verified, naive philosophers' deadlock a result too; each carries the peer's version."""
    for row in rows:
        naive = row["workload"] == "philosophers" and row["variant"] == "naive"
        assert row["status"] in (("ok", "deadlock") if naive else ("ok",)), row["reason"]
        assert row["status"] != "ok" or row["verified"] == "true"
        assert version_metric in row["metrics"]


def bad_peer_row(tmp_path: Path, mode: str, timeout: str = "30") -> dict:
    done, rows = run(tmp_path, ["--quick", "--workloads", "counter/atomic", "--models", "python-threads", "--cores",
                                "1", "--peer", f"python-threads={BAD_PEER}", "--timeout", timeout],
                     {"CONCBENCH_TEST_PEER": mode})
    assert len(rows) == 1, done.stderr
    return rows[0]


@needs_binary
@pytest.mark.parametrize("mode, status, reason", [
    ("malformed", "failed", "peer python-threads: not a JSON object while waiting for its answer to `cell`"),
    ("wrong-field", "failed", "without an integer `elapsed_ns`"),
    ("crash", "crashed", "was killed by signal 9"),
    ("lie", "failed", "verification failed: total 199999, expected 200000"),
    ("error", "failed", "the test peer failed on purpose"),
    ("unsupported", "unsupported", "the test peer refuses"),
])
def test_a_peer_that_goes_wrong_gets_a_status_and_a_reason(tmp_path: Path, mode: str, status: str, reason: str) -> None:
    row = bad_peer_row(tmp_path, mode)
    assert row["status"] == status
    assert reason in row["reason"]


@needs_binary
def test_a_silent_peer_is_killed_by_the_timeout_with_its_cell(tmp_path: Path) -> None:
    row = bad_peer_row(tmp_path, "silent", timeout="2")
    assert row["status"] == "timeout"
    # The peer went with the cell's process group: no test peer is left sleeping.
    left = subprocess.run(["pgrep", "-f", str(BAD_PEER)], capture_output=True, text=True)
    assert left.stdout.strip() == ""


@needs_binary
def test_a_missing_peer_program_makes_the_rows_unsupported(tmp_path: Path) -> None:
    _, rows = run(tmp_path, ["--quick", "--workloads", "counter/atomic", "--models", "go", "--cores", "1"])
    if (BINARY.parent / "concbench-peer-go").exists():
        pytest.skip("the Go peer is built")
    assert [r["status"] for r in rows] == ["unsupported"]
    assert rows[0]["reason"] == "concbench-peer-go not found (install golang-go and rebuild)"


@needs_binary
def test_a_bad_python_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run([str(BINARY), "--models", "python-threads", "--python", str(tmp_path / "none"), "--list"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--python" in done.stderr and "not an executable file" in done.stderr


@needs_binary
def test_every_workload_runs_verified_on_every_python_peer(tmp_path: Path) -> None:
    """One tiny cell of every workload and variant; naive philosophers may deadlock, which is a result."""
    done, rows = run(tmp_path, ["--quick", "--models", ",".join(PYTHON_MODELS), "--cores", "1", "--timeout", "60",
                                "--workloads", "parallel,counter,prodcons,pingpong,spawn/flat,philosophers,convoy",
                                *TINY_SETS])
    assert rows, done.stderr
    assert_every_row_verified(rows, "python_version=")
    assert {r["model"] for r in rows} == set(PYTHON_MODELS)
    assert {r["workload"] for r in rows} == {"parallel", "counter", "prodcons", "pingpong", "spawn", "philosophers",
                                             "convoy"}


GO_PEER = BINARY.parent / "concbench-peer-go"
needs_go_peer = pytest.mark.skipif(not GO_PEER.exists(),
                                   reason="concbench-peer-go not built (Go not installed: apt-get install golang-go)")


@needs_binary
@needs_go_peer
def test_every_workload_runs_verified_on_the_go_peer(tmp_path: Path) -> None:
    """One tiny cell of every workload and variant at 1 and 2 cores (GOMAXPROCS); skynet's quick tree of 1000 leaves."""
    done, rows = run(tmp_path, ["--quick", "--models", "go", "--cores", "1,2", "--timeout", "60", *TINY_SETS])
    assert rows, done.stderr
    assert_every_row_verified(rows, "go_version=go1.")
    assert {(r["workload"], r["variant"]) for r in rows} >= {
        ("parallel", "cpu"), ("parallel", "io"), ("counter", "atomic"), ("counter", "mutex"), ("counter", "sharded"),
        ("counter", "sharded-packed"), ("prodcons", "NxN"), ("pingpong", "switch"), ("spawn", "flat"),
        ("spawn", "skynet"), ("philosophers", "trylock"), ("philosophers", "waiter"), ("convoy", "beside-cpu")}
    parallel_rows = [r for r in rows if r["status"] == "ok" and r["workload"] == "parallel"]
    assert {r["workers"] for r in parallel_rows} == {"1", "2"}  # GOMAXPROCS follows the cell's cores


@needs_binary
@needs_go_peer
def test_naive_philosophers_on_go_deadlock_and_are_reported(tmp_path: Path) -> None:
    """Every goroutine takes its left fork and waits 20 ms before the right: all block on sync.Mutex.Lock."""
    _, rows = run(tmp_path, ["--quick", "--models", "go", "--cores", "2", "--workloads", "philosophers/naive",
                             "--set", "gap_us=20000", "--set", "meals=1", "--set", "deadlock_ms=100", "--trials", "1"])
    assert [r["status"] for r in rows] == ["deadlock"]
    assert "while all 5 philosophers at the table were blocked" in rows[0]["reason"]


@pytest.mark.skipif(shutil.which("gofmt") is None, reason="gofmt not installed (apt-get install golang-go)")
def test_the_go_peer_is_gofmt_formatted() -> None:
    unformatted = subprocess.run(["gofmt", "-l", str(ROOT / "peers" / "go")], capture_output=True, text=True,
                                 check=True).stdout
    assert unformatted == "", f"run gofmt -w on: {unformatted}"
