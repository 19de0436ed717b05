"""The build the package and fleet tests use: build/release (what scripts/test builds) unless
CONCBENCH_TEST_BUILD_DIR names another (e.g. build/pkg, configured with -DCONCBENCH_BUILD_TESTS=OFF)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("CONCBENCH_TEST_BUILD_DIR") or ROOT / "build" / "release").resolve()
BINARY = BUILD_DIR / "concbench"

needs_binary = pytest.mark.skipif(not BINARY.is_file(), reason=f"{BINARY} not built (scripts/test builds it)")
# The smallest real plan: one cell per core count, 10 ms a repetition.
TINY = ["--quick", "--workloads", "parallel/cpu", "--models", "sequential,thread", "--set", "tasks=2",
        "--benchmark_min_time=0.01"]
