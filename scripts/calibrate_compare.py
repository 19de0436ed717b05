#!/usr/bin/python3
"""Self-test of compare.py's statistics: A/A false alarms and detection of injected slowdowns.

    calibrate_compare.py record  --out DIR [--binary PATH] [--rounds N] [--repetitions R]
                                 [--target WORKLOAD[/VARIANT]] [--slowdowns 5,10,20] [CONCBENCH ARGS...]
    calibrate_compare.py analyse DIR [--rounds-per-run 3,5,7] [--repetitions 3] [--units repetition,run]
                                 [--thresholds 0,3,5] [--alphas 0.05] [--rounds-span FIRST,LAST]
                                 [--keep-unquiet] [--format md|json]

`record` runs, in every round, the same binary as several *variants* interleaved (the order rotates
each round): `A` and `A2` (plain), and `S5`, `S10`, `S20` (`--inject-slowdown TARGET=PCT`). Each
variant is a full concbench invocation of the plan (default `--quick`) with R repetitions, into
its own run directory; DIR/manifest.json records the commands, times and load averages.

`analyse` then cuts the rounds into consecutive, non-overlapping blocks of K rounds. In each block
one simulated CI run compares A (K rounds pooled) with A2 (the A/A test: every flag is a false
alarm) and A with each S variant (the slowed cells should be flagged as regressions), through the
same code as compare.py (compare_stats.pool and compare). Using the first r repetitions of each
process, both test units and a grid of thresholds and alphas gives every setting's false-alarm and
detection rates from the same recorded runs. docs/ci.md reports the results.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import platform
import sys
import time
from pathlib import Path
from typing import Sequence

PROG = "calibrate_compare.py"

from script_env import require  # noqa: E402

require(PROG, "numpy", "pandas", "scipy")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from concbench_data import LoadError, load_run  # noqa: E402
from concbench_data import compare_stats as cs  # noqa: E402
from concbench_data.cli import report_error  # noqa: E402
from concbench_data.rounds import QuietGate, RoundError, RoundLog, Side, loadavg, run_interleaved, say  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BINARY = ROOT / "build" / "release" / "concbench"


# ---------------------------------------------------------------------------------------------
# record


def record(args: argparse.Namespace, concbench_args: list[str]) -> int:
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        return fail(f"{out}: exists and is not empty (record into a new directory)")
    binary = args.binary.resolve()
    if not binary.is_file():
        return fail(f"{binary}: no such binary (build it: cmake --build --preset release --target concbench)")
    plan = concbench_args or ["--quick"]
    plan = [*plan, f"--benchmark_repetitions={args.repetitions}"]
    sides = [Side("A", binary), Side("A2", binary)]
    sides += [Side(f"S{pct}", binary, ("--inject-slowdown", f"{args.target}={pct}")) for pct in args.slowdowns]
    out.mkdir(parents=True, exist_ok=True)
    log = RoundLog()
    manifest = {
        "command": [PROG, "record", *sys.argv[2:]],
        "binary": str(binary),
        "plan_args": plan,
        "target": args.target,
        "slowdowns": args.slowdowns,
        "rounds": args.rounds,
        "repetitions": args.repetitions,
        "variants": {side.label: list(side.extra_args) for side in sides},
        "host": platform.node(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg_start": loadavg(),
    }
    started = time.monotonic()

    def save() -> None:  # after every run, so an interrupted recording can still be analysed
        manifest["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        manifest["seconds"] = round(time.monotonic() - started, 1)
        manifest["loadavg_end"] = loadavg()
        manifest["runs"] = log.entries
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")

    log.on_entry = save
    gate = QuietGate(max_busy=args.quiet / 100.0, timeout=args.quiet_timeout) if args.quiet is not None else None
    manifest["quiet_gate"] = None if gate is None else {"max_busy": gate.max_busy, "samples": gate.samples,
                                                         "timeout_s": gate.timeout}
    try:
        run_interleaved(sides, plan, args.rounds, out, progress=say, rotate=True, log=log, gate=gate)
    except RoundError as err:
        return fail(str(err))
    finally:
        save()
    say(f"{PROG}: recorded {args.rounds} rounds × {len(sides)} variants in {manifest['seconds']} s under {out}")
    return 0


# ---------------------------------------------------------------------------------------------
# analyse


def load_recording(directory: Path, keep_unquiet: bool = False,
                   span: tuple[int, int] | None = None) -> tuple[dict, dict[str, list]]:
    """The manifest and, per variant, the loaded run of each complete round (in round order).

    With a quiet gate, rounds that started because the gate gave up waiting (CPUs still busier than
    its limit) are left out unless keep_unquiet; manifest["unquiet_rounds"] counts them. `span`
    (first, last), inclusive, keeps only those round numbers (e.g. rounds recorded after the settings
    were chosen, as a check that was not used to choose them).
    """
    manifest = json.loads((directory / "manifest.json").read_text())
    by_round: dict[int, dict] = {}
    for entry in manifest["runs"]:
        by_round.setdefault(entry["round"], {})[entry["side"]] = entry
    variants = list(manifest["variants"])
    complete = [r for r in sorted(by_round) if set(by_round[r]) >= set(variants)]  # an interrupted last round
    if span:
        complete = [r for r in complete if span[0] <= r <= span[1]]
        manifest["round_span"] = list(span)
    gate = manifest.get("quiet_gate")
    unquiet = [r for r in complete if gate and any(
        (e.get("busy_before") or 0.0) > gate["max_busy"] for e in by_round[r].values())]
    if not keep_unquiet:
        complete = [r for r in complete if r not in unquiet]
    runs = {label: [load_run(by_round[r][label]["run_dir"]) for r in complete] for label in variants}
    manifest["complete_rounds"] = len(complete)
    manifest["unquiet_rounds"] = len(unquiet)
    manifest["kept_unquiet"] = keep_unquiet
    return manifest, runs


def first_repetitions(run, count: int):
    """The run with only its first `count` repetitions per cell."""
    reps = run.repetitions[run.repetitions["repetition"] < count]
    return type(run)(files=run.files, results=run.results, repetitions=reps, machine=run.machine)


def blocks_of(total: int, size: int) -> list[slice]:
    """Consecutive, non-overlapping blocks of `size` rounds: one simulated CI run each."""
    return [slice(start, start + size) for start in range(0, total - size + 1, size)]


def slowed_cells(cells: pd.DataFrame, target: str) -> pd.Series:
    workload, _, variant = target.partition("/")
    hit = cells["workload"] == workload
    return hit & (cells["variant"] == variant) if variant else hit


def simulate(runs: dict[str, list], rounds: int, reps: int, grid: list[tuple[str, float, float]],
             target: str) -> dict[tuple[str, float, float], dict]:
    """For K = `rounds` and r = `reps`: every block compares A with each other variant under every
    (unit, threshold, alpha) of `grid`. Returns, per grid point and variant, the counts of runs with
    a regression flag, any flag, a slowed cell flagged, and an unslowed cell flagged."""
    counts: dict[tuple[str, float, float], dict] = {g: {} for g in grid}
    for span in blocks_of(len(runs["A"]), rounds):
        base = cs.pool([first_repetitions(run, reps) for run in runs["A"][span]])
        for label in [name for name in runs if name != "A"]:
            new = cs.pool([first_repetitions(run, reps) for run in runs[label][span]])
            for unit, threshold, alpha in grid:
                cells = cs.compare(base, new, threshold_pct=threshold, alpha=alpha, unit=unit).cells
                regression = cells["verdict"] == "regression"
                flagged = cells["verdict"].isin(["regression", "improvement"])
                on_target = slowed_cells(cells, target)
                c = counts[(unit, threshold, alpha)].setdefault(
                    label, {"runs": 0, "regression_alarms": 0, "any_flag": 0, "detected": 0, "other_cells_flagged": 0})
                c["runs"] += 1
                c["regression_alarms"] += int(regression.any())
                c["any_flag"] += int(flagged.any())
                c["detected"] += int((regression & on_target).any())
                c["other_cells_flagged"] += int((flagged & ~on_target).any())
    return counts


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (honest about 0 of 20)."""
    if trials == 0:
        return math.nan, math.nan
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def analyse(args: argparse.Namespace) -> int:
    try:
        manifest, runs = load_recording(args.directory, args.keep_unquiet, args.rounds_span)
    except (OSError, KeyError, json.JSONDecodeError) as err:
        return fail(f"{args.directory}: not a recording of `{PROG} record`: {err}")
    except LoadError as err:
        return fail(str(err))
    grid = list(itertools.product(args.units, args.thresholds, args.alphas))
    rows = []
    for rounds, reps in itertools.product(args.rounds_per_run, args.repetitions):
        if rounds > len(runs["A"]) or reps > manifest["repetitions"]:
            continue
        counts = simulate(runs, rounds, reps, grid, manifest["target"])
        for (unit, threshold, alpha), outcome in counts.items():
            if not outcome:
                continue
            aa = outcome["A2"]
            row = {"rounds": rounds, "reps": reps, "unit": unit, "threshold_pct": threshold, "alpha": alpha,
                   "runs": aa["runs"], "aa_regression_alarms": aa["regression_alarms"], "aa_any_flag": aa["any_flag"]}
            for pct in manifest["slowdowns"]:
                row[f"detect_{pct}"] = outcome[f"S{pct}"]["detected"]
                row[f"other_flagged_{pct}"] = outcome[f"S{pct}"]["other_cells_flagged"]
            rows.append(row)
    table = pd.DataFrame(rows)
    if args.format == "json":
        print(json.dumps({"manifest": {k: v for k, v in manifest.items() if k != "runs"},
                          "grid": table.to_dict(orient="records")}, indent=2))
        return 0
    print(render_markdown(table, manifest))
    return 0


