#!/usr/bin/python3
"""Regression verdicts between two concbench results: BASE (reference) and NEW.

    compare.py BASE NEW [--threshold PCT] [--alpha A] [--format md|csv|json] [--unit repetition|run]
               [--allow-different-build] [--allow-inconclusive]

BASE and NEW are run directories (results.csv, with repetitions.csv beside it) or results CSV
files; a directory pooled from several rounds (scripts/ab, scripts/refresh-baseline) counts every
round's repetitions. Per cell key: the median change, its 95% interval, and a verdict
(regression, improvement, same, missing, new, failed) from a Mann-Whitney U test on the
repetitions (pooled over the runs, or one value per run with --unit run), Holm-corrected over the cells,
plus a minimum effect (--threshold). A cell whose sample sizes cannot reach significance (two
plain --quick runs: 3 vs 3 repetitions; a results.csv without repetitions: 1 vs 1) is never
`same`: it is `inconclusive`, or `suspect` when at least the threshold slower. docs/ci.md explains
the method and how the defaults were measured.

Exit status: 0 no significant regression and nothing suspect, 1 at least one regression, 3 no
regression but at least one suspect cell (0 with --allow-inconclusive), 2 bad input (one line on
stderr: `compare.py: error: <file>: <problem>`) or different build types / compilers without
--allow-different-build.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import Sequence

PROG = "compare.py"

from script_env import require  # noqa: E402

require(PROG, "pandas", "scipy")

from concbench_data import LoadError, load_run  # noqa: E402
from concbench_data import compare_stats as cs  # noqa: E402
from concbench_data.cli import cli_main, report_error  # noqa: E402
from concbench_data.compare_format import SideInfo, to_csv, to_json, to_markdown  # noqa: E402


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, like every other bad input
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def _threshold(text: str) -> float:
    value = float(text)
    if not 0 <= value < 100:
        raise ValueError
    return value


def _alpha(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise ValueError
    return value


_threshold.__name__ = "threshold (a percentage, 0 <= PCT < 100)"
_alpha.__name__ = "alpha (0 < A < 1)"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=PROG, description="Regression verdicts between two concbench results (docs/ci.md).",
                     allow_abbrev=False)
    parser.add_argument("base", metavar="BASE", help="reference: a run directory or a results CSV")
    parser.add_argument("new", metavar="NEW", help="the run to judge: a run directory or a results CSV")
    parser.add_argument("--threshold", type=_threshold, default=cs.DEFAULT_THRESHOLD_PCT, metavar="PCT",
                        help=f"minimum change in %% to flag, besides significance (default {cs.DEFAULT_THRESHOLD_PCT:g})")
    parser.add_argument("--alpha", type=_alpha, default=cs.DEFAULT_ALPHA, metavar="A",
                        help=f"significance level after Holm's correction (default {cs.DEFAULT_ALPHA:g})")
    parser.add_argument("--format", choices=["md", "csv", "json"], default="md",
                        help="md: a table for a pull request (default); csv: one row per cell; json: everything")
    parser.add_argument("--unit", choices=cs.UNITS, default=cs.DEFAULT_UNIT,
                        help="what one value of the test is: repetition (every repetition of every run, pooled; "
                             "default) or run (the median of each process's repetitions: robust to load that differs "
                             "between runs, needs many more runs; docs/ci.md)")
    parser.add_argument("--allow-different-build", action="store_true",
                        help="compare even when build_type or compiler differ (a warning says so)")
    parser.add_argument("--allow-inconclusive", action="store_true",
                        help=f"exit 0 rather than {cs.EXIT_SUSPECT} when cells are suspect (at least the threshold "
                             "slower, but too few values to test); they are still listed and counted")
    return parser.parse_args(argv)


fail = functools.partial(report_error, PROG)  # one line on stderr, exit code 2


@cli_main(parse_args)
def main(args: argparse.Namespace) -> int:
    try:
        base = cs.pool([load_run(args.base)])
        new = cs.pool([load_run(args.new)])
    except LoadError as err:
        return fail(str(err))
    difference = cs.build_difference(base, new)
    if difference and not args.allow_different_build:
        return fail(f"{args.new}: not the same build as {args.base} ({difference}); refusing to compare "
                    "different build types or compilers (pass --allow-different-build to compare anyway)")
    comparison = cs.compare(base, new, threshold_pct=args.threshold, alpha=args.alpha, unit=args.unit)
    status = comparison.exit_status(args.allow_inconclusive)
    base_info, new_info = SideInfo(args.base, base), SideInfo(args.new, new)
    if args.format == "md":
        sys.stdout.write(to_markdown(comparison, base_info, new_info))
    elif args.format == "json":
        sys.stdout.write(to_json(comparison, base_info, new_info, status))
    else:
        sys.stdout.write(to_csv(comparison))
        for warning in comparison.warnings:
            sys.stderr.write(f"{PROG}: warning: {warning}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
