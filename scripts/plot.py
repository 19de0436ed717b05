#!/usr/bin/python3
"""Charts and a report from concbench results of one or many machines.

    plot.py CSV_OR_DIR... [--out DIR]

Each input is a run directory (its results.csv, with repetitions.csv and machine.json beside it
when present) or a results CSV file. Writes PNG + SVG charts under DIR/charts/ and DIR/report.md,
DIR/report.html (self-contained). DIR defaults to the first input when it is a directory, else
./report. Exit status: 0 done, 2 bad input (one line on stderr: `plot.py: error: <file>: <problem>`),
1 when the interpreter lacks pandas/matplotlib. docs/reports.md explains every chart.

The command line only: the charts and the report are drawn by the package concbench_charts.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import Sequence

PROG = "plot.py"

from script_env import require  # noqa: E402

require(PROG, "pandas", "matplotlib")

from concbench_charts.layout import DPI, DPI_RANGE  # noqa: E402
from concbench_charts.report import write_report  # noqa: E402
from concbench_data import LoadError, load  # noqa: E402
from concbench_data.cli import cli_main, report_error  # noqa: E402


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, like every other bad input
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=PROG, description="Charts and a report from concbench results of one or many machines.")
    parser.add_argument("inputs", nargs="+", metavar="CSV_OR_DIR",
                        help="a run directory (results.csv, repetitions.csv, machine.json) or a results CSV")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="where to write charts/, report.md and report.html "
                             "(default: the first input if it is a directory, else ./report)")
    parser.add_argument("--dpi", type=_dpi, default=DPI, metavar="N",
                        help=f"pixels per inch of the PNG charts (default {DPI}; SVG is unaffected)")
    return parser.parse_args(argv)


def _dpi(text: str) -> int:
    low, high = DPI_RANGE
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
    return value


def default_out(inputs: Sequence[str]) -> Path:
    first = Path(inputs[0])
    return first if first.is_dir() else Path("report")


fail = functools.partial(report_error, PROG)  # one line on stderr, exit code 2


@cli_main(parse_args)
def main(args: argparse.Namespace) -> int:
    try:
        data = load(args.inputs)
    except LoadError as err:
        return fail(str(err))
    out = args.out or default_out(args.inputs)
    if out.exists() and not out.is_dir():
        return fail(f"{out}: not a directory")
    try:
        count = write_report(data, out, args.inputs, args.dpi, PROG)
    except OSError as err:
        return fail(f"{err.filename or out}: cannot write: {err.strerror}")
    print(f"{PROG}: wrote {out / 'report.md'}, {out / 'report.html'} and {count} charts (PNG + SVG) in {out / 'charts'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