def rate(count: int, runs: int) -> str:
    low, high = wilson(count, runs)
    return f"{count}/{runs} ({100 * count / runs:.0f}%, {100 * low:.0f}–{100 * high:.0f})"


def meets_target(row: dict, slowdowns: Sequence[int]) -> bool:
    """The issue's target: A/A regression alarms ≤ 5% of runs and 10% slowdowns detected in ≥ 90%."""
    return (row["aa_regression_alarms"] <= 0.05 * row["runs"] and 10 in slowdowns
            and row["detect_10"] >= 0.9 * row["runs"])


def load_summary(manifest: dict) -> str:
    """Load during the recording: load averages and the quiet gate's waits, from the manifest."""
    entries = manifest.get("runs", [])
    loads = [float(e["loadavg_before"].split()[0]) for e in entries if e.get("loadavg_before")]
    busy = [e["busy_before"] for e in entries if e.get("busy_before") is not None]
    waited = sum(e.get("waited_s", 0) for e in entries if e.get("side") == next(iter(manifest["variants"])))
    parts = []
    if loads:
        parts.append(f"1-minute load average before each run: median {np.median(loads):.1f}, "
                     f"max {max(loads):.1f}")
    gate = manifest.get("quiet_gate")
    if gate and manifest.get("unquiet_rounds"):
        parts.append(f"{manifest['unquiet_rounds']} round(s) started only because the gate gave up after "
                     f"{gate['timeout_s']:.0f} s, " + ("kept" if manifest.get("kept_unquiet") else "left out"))
    if gate:
        parts.append(f"quiet gate: a round started once the CPUs were ≤ {100 * gate['max_busy']:.0f}% busy for "
                     f"{gate['samples']} s; {waited:.0f} s spent waiting; CPU busy share when rounds started: "
                     f"median {100 * np.median(busy):.0f}%, max {100 * max(busy):.0f}%" if busy else "quiet gate on")
    else:
        parts.append("no quiet gate (rounds ran whatever the load)")
    return "; ".join(parts)


