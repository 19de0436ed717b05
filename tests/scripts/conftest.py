"""Shared helpers for the script tests: scripts/ on sys.path, fixture copies, PNG sizes, CSV edits."""

from __future__ import annotations

import csv
import io
import json
import shutil
import struct
import sys
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))  # import concbench_data and plot as the scripts do

FIXTURES = Path(__file__).resolve().parent / "fixtures"  # see fixtures/README.md, fixtures/regenerate.sh
# A real --quick run: parallel cpu/io (tasks=8) and selftest wrong/hang (tasks=2), models sequential
# (1 core) and thread (1, 2 cores): 12 rows, the 6 parallel ones ok (3 repetitions each), selftest/wrong
# `failed` (its reason has a comma, so it is quoted) and selftest/hang `timeout`.
HOST_A = FIXTURES / "run-host-a"
HOST_B = FIXTURES / "run-host-b"  # a second real run of the parallel cells, renamed to host `host-b`; all ok
# A third real run on host-a's machine: prodcons/NxN with capacity=1,64 and philosophers ordered/naive, models
# sequential (1 core), thread and gil (1, 2 cores): latency, fairness, deadlock_share and `deadlock` rows.
METRICS = FIXTURES / "run-host-a-metrics"
# A real run of an older binary (schema 1), kept as it was for the migration tests; regenerate.sh leaves it.
LEGACY_V1 = FIXTURES / "legacy" / "schema-1-run-host-a"


def machine(run: Path) -> dict:
    return json.loads((run / "machine.json").read_text())


def fixture_rows(run: Path) -> list[dict[str, str]]:
    """A fixture's results.csv as text rows (measured figures are read from here, not hard-coded:
    regenerate.sh makes new measurements, while the plan, statuses and reasons stay the same)."""
    with (run / "results.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def fixture_row(run: Path, **key: object) -> dict[str, str]:
    """The one results row of `run` whose columns equal `key` (values compared as text)."""
    found = [r for r in fixture_rows(run) if all(r[k] == str(v) for k, v in key.items())]
    assert len(found) == 1, (run, key, len(found))
    return found[0]


def best_ok(run: Path, **key: object) -> tuple[float, int]:
    """(items_per_s, cores) of the fastest ok row among the rows matching `key`."""
    ok = [r for r in fixture_rows(run) if r["status"] == "ok" and all(r[k] == str(v) for k, v in key.items())]
    best = max(ok, key=lambda r: float(r["items_per_s"]))
    return float(best["items_per_s"]), int(best["cores"])


HOST_A_NAME = machine(HOST_A)["host"]  # the real host name of the machine the run was made on
HOST_B_NAME = machine(HOST_B)["host"]


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
