"""The build the package and fleet tests use: build/release (what scripts/test builds) unless
CONCBENCH_TEST_BUILD_DIR names another (e.g. build/pkg, configured with -DCONCBENCH_BUILD_TESTS=OFF)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("CONCBENCH_TEST_BUILD_DIR") or ROOT / "build" / "release").resolve()
BINARY = BUILD_DIR / "concbench"

needs_binary = pytest.mark.skipif(not BINARY.is_file(), reason=f"{BINARY} not built (scripts/test builds it)")
# The smallest real plan: one cell per core count, 10 ms a repetition.
TINY = ["--quick", "--workloads", "parallel/cpu", "--models", "sequential,thread", "--set", "tasks=2",
        "--benchmark_min_time=0.01"]


def plan(args: list[str]) -> list[tuple[str, ...]]:
    """The cells `concbench ARGS --list` plans, as (workload, variant, model, cores, tasks, params) text."""
    done = subprocess.run([str(BINARY), *args, "--list"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    cells = []
    for line in done.stdout.splitlines():
        fields = line.split()  # no field has a space; an empty params is the missing last field
        if len(fields) in (6, 7) and all(f.isdigit() for f in (fields[0], fields[4], fields[5])):  # not the total
            cells.append(tuple(fields[1:6]) + (fields[6] if len(fields) == 7 else "",))
    return cells
