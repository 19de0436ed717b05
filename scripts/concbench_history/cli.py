"""concbench-history: the command line (scripts/history; installed as concbench-history).

    concbench-history add REPORT_DIR... [--db PATH] [--repo DIR] [--sha SHA] [--commit-time TIME]
    concbench-history changes [--db PATH] [--machine M] [--cell SPEC] [--threshold PCT] [--format md|csv|json]
    concbench-history report [--db PATH] [--out DIR] [--commit-url URL] [--machine M] [--cell SPEC]
    concbench-history judge REPORT_DIR... [--db PATH] [--window N] [--alpha A] [--format md|json] [--allow-inconclusive]
    concbench-history export REPORT_DIR... --format github-action-benchmark|bencher [--out FILE]
    concbench-history calibrate [--db PATH] [--length N] [--histories N] [--slowdown PCT] [--at N]

Exit status: 0; judge: 1 on a regression, 3 on a suspect cell (no regression; 0 with
--allow-inconclusive); 2 on bad input (one line on stderr: `concbench-history: error: …`): a
missing or broken report, a database that is not a concbench history, is damaged or newer, a
--machine or --cell that matches nothing. docs/ci.md explains everything.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from concbench_data import LoadError
from concbench_data.cli import report_error
from concbench_data.compare_format import pct, si
from concbench_data.compare_stats import EXIT_SUSPECT

from . import HistoryError, store
from .edivisive import DEFAULT_EXPONENT, DEFAULT_MIN_SIZE, DEFAULT_PERMUTATIONS, DEFAULT_SIGNIFICANCE
from .series import DEFAULT_THRESHOLD_PCT, Settings, changes, describe_commit_times, load_series, select

PROG = "concbench-history"
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, like every other bad input
        self.exit(EXIT_BAD_INPUT, f"{PROG}: error: {message} (see --help)\n")


def _number(kind: type, low: float, high: float, name: str):
    def parse(text: str):
        value = kind(text)
        if not low <= value <= high:
            raise ValueError
        return value
    parse.__name__ = name
    return parse


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=store.DEFAULT_DB, metavar="PATH",
                        help=f"the history file (default: {store.DEFAULT_DB}, relative to the current directory)")


def _detection(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("change-point detection (E-Divisive means, docs/ci.md)")
    group.add_argument("--threshold", type=_number(float, 0, 99.99, "threshold (0 <= PCT < 100)"),
                       default=DEFAULT_THRESHOLD_PCT, metavar="PCT",
                       help=f"smallest change to report, in %% of throughput (default {DEFAULT_THRESHOLD_PCT:g})")
    group.add_argument("--significance", type=_number(float, 1e-6, 0.5, "significance (0 < P <= 0.5)"),
                       default=DEFAULT_SIGNIFICANCE, metavar="P",
                       help=f"permutation-test level a change point must reach (default {DEFAULT_SIGNIFICANCE:g})")
    group.add_argument("--permutations", type=_number(int, 19, 100000, "permutations (19..100000)"),
                       default=DEFAULT_PERMUTATIONS, metavar="N", help=f"default {DEFAULT_PERMUTATIONS}")
    group.add_argument("--min-size", type=_number(int, 2, 1000, "min-size (2..1000)"), default=DEFAULT_MIN_SIZE,
                       metavar="N", help=f"fewest commits a segment may have (default {DEFAULT_MIN_SIZE})")
    group.add_argument("--exponent", type=_number(float, 0.01, 1.99, "exponent (0 < E < 2)"), default=DEFAULT_EXPONENT,
                       metavar="E", help=f"exponent of the energy distance (default {DEFAULT_EXPONENT:g})")
    group.add_argument("--seed", type=int, default=1, help="seed of the permutations (default 1: reproducible)")


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--machine", action="append", metavar="M",
                        help="only this machine: a machine_id (or its first digits) or a host name; repeatable")
    parser.add_argument("--cell", action="append", metavar="SPEC",
                        help="only cells with every word of SPEC in their label ('parallel/cpu thread cores=2'; "
                             "a workload alone matches its variants); repeatable: any of them")


def parser() -> argparse.ArgumentParser:
    main = _Parser(prog=PROG, description="A history of every concbench run: change points per cell and machine, "
                   "a dashboard, a judgement of new runs against it (docs/ci.md).", allow_abbrev=False)
    commands = main.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    add = commands.add_parser("add", help="store runs in the history (re-adding is a no-op)", allow_abbrev=False)
    add.add_argument("reports", nargs="+", metavar="REPORT_DIR",
                     help="run directories (or results CSV files); a directory of run directories stands for them "
                          "(`add reports/*` skips the history file and the dashboard there)")
    _db(add)
    add.add_argument("--repo", type=Path, default=Path("."), metavar="DIR",
                     help="git checkout that knows the runs' commits (commit time: git show -s --format=%%cI SHA; "
                          "default: the current directory)")
    add.add_argument("--sha", help="store the runs as this commit instead of their git_sha column")
    add.add_argument("--commit-time", metavar="TIME",
                     help="store the runs with this commit time (ISO-8601, e.g. 2026-11-25T14:00:00Z) instead of "
                          "git's or the run's")

    found = commands.add_parser("changes", help="print the change points of every cell and machine", allow_abbrev=False)
    _db(found)
    _filters(found)
    _detection(found)
    found.add_argument("--format", choices=["md", "csv", "json"], default="md")
    found.add_argument("--commit-url", metavar="URL", help="link commits: a URL with {sha} (default: from the "
                       "origin remote of --repo when it is on GitHub)")
    found.add_argument("--repo", type=Path, default=Path("."), metavar="DIR")

    report = commands.add_parser("report", help="write the dashboard: HTML page, PNG and SVG charts",
                                 allow_abbrev=False)
    _db(report)
    _filters(report)
    _detection(report)
    report.add_argument("--out", type=Path, default=Path("reports") / "history", metavar="DIR",
                        help="output directory (default: reports/history): history.html and charts/")
    report.add_argument("--commit-url", metavar="URL", help="link commits: a URL with {sha} (default: from the "
                        "origin remote of --repo when it is on GitHub)")
    report.add_argument("--repo", type=Path, default=Path("."), metavar="DIR")
    report.add_argument("--dpi", type=_number(int, 40, 400, "dpi (40..400)"), default=100)

    judge = commands.add_parser("judge", help="judge a run against the latest stable segment of its history",
                                allow_abbrev=False)
    judge.add_argument("reports", nargs="+", metavar="REPORT_DIR", help="the run to judge (several: pooled)")
    _db(judge)
    _detection(judge)
    judge.add_argument("--alpha", type=_number(float, 1e-12, 0.999, "alpha (0 < A < 1)"), default=0.05,
                       help="significance after Holm's correction (default 0.05)")
    judge.add_argument("--window", type=_number(int, 3, 100000, "window (3..100000)"), default=30, metavar="N",
                       help="at most the last N commits of the latest segment (default 30)")
    judge.add_argument("--format", choices=["md", "json"], default="md")
    judge.add_argument("--allow-inconclusive", action="store_true",
                       help=f"exit 0 rather than {EXIT_SUSPECT} when cells are suspect")

    export = commands.add_parser("export", help="a run as github-action-benchmark or Bencher (BMF) JSON",
                                 allow_abbrev=False)
    export.add_argument("reports", nargs="+", metavar="REPORT_DIR", help="run directories of one machine (pooled)")
    export.add_argument("--format", required=True, choices=["github-action-benchmark", "bencher"])
    export.add_argument("--out", type=Path, metavar="FILE", help="write there instead of standard output")

    calibrate = commands.add_parser("calibrate", help="false alarms and detection on A/A histories resampled from "
                                    "the stored runs", allow_abbrev=False)
    _db(calibrate)
    _filters(calibrate)
    _detection(calibrate)
    calibrate.add_argument("--length", type=_number(int, 6, 1000, "length (6..1000)"), default=12,
                           help="commits per synthetic history (default 12)")
    calibrate.add_argument("--histories", type=_number(int, 1, 100000, "histories (1..100000)"), default=200,
                           help="synthetic histories (default 200)")
    calibrate.add_argument("--slowdown", type=_number(float, 0, 99, "slowdown (0..99)"), default=10.0,
                           metavar="PCT", help="slowdown injected for the detection rate (default 10)")
    calibrate.add_argument("--at", type=int, default=None, metavar="N",
                           help="the slowdown starts at commit N, 1-based (default: two thirds in)")
    calibrate.add_argument("--rounds", type=_number(int, 1, 100, "rounds (1..100)"), default=1,
                           help="runs pooled into each synthetic commit (default 1)")
    calibrate.add_argument("--spread", choices=["runs", "within"], default="runs",
                           help="what a synthetic commit is drawn from: whole stored runs (default: this machine's "
                                "run-to-run spread) or the repetitions' spread inside a run (a machine whose "
                                "processes are all alike)")
    calibrate.add_argument("--format", choices=["md", "json"], default="md")
    return main


def settings_of(args: argparse.Namespace) -> Settings:
    return Settings(significance=args.significance, permutations=args.permutations,
                    min_size=args.min_size, threshold_pct=args.threshold, seed=args.seed, exponent=args.exponent)


def default_commit_url(repo: Path) -> str | None:
    """https://github.com/OWNER/NAME/commit/{sha} from the origin remote, when it is on GitHub."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), "remote", "get-url", "origin"], capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    github = r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)([\w.-]+/[\w.-]+?)(?:\.git)?/?$"
    match = re.match(github, proc.stdout.strip())
    return f"https://github.com/{match.group(1)}/commit/{{sha}}" if proc.returncode == 0 and match else None


