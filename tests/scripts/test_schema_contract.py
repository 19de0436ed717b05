"""The Python side's column lists (concbench_data.schema) are the ones the binary writes: one tiny real run's
headers, file by file, and the schema version in its rows."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from build_dir import BINARY, TINY, needs_binary

from concbench_data import schema


def _header(path: Path) -> tuple[str, ...]:
    with path.open(newline="") as file:
        return tuple(next(csv.reader(file)))


@needs_binary
def test_the_binarys_headers_are_the_python_column_lists(tmp_path: Path) -> None:
    proc = subprocess.run([str(BINARY), *TINY, "--cores", "1", "--out", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    run = Path(proc.stdout.strip().splitlines()[-1])
    assert _header(run / "results.csv") == schema.RESULTS_COLUMNS
    assert _header(run / "repetitions.csv") == schema.REPETITIONS_COLUMNS
    assert _header(run / "metrics.csv") == schema.METRICS_COLUMNS
    with (run / "results.csv").open(newline="") as file:
        assert {row["schema"] for row in csv.DictReader(file)} == {str(schema.CURRENT_SCHEMA)}
