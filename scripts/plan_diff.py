#!/usr/bin/python3
"""The cells two concbench runs measured and their statuses: what one has that the other has not.

    plan_diff.py RUN_A RUN_B      two run directories (or results.csv files)
    plan_diff.py --list A.txt B.txt   two `concbench --list` outputs (keys only)

For a change that must not change what is measured (a refactoring): run the same plan before and after
(`concbench --quick --out DIR`, or `--list`) and compare. A cell is its key (workload, variant, model, cores,
tasks, params); a run's cell also has its status (ok, unsupported, deadlock, …). Figures are not compared
(compare.py does that). Exit status: 0 the same cells with the same statuses, 1 a difference (listed),
2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from script_env import require

require("plan_diff.py", "pandas")

import pandas as pd  # noqa: E402

from concbench_data.schema import KEY  # noqa: E402  (a cell's key columns, as every script reads them)


def _results_csv(path: Path) -> Path:
    if path.is_file():
        return path
    found = sorted(path.rglob("results.csv"))
    if len(found) != 1:
        raise ValueError(f"{path}: expected one results.csv, found {len(found)}")
    return found[0]


def run_cells(path: Path) -> dict[tuple, str]:
    """Key -> status of every row of a run's results.csv."""
    frame = pd.read_csv(_results_csv(path), dtype=str, keep_default_na=False)
    missing = [c for c in (*KEY, "status") if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not a concbench results.csv (no {', '.join(missing)})")
    return {tuple(row[c] for c in KEY): row["status"] for _, row in frame.iterrows()}


def listed_cells(path: Path) -> dict[tuple, str]:
    """Key -> "" of every cell a `concbench --list` output plans."""
    cells: dict[tuple, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        fields = line.split()
        if not fields or line.startswith("#") or (len(fields) > 1 and fields[1].startswith("cells")):
            continue  # the header, and the closing "N cells, about T" line
        if len(fields) not in (6, 7) or not fields[0].isdigit():
            raise ValueError(f"{path}:{number}: not a line of `concbench --list`: {line!r}")
        params = fields[6] if len(fields) == 7 else ""
        cells[(fields[1], fields[2], fields[3], fields[4], fields[5], params)] = ""
    if not cells:
        raise ValueError(f"{path}: no cells listed")
    return cells


def differences(a: dict[tuple, str], b: dict[tuple, str]) -> list[str]:
    def name(key: tuple) -> str:
        return " ".join(f"{k}={v}" for k, v in zip(KEY, key) if v != "")

    lines = [f"only in A: {name(k)}" for k in a if k not in b]
    lines += [f"only in B: {name(k)}" for k in b if k not in a]
    lines += [f"status {a[k]} -> {b[k]}: {name(k)}" for k in a if k in b and a[k] != b[k]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="run directory, results.csv, or --list output (A: before)")
    parser.add_argument("b", type=Path, help="the same for B (after)")
    parser.add_argument("--list", action="store_true", help="A and B are `concbench --list` outputs")
    args = parser.parse_args(argv)
    read = listed_cells if args.list else run_cells
    try:
        a, b = read(args.a), read(args.b)
    except (OSError, ValueError, pd.errors.ParserError) as error:
        print(f"plan_diff.py: {error}", file=sys.stderr)
        return 2
    lines = differences(a, b)
    for line in lines:
        print(line)
    print(f"{len(a)} cells in A, {len(b)} in B: " + (f"{len(lines)} difference(s)" if lines else "the same"))
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
