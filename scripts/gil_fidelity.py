#!/usr/bin/python3
"""Runs the same experiments in real CPython interpreters and in concbench's global-lock models.

(a) a CPU-bound countdown split over 1, 2 and 4 threads, on one core and on all cores: time relative to
    running it sequentially;
(b) the convoy effect: pipe round trips to an echo process per second, alone and beside a CPU-bound thread;
(c) (b) again across switch intervals (sys.setswitchinterval / --gil-interval).

Both sides place the convoy the same way: the I/O thread and its forked echo process on the first CPU, the
CPU-bound thread on the second (concbench's convoy cell does it itself; the probe pins its threads).

Writes fidelity.csv and fidelity.png (and .svg) into --out, and prints the table. --check tests the table
against the bounds in docs/gil.md (exit 1, one line per broken bound); --runs K repeats the whole comparison;
--from re-checks a fidelity.csv written earlier without measuring anything. See docs/gil.md.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from concbench_data import LoadError, load_run, parse_kv  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
THREADS = (1, 2, 4)
INTERVALS_MS = (0.1, 0.5, 1.0, 5.0, 20.0, 50.0)

# The table's units (the `unit` column); the bounds below select rows by them.
TIME = "time relative to sequential"
LEGACY_TICK = "concbench ticks one Python 2 tick lasts (countdown; concbench: the model's constant)"
PYTHON2_TICKS_PER_ITERATION = 2  # Python 2.7's ceval.c counts 2 ticks an iteration of the countdown
COLLAPSE = "collapse factor (alone / beside a CPU thread)"
BESIDE = "round trips per second beside a CPU thread"
ALONE = "round trips per second alone"
BESIDE_CV = "cv of round trips per second beside a CPU thread"
LOCK_SHARE = "CPU thread's lock share of the round trips, median run"
LOCK_SHARE_MIN = "CPU thread's lock share of the round trips, least run"

# Bounds (docs/gil.md, "Fidelity bounds"): checked on every run by --check.
CV_MAX = 0.10  # concbench's convoy beside a CPU thread, at every interval
COLLAPSE_FACTOR = 3.0  # concbench's collapse factor within this factor of CPython's, at every interval
BESIDE_FACTOR = 2.0  # round trips per second beside a CPU thread within this factor of CPython's
GIL_TIME_TOLERANCE = 0.10  # (a) gil vs CPython 3: every case
LEGACY_TIME_TOLERANCE_ALL_CORES = 0.25  # (a) gil-legacy vs Python 2: 2 and 4 threads on all cores
LEGACY_TIME_TOLERANCE_ONE_CORE = 0.10  # (a) gil-legacy vs Python 2: every case on one core

# Runs inside the interpreter under test; Python 2.7 compatible on purpose (it is compared with gil-legacy).
PROBE = r'''
from __future__ import print_function
import ctypes, os, sys, threading, time

libc = ctypes.CDLL(None, use_errno=True)

def pin(cpu):
    """Binds the calling thread to one CPU (sched_setaffinity of thread 0: the caller), on 2.7 as on 3."""
    mask = (ctypes.c_ulong * 16)()
    mask[cpu // 64] = 1 << (cpu % 64)
    if libc.sched_setaffinity(0, ctypes.sizeof(mask), mask) != 0:
        raise OSError(ctypes.get_errno(), "sched_setaffinity")

def countdown(n):
    while n > 0:
        n -= 1

def split_countdown(n, threads):
    if threads == 1:
        countdown(n)
        return
    workers = [threading.Thread(target=countdown, args=(n // threads,)) for _ in range(threads)]
    for w in workers: w.start()
    for w in workers: w.join()

def timed(fn, *args):
    start = time.time()
    fn(*args)
    return time.time() - start

def echo_peer(cpu):
    to_peer, from_peer = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:
        pin(cpu)
        os.close(to_peer[1])  # else the peer never sees the end of its input
        os.close(from_peer[0])
        while True:
            byte = os.read(to_peer[0], 1)
            if not byte:
                os._exit(0)
            os.write(from_peer[1], byte)
    os.close(to_peer[0])
    os.close(from_peer[1])
    return pid, to_peer[1], from_peer[0]

def round_trips(ops, w, r):
    for _ in range(ops):
        os.write(w, b"x")
        os.read(r, 1)

def spin(stop, cpu):
    pin(cpu)
    x = 0
    while not stop:
        x += 1

def convoy(ops, beside, w, r, cpu):
    stop = []
    worker = None
    if beside:
        worker = threading.Thread(target=spin, args=(stop, cpu))
        worker.start()
        time.sleep(0.02)  # the CPU-bound thread is running and holds the lock
    seconds = timed(round_trips, ops, w, r)
    stop.append(True)
    if worker: worker.join()
    return ops / seconds

def median(values):
    return sorted(values)[len(values) // 2]

def cv(values):
    mean = sum(values) / len(values)
    if len(values) < 2 or mean == 0:
        return 0.0
    return (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5 / mean

mode = sys.argv[1]
if mode == "opcodes":
    # Bytecodes one countdown iteration executes (3.7+: opcode tracing, as concbench's tick calibration);
    # Python 2 cannot say, and counts 2 ticks an iteration (ceval.c: only the opcodes that `continue`).
    if sys.version_info < (3, 7):
        print("opcodes", 0)
    else:
        counted = [0]
        def tracer(frame, event, arg):
            frame.f_trace_opcodes = True
            if event == "opcode":
                counted[0] += 1
            return tracer
        sys.settrace(tracer)
        countdown(1000)
        sys.settrace(None)
        print("opcodes", counted[0] / 1000.0)
elif mode == "countdown":
    n, repeats = int(sys.argv[2]), int(sys.argv[3])
    countdown(n)  # warm up: a fresh interpreter's first run is slower and would fake a speedup
    results = dict((t, []) for t in (1, 2, 4))
    for _ in range(repeats):  # interleaved, so drift hits every thread count alike
        for t in (1, 2, 4):
            results[t].append(timed(split_countdown, n, t))
    for t in (1, 2, 4):
        print("countdown", t, median(results[t]))
elif mode == "convoy":
    ops_alone, ops_beside, repeats = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    interval = float(sys.argv[5]) if sys.argv[5] else None
    io_cpu, cpu_cpu = int(sys.argv[6]), int(sys.argv[7])
    pin(io_cpu)  # the I/O thread (this one), and its echo process beside it
    pid, w, r = echo_peer(io_cpu)
    round_trips(200, w, r)
    if interval is not None:
        sys.setswitchinterval(interval / 1000.0)
    alone, beside = [], []
    for _ in range(repeats):
        alone.append(convoy(ops_alone, False, w, r, cpu_cpu))
        beside.append(convoy(ops_beside, True, w, r, cpu_cpu))
    print("convoy", interval if interval is not None else "", median(alone), median(beside), cv(beside))
    os.close(w)
    os.waitpid(pid, 0)
'''


def interpreter_version(python: str) -> Optional[str]:
    try:
        out = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def run_probe(python: str, probe: Path, args: list[str], cpus: str) -> list[list[str]]:
    """Runs the probe pinned to `cpus` (taskset works for every interpreter version)."""
    out = subprocess.run(["taskset", "-c", cpus, python, str(probe), *args], capture_output=True, text=True,
                         timeout=1800, check=True)
    return [line.split(" ") for line in out.stdout.splitlines() if line]


def run_concbench(binary: Path, args: list[str], out: Path) -> pd.DataFrame:
    """Runs concbench and returns its results (ok rows only; a failed cell stops the experiment)."""
    done = subprocess.run([str(binary), *args, "--out", str(out)], capture_output=True, text=True, timeout=3600)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"concbench failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
    run_dir = Path(done.stdout.strip().splitlines()[-1])
    results = load_run(run_dir).results
    bad = results[results["status"] != "ok"]
    if not bad.empty:
        raise RuntimeError(f"concbench cells not ok: {bad[['model', 'variant', 'status', 'reason']].to_dict('records')}")
    return results


def countdown_rows(args, python: str, version: str, model: str, probe: Path, cpus: list[int]) -> list[dict]:
    rows = []
    for label, pinned in (("1 core", str(cpus[0])), ("all cores", ",".join(map(str, cpus)))):
        measured = {int(t): float(s) for _, t, s in run_probe(python, probe, ["countdown", str(args.countdown),
                                                                              str(args.repeats)], pinned)}
        if label == "1 core":
            args.iteration_ns[version] = measured[1] / args.countdown * 1e9
        cores = 1 if label == "1 core" else len(cpus)
        results = run_concbench(args.binary, ["--workloads", "parallel/cpu", "--models", f"sequential,{model}",
                                              "--cores", str(cores), "--set", "tasks=1,2,4",
                                              f"--benchmark_repetitions={args.repeats}"], args.work / "a")
        if model == "gil-legacy":
            legacy = results[results.model == model].metrics.map(lambda m: parse_kv(str(m)))
            args.legacy_period = next((int(m["check_period_ticks"]) for m in legacy if "check_period_ticks" in m), None)
        for threads in THREADS:
            seq = results[(results.model == "sequential") & (results.tasks == threads)].items_per_s.iloc[0]
            gil = results[(results.model == model) & (results.tasks == threads)].items_per_s.iloc[0]
            rows.append({"experiment": "a", "case": f"{threads} threads, {label}", "interpreter": version,
                         "model": model, "cpython": measured[threads] / measured[1], "concbench": seq / gil,
                         "unit": TIME})
    return rows


def convoy_rows(args, python: str, version: str, model: str, probe: Path, cpus: list[int]) -> list[dict]:
    """(b) and (c): for each interval (Python 2 has none: one default case), the probe then the same cell in
    concbench, interleaved so drift hits both alike."""
    io_cpu, cpu_cpu = cpus[0], cpus[1] if len(cpus) > 1 else cpus[0]
    rows = []
    for interval in (INTERVALS_MS if model == "gil" else (None,)):
        [(_, _, alone, beside, beside_cv)] = run_probe(
            python, probe, ["convoy", str(args.ops_alone), str(args.ops_beside), str(args.repeats),
                            "" if interval is None else str(interval), str(io_cpu), str(cpu_cpu)],
            ",".join(map(str, cpus)))
        # Each variant with the probe's number of round trips: a concbench run also starts and joins its
        # threads, which a few hundred round trips alone (~3 µs each) would feel.
        ours = {}
        for variant, ops in (("alone", args.ops_alone), ("beside-cpu", args.ops_beside)):
            cb_args = ["--workloads", f"convoy/{variant}", "--models", model, "--cores", str(len(cpus)),
                       f"--benchmark_repetitions={args.repeats}", "--benchmark_min_time=0.05", "--set", f"ops={ops}"]
            if interval is not None:
                cb_args += ["--gil-interval", str(interval)]
            ours[variant] = run_concbench(args.binary, cb_args, args.work / "b").iloc[0]
        cb_alone, cb_beside = ours["alone"], ours["beside-cpu"]
        metrics = parse_kv(str(cb_beside.metrics)) if isinstance(cb_beside.metrics, str) else {}
        case = "default interval" if interval is None else f"interval {interval} ms"
        experiment = "b" if interval is None or interval == 5.0 else "c"
        base = {"experiment": experiment, "case": case, "interpreter": version, "model": model}
        rows.append({**base, "unit": COLLAPSE, "cpython": float(alone) / float(beside),
                     "concbench": cb_alone.items_per_s / cb_beside.items_per_s})
        # The factor's two terms as well: the rate beside a CPU thread is the lock's doing; the rate alone is
        # the round trip itself (the echo answering on the same CPU: a direct switch), in CPython as here.
        rows.append({**base, "unit": BESIDE, "cpython": float(beside), "concbench": float(cb_beside.items_per_s)})
        rows.append({**base, "unit": ALONE, "cpython": float(alone), "concbench": float(cb_alone.items_per_s)})
        rows.append({**base, "unit": BESIDE_CV, "cpython": float(beside_cv), "concbench": float(cb_beside.cv)})
        # Not bounds: what tells a run without a convoy (a least run near 0) from a weak one.
        for unit, key in ((LOCK_SHARE, "cpu_lock_share"), (LOCK_SHARE_MIN, "cpu_lock_share_min")):
            if key in metrics:
                rows.append({**base, "unit": unit, "cpython": math.nan, "concbench": float(metrics[key])})
    return rows


def measure(args, pythons: list[str], cpus: list[int]) -> Optional[list[dict]]:
    """One whole comparison: every runnable interpreter against its model. None: nothing could be run."""
    rows: list[dict] = []
    args.iteration_ns, args.opcodes, args.legacy_period = {}, {}, None
    with tempfile.TemporaryDirectory() as work:
        args.work = Path(work)
        probe = args.work / "probe.py"
        probe.write_text(PROBE)
        for python in pythons:
            version = interpreter_version(python)
            if version is None:
                print(f"gil_fidelity.py: {python}: not runnable, its comparison is skipped", file=sys.stderr)
                continue
            model = "gil-legacy" if version.startswith("2.") else "gil"
            if not version.startswith("2."):
                [(_, opcodes)] = run_probe(python, probe, ["opcodes"], str(cpus[0]))
                args.opcodes[version] = float(opcodes)
            rows += countdown_rows(args, python, version, model, probe, cpus)
            rows += convoy_rows(args, python, version, model, probe, cpus)
        rows += legacy_tick_rows(args)
    return rows or None


def legacy_tick_rows(args) -> list[dict]:
    """How many of concbench's ticks (a CPython 3 bytecode's time) one of Python 2's ticks lasts, measured on
    the countdown, beside the constant the model uses (gil::kTicksPerLegacyTick): shown, not bounded."""
    python2 = [v for v in args.iteration_ns if v.startswith("2.")]
    python3 = [v for v in args.iteration_ns if not v.startswith("2.") and args.opcodes.get(v)]
    if not python2 or not python3 or not args.legacy_period:
        return []
    two, three = python2[0], python3[0]
    measured = (args.iteration_ns[two] / PYTHON2_TICKS_PER_ITERATION) / (args.iteration_ns[three] / args.opcodes[three])
    # check_period_ticks = (check interval 100 + 1) x the constant
    return [{"experiment": "a", "case": "one Python 2 tick", "interpreter": f"{two} / {three}", "model": "gil-legacy",
             "unit": LEGACY_TICK, "cpython": measured, "concbench": args.legacy_period / 101}]


def _number(value) -> Optional[float]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _interval_ms(case: str) -> Optional[float]:
    if not case.startswith("interval "):
        return None
    return float(case.split()[1])


def check(table: pd.DataFrame) -> list[str]:
    """The bounds of docs/gil.md that `table` (one run's rows) breaks: one line each, empty when all hold."""
    broken: list[str] = []
    rows = table.to_dict("records")

    def ratio_outside(row: dict, factor: float) -> bool:
        theirs, ours = _number(row["cpython"]), _number(row["concbench"])
        if theirs is None or ours is None or theirs <= 0 or ours <= 0:
            return True
        return not (1 / factor <= ours / theirs <= factor)

    def fmt(value) -> str:
        number = _number(value)
        return "?" if number is None else f"{number:.3g}"

    gil_convoy = [r for r in rows if r["model"] == "gil" and _interval_ms(str(r["case"])) is not None]
    for row in gil_convoy:
        where = f"gil {row['case']}"
        if row["unit"] == BESIDE_CV:
            cv = _number(row["concbench"])
            if cv is None or cv > CV_MAX:
                broken.append(f"{where}: convoy beside-cpu cv {fmt(row['concbench'])} > {CV_MAX:g}")
        elif row["unit"] == COLLAPSE and ratio_outside(row, COLLAPSE_FACTOR):
            broken.append(f"{where}: collapse factor {fmt(row['concbench'])}x vs CPython's {fmt(row['cpython'])}x, "
                          f"not within {COLLAPSE_FACTOR:g}x")
        elif row["unit"] == BESIDE and ratio_outside(row, BESIDE_FACTOR):
            broken.append(f"{where}: {fmt(row['concbench'])} round trips/s beside a CPU thread vs CPython's "
                          f"{fmt(row['cpython'])}, not within {BESIDE_FACTOR:g}x")
    collapse = sorted(((_interval_ms(str(r["case"])), _number(r["concbench"])) for r in gil_convoy
                       if r["unit"] == COLLAPSE), key=lambda pair: pair[0])
    for (short, low), (long, high) in zip(collapse, collapse[1:]):
        if low is None or high is None or not high > low:
            broken.append(f"gil: the collapse factor does not rise with the interval: {fmt(low)}x at {short:g} ms, "
                          f"{fmt(high)}x at {long:g} ms")

    for row in rows:
        if row["unit"] != TIME:
            continue
        threads, _, where = str(row["case"]).partition(" threads, ")
        if row["model"] == "gil":
            tolerance = GIL_TIME_TOLERANCE
        elif row["model"] == "gil-legacy" and where == "1 core":
            tolerance = LEGACY_TIME_TOLERANCE_ONE_CORE
        elif row["model"] == "gil-legacy" and threads in ("2", "4"):
            tolerance = LEGACY_TIME_TOLERANCE_ALL_CORES
        else:
            continue
        theirs, ours = _number(row["cpython"]), _number(row["concbench"])
        if theirs is None or ours is None or theirs <= 0 or abs(ours / theirs - 1) > tolerance:
            broken.append(f"{row['model']} {row['case']}: time over sequential {fmt(ours)} vs "
                          f"{row['interpreter']}'s {fmt(theirs)}, not within ±{tolerance:.0%}")
    return broken


def draw(table: pd.DataFrame, out: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_a, ax_c) = plt.subplots(1, 2, figsize=(12, 4.5))
    a = table[table.experiment == "a"]
    x = range(len(a))
    ax_a.bar([i - 0.2 for i in x], a.cpython, width=0.4, label="CPython")
    ax_a.bar([i + 0.2 for i in x], a.concbench, width=0.4, label="concbench")
    ax_a.set_xticks(list(x), [f"{c}\n{m}" for c, m in zip(a.case, a.model)], fontsize=7, rotation=30)
    ax_a.set_ylabel("time relative to sequential")
    ax_a.set_title("(a) CPU-bound countdown over threads")
    ax_a.legend()
    c = table[(table.experiment != "a") & (table.model == "gil") & table.case.str.startswith("interval")
              & (table.unit == COLLAPSE)]
    if not c.empty:
        ms = c.case.str.extract(r"interval ([\d.]+) ms")[0].astype(float)
        ax_c.plot(ms, c.cpython, "o-", label="CPython")
        ax_c.plot(ms, c.concbench, "s-", label="concbench gil")
        ax_c.set_xscale("log")
        ax_c.set_yscale("log")
        ax_c.set_xlabel("switch interval (ms)")
        ax_c.set_ylabel("I/O collapse factor (alone / beside CPU)")
        ax_c.set_title("(b, c) convoy effect across switch intervals")
        ax_c.legend()
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(out / f"fidelity.{ext}", dpi=90)
    plt.close(fig)


def show(table: pd.DataFrame) -> None:
    """The table as aligned text: figures to three digits, right-aligned; words left-aligned."""
    columns = [c for c in ("experiment", "case", "interpreter", "model", "cpython", "concbench",
                           "concbench_over_cpython", "unit") if c in table.columns]
    numeric = {"cpython", "concbench", "concbench_over_cpython"}

    def cell(column: str, value) -> str:
        if column in numeric:
            number = _number(value)
            return "" if number is None else f"{number:.3g}"
        return str(value)

    cells = [[cell(c, value) for c, value in zip(columns, row)] for row in table[columns].itertuples(index=False)]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if c in numeric else v.ljust(w)
                         for c, v, w in zip(columns, values, widths)).rstrip()

    print(line(columns))
    for row in cells:
        print(line(row))


