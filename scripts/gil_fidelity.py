#!/usr/bin/python3
"""Runs the same experiments in real CPython interpreters and in concbench's global-lock models.

(a) a CPU-bound countdown split over 1, 2 and 4 threads, on one core and on all cores: time relative to
    running it sequentially;
(b) the convoy effect: pipe round trips to an echo process per second, alone and beside a CPU-bound thread;
(c) (b) again across switch intervals (sys.setswitchinterval / --gil-interval).

Writes fidelity.csv and fidelity.png (and .svg) into --out, and prints the table. See docs/gil.md.
"""
from __future__ import annotations

import argparse
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

# Runs inside the interpreter under test; Python 2.7 compatible on purpose (it is compared with gil-legacy).
PROBE = r'''
from __future__ import print_function
import os, sys, threading, time

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

def echo_peer():
    to_peer, from_peer = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:
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

def spin(stop):
    x = 0
    while not stop:
        x += 1

def convoy(ops, beside, w, r):
    stop = []
    cpu = None
    if beside:
        cpu = threading.Thread(target=spin, args=(stop,))
        cpu.start()
        time.sleep(0.02)  # the CPU-bound thread is running and holds the lock
    seconds = timed(round_trips, ops, w, r)
    stop.append(True)
    if cpu: cpu.join()
    return ops / seconds

mode = sys.argv[1]
if mode == "countdown":
    n, repeats = int(sys.argv[2]), int(sys.argv[3])
    countdown(n)  # warm up: a fresh interpreter's first run is slower and would fake a speedup
    results = dict((t, []) for t in (1, 2, 4))
    for _ in range(repeats):  # interleaved, so drift hits every thread count alike
        for t in (1, 2, 4):
            results[t].append(timed(split_countdown, n, t))
    for t in (1, 2, 4):
        print("countdown", t, sorted(results[t])[len(results[t]) // 2])
elif mode == "convoy":
    ops_alone, ops_beside, repeats = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    intervals = [float(x) for x in sys.argv[5].split(",")] if len(sys.argv) > 5 and sys.argv[5] else [None]
    pid, w, r = echo_peer()
    round_trips(200, w, r)
    for interval in intervals:
        if interval is not None:
            sys.setswitchinterval(interval / 1000.0)
        alone, beside = [], []
        for _ in range(repeats):
            alone.append(convoy(ops_alone, False, w, r))
            beside.append(convoy(ops_beside, True, w, r))
        print("convoy", interval if interval is not None else "", sorted(alone)[len(alone) // 2],
              sorted(beside)[len(beside) // 2])
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
                         timeout=900, check=True)
    return [line.split(" ") for line in out.stdout.splitlines() if line]


def run_concbench(binary: Path, args: list[str], out: Path) -> pd.DataFrame:
    """Runs concbench and returns its results (ok rows only; a failed cell stops the experiment)."""
    done = subprocess.run([str(binary), *args, "--out", str(out)], capture_output=True, text=True, timeout=1800)
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
        cores = 1 if label == "1 core" else len(cpus)
        results = run_concbench(args.binary, ["--workloads", "parallel/cpu", "--models", f"sequential,{model}",
                                              "--cores", str(cores), "--set", "tasks=1,2,4",
                                              f"--benchmark_repetitions={args.repeats}"], args.work / "a")
        for threads in THREADS:
            seq = results[(results.model == "sequential") & (results.tasks == threads)].items_per_s.iloc[0]
            gil = results[(results.model == model) & (results.tasks == threads)].items_per_s.iloc[0]
            rows.append({"experiment": "a", "case": f"{threads} threads, {label}", "interpreter": version,
                         "model": model, "cpython": measured[threads] / measured[1], "concbench": seq / gil,
                         "unit": "time relative to sequential"})
    return rows


def convoy_rows(args, python: str, version: str, model: str, probe: Path, cpus: list[int]) -> list[dict]:
    intervals = ",".join(str(i) for i in INTERVALS_MS) if model == "gil" else ""
    measured = run_probe(python, probe, ["convoy", str(args.ops_alone), str(args.ops_beside), str(args.repeats),
                                         intervals], ",".join(map(str, cpus)))
    rows = []
    cb_args = ["--workloads", "convoy", "--models", model, "--cores", str(len(cpus)),
               f"--benchmark_repetitions={args.repeats}", "--benchmark_min_time=0.05",
               "--set", f"ops={args.ops_beside}"]
    if intervals:
        cb_args += ["--gil-interval", intervals]
    results = run_concbench(args.binary, cb_args, args.work / "b")
    for _, interval, alone, beside in measured:
        ours = results
        if interval:
            us = str(max(1, round(float(interval) * 1000)))
            ours = results[results.params.map(lambda p: parse_kv(p).get("gil_interval_us") == us)]
        cb_alone = ours[ours.variant == "alone"].items_per_s.iloc[0]
        cb_beside = ours[ours.variant == "beside-cpu"].items_per_s.iloc[0]
        case = "default interval" if not interval else f"interval {interval} ms"
        experiment = "b" if not interval or float(interval) == 5.0 else "c"
        rows.append({"experiment": experiment, "case": case, "interpreter": version, "model": model,
                     "cpython": float(alone) / float(beside), "concbench": cb_alone / cb_beside,
                     "unit": "collapse factor (alone / beside a CPU thread)"})
        # The factor's two terms as well: the rate beside a CPU thread is the lock's doing; the rate alone
        # depends on where the kernel puts the I/O thread and its echo peer (the same core: a direct
        # switch, several times faster than a wake-up across cores), in CPython as in concbench.
        for unit, theirs, mine in (("round trips per second beside a CPU thread", beside, cb_beside),
                                   ("round trips per second alone", alone, cb_alone)):
            rows.append({"experiment": experiment, "case": case, "interpreter": version, "model": model,
                         "cpython": float(theirs), "concbench": float(mine), "unit": unit})
    return rows


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
              & table.unit.str.startswith("collapse")]
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


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="interpreter to compare (repeatable; default "
                        "/usr/bin/python3); a Python 2 is compared with gil-legacy")
    parser.add_argument("--binary", type=Path, default=ROOT / "build/release/concbench")
    parser.add_argument("--out", type=Path, default=Path("fidelity"))
    parser.add_argument("--countdown", type=int, default=5_000_000, help="countdown length (a)")
    parser.add_argument("--ops-alone", type=int, default=2000, help="round trips alone (b, c)")
    parser.add_argument("--ops-beside", type=int, default=200, help="round trips beside a CPU thread (b, c)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
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
    rows: list[dict] = []
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
            try:
                rows += countdown_rows(args, python, version, model, probe, cpus)
                rows += convoy_rows(args, python, version, model, probe, cpus)
            except (RuntimeError, subprocess.SubprocessError, LoadError) as error:
                print(f"gil_fidelity.py: error: {python}: {error}", file=sys.stderr)
                return 1
    if not rows:
        print("gil_fidelity.py: error: no interpreter could be run", file=sys.stderr)
        return 2
    table = pd.DataFrame(rows)
    table["concbench_over_cpython"] = table.concbench / table.cpython
    table.to_csv(args.out / "fidelity.csv", index=False)
    draw(table, args.out)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(f"wrote {args.out / 'fidelity.csv'} and {args.out / 'fidelity.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
