"""Shared helpers for the script tests: scripts/ on sys.path, fixture copies, PNG sizes, CSV edits."""

from __future__ import annotations

import csv
import io
import shutil
import struct
import sys
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))  # import concbench_data and plot as the scripts do

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOST_A = FIXTURES / "run-host-a"  # parallel cpu/io, sequential/thread, cores 1-2, one failed, one timeout
HOST_B = FIXTURES / "run-host-b"  # the same plan on a second machine, every cell ok
METRICS = FIXTURES / "run-host-a-metrics"  # host-a again: prodcons (latency, capacity sweep, gil), philosophers


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (no imaging library needed)."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue())
    return path


def set_field(header: list[str], row: list[str], column: str, value: str) -> list[str]:
    row = list(row)
    row[header.index(column)] = value
    return row


@pytest.fixture
def copy_run(tmp_path: Path) -> Callable[[Path, str], Path]:
    """Copy a fixture run directory into tmp_path (tests may then edit or delete its files)."""

    def copy(source: Path, name: str = "") -> Path:
        target = tmp_path / (name or source.name)
        shutil.copytree(source, target)
        return target

    return copy