# ---------------------------------------------------------------------------------------------
# Subcommands.


def cmd_add(args: argparse.Namespace) -> int:
    inputs, notes = store.expand(args.reports, args.db)
    for note in notes:
        print(f"skipped   {note}")
    if not inputs:
        raise HistoryError(f"{args.reports[0]}: no run to add")
    runs = store.load_inputs(inputs, args.repo, args.sha, args.commit_time)  # everything read first
    conn = store.open_history(args.db, create=True)
    try:
        outcomes = store.add(conn, runs)
        total = store.run_count(conn)
    finally:
        conn.close()
    words = {"git": "git's commit time", "run": "the run's time (git does not know the sha)", "given": "--commit-time"}
    for o in outcomes:
        print(f"{o.what:9} {o.run_id}: machine {o.machine_id}, git {o.git_sha}, {o.commit_time} "
              f"({words[o.commit_time_from]})")
    counts = {what: sum(o.what == what for o in outcomes) for what in ("added", "replaced", "unchanged")}
    print(f"{args.db}: {counts['added']} run(s) added, {counts['replaced']} replaced, {counts['unchanged']} already "
          f"there; {total} in all")
    return 0


def _series(args: argparse.Namespace):
    conn = store.open_history(args.db)
    try:
        series = [s for s in load_series(conn) if s.points]
        runs = store.run_count(conn)
    finally:
        conn.close()
    if not series:
        raise HistoryError(f"{args.db}: the history holds no ok measurement yet")
    return select(series, args.machine, args.cell), runs


