"""scripts/gil_fidelity.py: its refusals (a full comparison takes minutes and lives in docs/gil.md)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gil_fidelity.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def test_a_missing_binary_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = run("--binary", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "no concbench binary" in done.stderr


def test_no_runnable_interpreter_is_said_and_exit_2(tmp_path: Path) -> None:
    fake_binary = tmp_path / "concbench"
    fake_binary.write_text("#!/bin/sh\nexit 0\n")
    fake_binary.chmod(0o755)
    done = run("--binary", str(fake_binary), "--python", str(tmp_path / "no-python"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert "not runnable, its comparison is skipped" in done.stderr
    assert "no interpreter could be run" in done.stderr