def render_markdown(table: pd.DataFrame, manifest: dict) -> str:
    slowdowns = manifest["slowdowns"]
    header = ["K rounds", "r reps", "unit", "threshold", "alpha", "A/A regression alarms", "A/A any flag",
              *[f"{p}% detected" for p in slowdowns], "unslowed cell flagged (S10)", "target"]
    lines = [
        f"Recording: {manifest.get('complete_rounds', manifest['rounds'])} complete rounds"
        + (f" (rounds {manifest['round_span'][0]}–{manifest['round_span'][1]})" if manifest.get("round_span") else "")
        + " × "
        f"{len(manifest['variants'])} variants ({', '.join(manifest['variants'])}), {manifest['repetitions']} "
        f"repetitions per process, plan `{' '.join(manifest['plan_args'])}`, slowdown target "
        f"`{manifest['target']}`, {manifest['started']} – {manifest.get('finished', '?')} "
        f"({manifest.get('seconds') or '?'} s). {load_summary(manifest)}.",
        "",
        "Each rate: simulated CI runs with the event / all runs (blocks of K consecutive rounds per side), "
        "then the percentage and its 95% Wilson interval. target: A/A regression alarms ≤ 5% and 10% detected ≥ 90%.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for r in table.to_dict(orient="records"):
        cells = [str(r["rounds"]), str(r["reps"]), r["unit"], f"{r['threshold_pct']:g}%", f"{r['alpha']:g}",
                 rate(r["aa_regression_alarms"], r["runs"]), rate(r["aa_any_flag"], r["runs"]),
                 *[rate(r[f"detect_{p}"], r["runs"]) for p in slowdowns],
                 rate(r["other_flagged_10"], r["runs"]) if 10 in slowdowns else "n/a",
                 "yes" if meets_target(r, slowdowns) else ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Command line.


def numbers(kind):
    def parse(text: str) -> list:
        try:
            return [kind(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of numbers") from None
    return parse


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = _Parser(prog=PROG, description=__doc__.split("\n")[0], allow_abbrev=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    rec = sub.add_parser("record", help="run the interleaved variants", allow_abbrev=False)
    rec.add_argument("--out", type=Path, required=True, help="new directory for the recording")
    rec.add_argument("--binary", type=Path, default=DEFAULT_BINARY, help=f"concbench binary (default {DEFAULT_BINARY})")
    rec.add_argument("--rounds", type=int, default=100, help="rounds to record (default 100)")
    rec.add_argument("--repetitions", type=int, default=5, help="Google Benchmark repetitions per process (default 5)")
    rec.add_argument("--target", default="parallel/cpu", help="WORKLOAD[/VARIANT] the S variants slow down")
    rec.add_argument("--slowdowns", type=numbers(int), default=[5, 10, 20], help="PCT list (default 5,10,20)")
    rec.add_argument("--quiet", type=float, metavar="BUSY_PCT",
                     help="start each round only when the CPUs were at most BUSY_PCT %% busy for 2 s (default: no gate)")
    rec.add_argument("--quiet-timeout", type=float, default=600.0, metavar="S",
                     help="with --quiet: run the round anyway after waiting S seconds (default 600)")
    ana = sub.add_parser("analyse", help="false alarms and detections of a grid of settings", allow_abbrev=False)
    ana.add_argument("directory", type=Path)
    ana.add_argument("--rounds-per-run", type=numbers(int), default=[3, 5, 7], help="K values (default 3,5,7)")
    ana.add_argument("--repetitions", type=numbers(int), default=[3], help="r values (default 3)")
    ana.add_argument("--units", type=lambda t: t.split(","), default=["repetition", "run"],
                     help="test units (default repetition,run)")
    ana.add_argument("--thresholds", type=numbers(float), default=[0, 3, 5], help="minimum effects %% (default 0,3,5)")
    ana.add_argument("--alphas", type=numbers(float), default=[0.05], help="alphas (default 0.05)")
    ana.add_argument("--format", choices=["md", "json"], default="md")
    ana.add_argument("--rounds-span", type=numbers(int), metavar="FIRST,LAST",
                     help="only rounds FIRST..LAST (inclusive) of the recording (default: all)")
    ana.add_argument("--keep-unquiet", action="store_true",
                     help="keep rounds the quiet gate started only because it gave up waiting (default: leave out)")
    args, rest = parser.parse_known_args(argv)
    if args.command == "analyse" and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if rest and rest[0] == "--":
        rest = rest[1:]
    return args, rest


fail = functools.partial(report_error, PROG)  # one line on stderr, exit code 2


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args, rest = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    return record(args, rest) if args.command == "record" else analyse(args)


if __name__ == "__main__":
    sys.exit(main())