def _commit_url(args: argparse.Namespace) -> str | None:
    return args.commit_url if args.commit_url else default_commit_url(args.repo)


def cmd_changes(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    series, runs = _series(args)
    found = [c for s in series for c in changes(s, settings)]
    reported = [c for c in found if c.reported]
    smaller = len(found) - len(reported)
    if args.format == "json":
        document = {"settings": vars(settings), "runs": runs, "series": len(series),
                    "commits": describe_commit_times(series), "smaller_shifts": smaller,
                    "changes": [_change_record(c) for c in reported]}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return 0
    if args.format == "csv":
        buffer = io.StringIO()
        records = [_change_record(c) for c in reported]
        writer = csv.DictWriter(buffer, fieldnames=list(CHANGE_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        sys.stdout.write(buffer.getvalue())
        return 0
    url = _commit_url(args)
    machines = len({s.machine_id for s in series})
    out = [f"### concbench history: {len(reported)} change(s) in {len(series)} series "
           f"({machines} machine(s), {describe_commit_times(series)}; {runs} run(s))", ""]
    out.append(f"E-Divisive means on each cell's commit medians per machine (log throughput, energy-distance exponent "
               f"{settings.exponent:g}), permutation test ({settings.permutations} permutations, significance "
               f"{settings.significance:g}, segments of at least {settings.min_size} commits); changes of at least "
               f"±{settings.threshold_pct:g}% listed"
               + (f", {smaller} smaller significant shift(s) not" if smaller else "") + ".")
    out.append("")
    if reported:
        out.append("| cell | machine | starts at commit | commit time | before items/s | after items/s | change | p |")
        out.append("|---|---|---|---|---:|---:|---:|---:|")
        for c in reported:
            link = url.replace("{sha}", c.point.sha) if url else None
            sha = f"[{c.point.sha[:12]}]({link})" if link else c.point.sha[:12]
            out.append(f"| {c.series.label} | {c.series.machine} | {sha} | {c.point.commit_time} | {si(c.before)} | "
                       f"{si(c.after)} | {pct(c.change)} | {c.p_value:.3g} |")
    else:
        out.append("No change point at or beyond the threshold.")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _change_record(c) -> dict:
    workload, variant, model, cores, tasks, params = c.series.key
    return {"machine_id": c.series.machine_id, "host": c.series.host, "workload": workload, "variant": variant,
            "model": model, "cores": cores, "tasks": tasks, "params": params, "sha": c.point.sha,
            "previous_sha": c.previous.sha, "commit_time": c.point.commit_time, "before_items_per_s": c.before,
            "after_items_per_s": c.after, "change_pct": 100 * c.change, "p_value": c.p_value,
            "commits_before": c.points_before, "commits_after": c.points_after}


CHANGE_FIELDS = ("machine_id", "host", "workload", "variant", "model", "cores", "tasks", "params", "sha",
                         "previous_sha", "commit_time", "before_items_per_s", "after_items_per_s", "change_pct",
                         "p_value", "commits_before", "commits_after")


def cmd_report(args: argparse.Namespace) -> int:
    from .dashboard import write  # matplotlib only here

    settings = settings_of(args)
    series, runs = _series(args)
    found = {id(s): changes(s, settings) for s in series}
    page = write(series, found, args.out, _commit_url(args), runs, str(args.db), args.dpi)
    reported = sum(c.reported for cs_ in found.values() for c in cs_)
    print(f"{page} ({len(series)} chart(s) under {args.out / 'charts'}, {reported} change(s))")
    return 0


def cmd_judge(args: argparse.Namespace) -> int:
    from .judge import judge, to_json, to_markdown

    conn = store.open_history(args.db)
    try:
        result = judge(conn, args.reports, settings_of(args), alpha=args.alpha, window=args.window)
    finally:
        conn.close()
    status = result.exit_status(args.allow_inconclusive)
    run = " ".join(str(r) for r in args.reports)
    if args.format == "json":
        sys.stdout.write(to_json(result, run, str(args.db), status))
    else:
        sys.stdout.write(to_markdown(result, run, str(args.db)))
    return status


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    text, warnings = export(args.reports, args.format)
    for warning in warnings:
        sys.stderr.write(f"{PROG}: warning: {warning}\n")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from .calibrate import calibrate, to_markdown

    conn = store.open_history(args.db)
    try:
        series = select([s for s in load_series(conn) if s.points], args.machine, args.cell)
    finally:
        conn.close()
    result = calibrate(series, settings_of(args), length=args.length, histories=args.histories,
                       slowdown_pct=args.slowdown, at=args.at, rounds=args.rounds, spread_of=args.spread)
    sys.stdout.write(json.dumps(result, indent=2) + "\n" if args.format == "json" else to_markdown(result))
    return 0


COMMANDS = {"add": cmd_add, "changes": cmd_changes, "report": cmd_report, "judge": cmd_judge, "export": cmd_export,
            "calibrate": cmd_calibrate}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or a usage error (2, already printed)
        return int(stop.code or 0)
    try:
        return COMMANDS[args.command](args)
    except (HistoryError, LoadError) as err:
        return report_error(PROG, str(err))