def report(table: pd.DataFrame, runs: int, checking: bool) -> bool:
    """Prints each run's table (and, checking, its broken bounds); True when every run kept every bound."""
    all_held = True
    for run, rows in table.groupby("run", sort=True):
        print(f"== run {run} of {runs}")
        show(rows)
        if checking:
            broken = check(rows)
            for line in broken:
                print(f"run {run}: bound broken: {line}")
            print(f"run {run}: {'every bound holds' if not broken else f'{len(broken)} bound(s) broken'}")
            all_held = all_held and not broken
    return all_held


def read_table(path: Path) -> pd.DataFrame:
    """A fidelity.csv written earlier (one run, or several with a `run` column)."""
    try:
        table = pd.read_csv(path, keep_default_na=True)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise LoadError(path, str(error)) from error
    missing = {"experiment", "case", "interpreter", "model", "unit", "cpython", "concbench"} - set(table.columns)
    if missing:
        raise LoadError(path, f"not a fidelity table: no column(s) {', '.join(sorted(missing))}")
    if "run" not in table.columns:
        table.insert(0, "run", 1)
    return table


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="interpreter to compare (repeatable; default "
                        "/usr/bin/python3); a Python 2 is compared with gil-legacy")
    parser.add_argument("--binary", type=Path, default=ROOT / "build/release/concbench")
    parser.add_argument("--out", type=Path, default=Path("fidelity"))
    parser.add_argument("--countdown", type=int, default=5_000_000, help="countdown length (a)")
    parser.add_argument("--ops-alone", type=int, default=2000, help="round trips alone (b, c), on both sides")
    parser.add_argument("--ops-beside", type=int, default=200,
                        help="round trips beside a CPU thread (b, c), on both sides")
    parser.add_argument("--repeats", type=int, default=5, help="repetitions of each measurement, per run")
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole comparison K times, reporting each")
    parser.add_argument("--check", action="store_true", help="exit 1 when a run breaks a bound of docs/gil.md")
    parser.add_argument("--from", dest="from_csv", type=Path,
                        help="print (and --check) a fidelity.csv written earlier: nothing is measured")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.from_csv is not None:
        try:
            table = read_table(args.from_csv)
        except LoadError as error:
            print(f"gil_fidelity.py: error: {error}", file=sys.stderr)
            return 2
        held = report(table, int(table.run.max()), args.check)
        return 0 if held or not args.check else 1

    pythons = args.python or ["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"]
    if not args.binary.exists():
        print(f"gil_fidelity.py: error: {args.binary}: no concbench binary (build it: ./scripts/run --list)",
              file=sys.stderr)
        return 2
    if shutil.which("taskset") is None:
        print("gil_fidelity.py: error: taskset (util-linux) is needed to pin the interpreters", file=sys.stderr)
        return 2
    cpus = sorted(os.sched_getaffinity(0))
    args.out.mkdir(parents=True, exist_ok=True)
    tables = []
    for run in range(1, args.runs + 1):
        try:
            rows = measure(args, pythons, cpus)
        except (RuntimeError, subprocess.SubprocessError, LoadError, ValueError) as error:
            print(f"gil_fidelity.py: error: run {run}: {error}", file=sys.stderr)
            return 1
        if rows is None:
            print("gil_fidelity.py: error: no interpreter could be run", file=sys.stderr)
            return 2
        table = pd.DataFrame(rows)
        table.insert(0, "run", run)
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    table["concbench_over_cpython"] = table.concbench / table.cpython
    table.to_csv(args.out / "fidelity.csv", index=False)
    draw(table[table.run == args.runs], args.out)
    held = report(table, args.runs, args.check)
    print(f"wrote {args.out / 'fidelity.csv'} and {args.out / 'fidelity.png'} (the last run's chart)")
    return 0 if held or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
