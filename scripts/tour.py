#!/usr/bin/python3
"""A tour of the seed talk, measured: each idea as one concbench command and its result on this machine.

    tour.py [--binary PATH] [--out DIR] [--cores N]

Runs a small selection (12 s of steps on 2 vCPUs, docs/tour.md), in the talk's order, and writes DIR/tour.md and
DIR/tour.html (charts under DIR/charts/, each step's report directory under DIR/runs/); prints the same
page as plain text. Every step shows the exact command that reproduces its figure. Exit status: 0 done,
1 a step's command failed (the page says which), 2 bad input. docs/tour.md is a committed example.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

PROG = "tour.py"

from script_env import require  # noqa: E402

require(PROG, "pandas", "matplotlib")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from concbench_data import LoadError, derive, load  # noqa: E402
from concbench_data.cli import report_error  # noqa: E402
from concbench_data.report import Block, Code, Heading, Image, Paragraph, Table, to_html, to_markdown, to_text  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Running concbench


@dataclass
class Command:
    """One concbench invocation of a step: what the reader types, and what the tour ran."""

    args: list[str]
    shown_binary: str

    def text(self) -> str:
        return " ".join(shlex.quote(a) for a in [self.shown_binary, *self.args])


@dataclass
class Outcome:
    command: Command
    exit_code: int
    stdout: str
    stderr: str
    report_dir: Path | None = None  # for a benchmark run: where its results are

    def results(self) -> pd.DataFrame:
        if self.report_dir is None:
            return pd.DataFrame()
        return load([self.report_dir]).results


class Runner:
    def __init__(self, binary: str, shown_binary: str, runs_dir: Path) -> None:
        self.binary = binary
        self.shown_binary = shown_binary
        self.runs_dir = runs_dir
        self.failures: list[str] = []

    def command(self, *args: str) -> Command:
        return Command(list(args), self.shown_binary)

    def run(self, command: Command, *, benchmark: bool = True, ok_codes: tuple[int, ...] = (0,)) -> Outcome:
        """Runs `command` (a benchmark run goes to runs_dir, not reports/); records a failure."""
        extra = ["--out", str(self.runs_dir)] if benchmark else []
        sys.stderr.write(f"{PROG}: {command.text()}\n")
        done = subprocess.run([self.binary, *command.args, *extra], capture_output=True, text=True)
        outcome = Outcome(command, done.returncode, done.stdout, done.stderr)
        if benchmark and done.stdout.strip():
            last = Path(done.stdout.strip().splitlines()[-1])
            outcome.report_dir = last if last.is_dir() else None
        if done.returncode not in ok_codes or (benchmark and outcome.report_dir is None):
            why = (done.stderr.strip().splitlines() or ["no output"])[-1]
            self.failures.append(f"`{command.text()}` exited with {done.returncode}: {why}")
        return outcome


# ---------------------------------------------------------------------------------------------
# Reading rows


def metric(frame: pd.DataFrame, name: str) -> pd.Series:
    return derive.metric(frame, name) if not frame.empty else pd.Series(dtype=float)


def fmt_rate(value: object) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if pd.isna(number):
        return ""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(number) >= scale:
            return f"{number / scale:.3g} {unit}"
    return f"{number:.3g}"


def fmt_num(value: object, digits: int = 3) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value) if value is not None else ""
    return "" if pd.isna(number) else f"{number:.{digits}g}"


# ---------------------------------------------------------------------------------------------
# The steps, in the talk's order


@dataclass
class Step:
    title: str
    idea: str
    blocks: list[Block] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)

    def measure(self, run: Runner, *args: str) -> pd.DataFrame:
        """Runs one benchmark command of this step (shown on its page) and returns its rows."""
        command = run.command(*args)
        self.commands.append(command)
        return run.run(command).results()

    def check(self, run: Runner, *args: str) -> Outcome:
        """Runs one `concbench check` command of this step (exit 1, a reachable deadlock, is a result)."""
        command = run.command("check", *args)
        self.commands.append(command)
        return run.run(command, benchmark=False, ok_codes=(0, 1))


def tour_step(fill: Callable[..., None]) -> Callable[..., Step]:
    """A step of the tour from the function that fills it (its measurements and tables, given the new Step first):
    the function's docstring is the step's text, its first line the title, the paragraph after it the idea."""
    if not fill.__doc__:  # python -OO drops docstrings
        raise TypeError(f"{fill.__name__}: a tour step needs its docstring, the text of its page")
    title, _, idea = inspect.cleandoc(fill.__doc__).partition("\n\n")

    @functools.wraps(fill)
    def make(*args: Any) -> Step:
        step = Step(title, " ".join(idea.split()))
        fill(step, *args)
        return step

    return make


def quadrant_chart(rows: pd.DataFrame, path: Path) -> None:
    """The talk's 2×2: sequential/concurrent across, serial/parallel up; each cell in its quadrant."""
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.axvline(1, color="#888")
    ax.axhline(1, color="#888")
    ax.set_xticks([0.5, 1.5], ["sequential", "concurrent"])
    ax.set_yticks([0.5, 1.5], ["serial", "parallel"])
    ax.set_title("parallel/cpu: each model's cells in the talk's quadrants (speedup vs sequential)")
    places = {"serial-sequential": (0, 0), "serial-concurrent": (1, 0), "parallel-concurrent": (1, 1)}
    filled: dict[tuple[int, int], int] = {}
    for _, row in rows.iterrows():
        quadrant = places.get(str(row["taxonomy"]))
        if quadrant is None:
            continue
        slot = filled.get(quadrant, 0)
        filled[quadrant] = slot + 1
        x = quadrant[0] + 0.08
        y = quadrant[1] + 0.88 - 0.13 * slot
        label = f"{row['model']} ({int(row['cores'])} core{'s' if int(row['cores']) > 1 else ''}): ×{fmt_num(row['speedup'], 2)}"
        ax.text(x, y, label, fontsize=10, va="top")
    ax.text(0.08, 1.88, "(no model: parallel needs several tasks in progress)", fontsize=9, va="top", color="#777")
    fig.tight_layout()
    fig.savefig(path.with_suffix(".png"), dpi=110)
    fig.savefig(path.with_suffix(".svg"))
    plt.close(fig)


@tour_step
def step_parallel(step: Step, run: Runner, cores: str, charts: Path) -> None:
    """1. Serial vs parallel, sequential vs concurrent

    Concurrency is about structure (several tasks in progress), parallelism about execution (several running at the
    same instant). The same CPU-bound work, split in 8 tasks, on a model of each kind: sequential runs them one
    after another; coroutines interleave them on one thread (concurrent, serial); threads and TBB run them on
    several cores (concurrent and parallel). Speedup is against sequential on one core, measured in the same run.
    """
    rows = step.measure(run, "--workloads", "parallel/cpu", "--models", "sequential,coroutine,thread,tbb", "--cores",
                        cores, "--set", "tasks=8", "--quick")
    if rows.empty:
        return
    quadrant_chart(rows, charts / "quadrants")
    step.blocks.append(Image("charts/quadrants.png", "models in the talk's quadrants", "charts/quadrants.svg"))
    step.blocks.append(Table(pd.DataFrame({
        "model": rows["model"], "cores": rows["cores"], "quadrant": rows["taxonomy"],
        "items/s": rows["items_per_s"].map(fmt_rate), "speedup": rows["speedup"].map(lambda v: fmt_num(v, 3)),
        "status": rows["status"],
    })))


@tour_step
def step_pingpong(step: Step, run: Runner) -> None:
    """2. Coroutines swap control: the cost of one hand-over

    Two tasks pass control back and forth, like the talk's two coroutines handing the engine to each other. A
    stackless coroutine switch is a function call; a fiber switch saves registers and a stack; a thread hand-off
    goes through the kernel. `bare` is the same primitive in a minimal hand-written loop, so the harness's own
    overhead shows.
    """
    rows = step.measure(run, "--workloads", "pingpong", "--quick")
    if rows.empty:
        return
    ns = metric(rows, "ns_per_switch")
    table = pd.DataFrame({
        "model": rows["model"], "cores": rows["cores"], "primitive": primitive_of(rows),
        "ns per switch": ns.map(lambda v: fmt_num(v, 3)), "workers": rows["workers"].map(fmt_int),
        "status": rows["status"],
    }).sort_values(["primitive", "model", "cores"], kind="stable")
    step.blocks.append(Table(table))
    step.blocks.extend(unsupported_notes(rows))


def primitive_of(rows: pd.DataFrame) -> pd.Series:
    """The hand-off a pingpong row used: a model's `primitive` metric, or bare's `primitive` parameter."""
    from_metrics = rows["metrics"].fillna("").str.extract(r"(?:^|;)primitive=([^;]+)")[0]
    from_params = rows["params"].fillna("").str.extract(r"(?:^|;)primitive=([^;]+)")[0]
    return from_metrics.fillna(from_params).fillna("")


def fmt_int(value: object) -> str:
    try:
        return str(int(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


def unsupported_notes(rows: pd.DataFrame) -> list[Block]:
    """One line per cell a model cannot run, with its reason (kept out of the table's columns)."""
    notes = rows[rows["status"] == "unsupported"]
    return [Paragraph(f"{r['model']} at {r['cores']} core(s): unsupported — {r['reason']}")
            for _, r in notes.iterrows()]


@tour_step
def step_sharing(step: Step, run: Runner, cores: str) -> None:
    """3. Sharing state vs communicating

    Many writers on one piece of state: a mutex serialises them, an atomic makes the hardware do it, sharded
    counters stop sharing (and the packed variant shows what sharing one cache line costs). Communicating instead of
    sharing: producers and consumers over a bounded channel, with each item's wait from enqueue to dequeue.
    """
    counted = step.measure(run, "--workloads", "counter", "--models", "thread", "--cores", cores, "--quick")
    if not counted.empty:
        step.blocks.append(Table(pd.DataFrame({
            "counter variant": counted["variant"], "model": counted["model"], "cores": counted["cores"],
            "tasks": counted["tasks"], "adds/s": counted["items_per_s"].map(fmt_rate), "status": counted["status"],
        })))
    passed = step.measure(run, "--workloads", "prodcons", "--models", "thread,coroutine", "--cores", cores, "--quick")
    if not passed.empty:
        step.blocks.append(Table(pd.DataFrame({
            "prodcons": passed["variant"], "model": passed["model"], "cores": passed["cores"],
            "params": passed["params"], "items/s": passed["items_per_s"].map(fmt_rate),
            "latency p50 µs": passed["latency_p50_us"].map(fmt_num),
            "latency p99 µs": passed["latency_p99_us"].map(fmt_num), "status": passed["status"],
        })))


@tour_step
def step_philosophers(step: Step, run: Runner, cores: str) -> None:
    """4. Do starting states exist in which our program can't complete?

    The dining philosophers. The checker explores every interleaving of a strategy's protocol: for `naive` (left
    fork, then right) it finds the shortest path to a deadlock; for `ordered` (lower fork first) it proves there is
    none. Then the real thing: the naive strategy run several times per model (each trial with its own seed), and
    the share of trials that deadlocked.
    """
    for strategy in ("naive", "ordered"):
        outcome = step.check(run, "philosophers", "--strategy", strategy, "--n", "5")
        step.blocks.append(Code(f"$ {outcome.command.text()}\n{outcome.stdout.strip()}\n(exit {outcome.exit_code})"))
    rows = step.measure(run, "--workloads", "philosophers/naive,philosophers/ordered", "--models",
                        "sequential,coroutine,fiber,thread,gil", "--cores", cores, "--quick", "--trials", "5")
    if not rows.empty:
        step.blocks.append(Table(pd.DataFrame({
            "strategy": rows["variant"], "model": rows["model"], "cores": rows["cores"], "status": rows["status"],
            "deadlock share": metric(rows, "deadlock_share").map(lambda v: fmt_num(v, 2)),
            "meals/s": rows["items_per_s"].map(fmt_rate), "fairness": rows["fairness"].map(fmt_num),
        })))


def ratio_table(rows: pd.DataFrame, variant: str, order: tuple[str, ...] = ()) -> pd.DataFrame:
    """Throughput per model at each core count, and the last core count over the first; `order`: those models
    first, in that order."""
    part = rows[(rows["variant"] == variant) & (rows["status"] == "ok")]
    table = part.pivot_table(index="model", columns="cores", values="items_per_s", aggfunc="first")
    table = table.reindex([m for m in order if m in table.index] + [m for m in table.index if m not in order])
    out = pd.DataFrame({"model": table.index})
    for cores in table.columns:
        out[f"items/s, {cores} core{'s' if cores > 1 else ''}"] = table[cores].map(fmt_rate).values
    if len(table.columns) > 1:
        first, last = table.columns[0], table.columns[-1]
        out[f"{last} cores / {first}"] = (table[last] / table[first]).map(lambda v: fmt_num(v, 2)).values
    return out


@tour_step
def step_gil(step: Step, run: Runner, cores: str) -> None:
    """5. The GIL as a mutex

    CPython's global interpreter lock is a mutex every thread must hold to run bytecode. concbench's `gil` model
    schedules threads exactly as CPython 3 does (docs/gil.md), `gil-legacy` as Python 2 did. CPU-bound threads gain
    nothing from a second core under the GIL (and lose under the old one); threads that block release it, so
    blocking work still overlaps. An I/O-bound thread beside a CPU-bound one waits for the lock after every system
    call: the convoy effect. `python-threads` is the real thing, CPython's threads on the same cells (its bodies are
    Python, so slower: compare how each moves from 1 to 2 cores).
    """
    rows = step.measure(run, "--workloads", "parallel", "--models", "thread,gil,python-threads,gil-legacy",
                        "--cores", cores, "--set", "tasks=2", "--quick")
    if not rows.empty:
        for variant in ("cpu", "io"):
            step.blocks.append(Paragraph(f"parallel/{variant}, 2 tasks:"))
            step.blocks.append(Table(ratio_table(rows, variant, ("thread", "gil", "python-threads"))))
    rows = step.measure(run, "--workloads", "convoy", "--models", "thread,gil", "--cores", cores.split(",")[-1],
                        "--quick")
    if not rows.empty:
        ok = rows[rows["status"] == "ok"]
        table = ok.pivot_table(index="model", columns="variant", values="items_per_s", aggfunc="first")
        if {"alone", "beside-cpu"} <= set(table.columns):
            step.blocks.append(Paragraph("convoy: I/O round trips per second, alone and beside a CPU-bound task:"))
            step.blocks.append(Table(pd.DataFrame({
                "model": table.index, "alone": table["alone"].map(fmt_rate).values,
                "beside a CPU task": table["beside-cpu"].map(fmt_rate).values,
                "collapse": (table["alone"] / table["beside-cpu"]).map(lambda v: f"{fmt_num(v, 3)}×").values,
            })))


# ---------------------------------------------------------------------------------------------


def default_binary() -> tuple[str, str]:
    """The binary to run and how the page names it: the source tree's release build, else the installed
    package's (share/concbench/scripts/ -> bin/), else `concbench` on PATH."""
    here = Path(__file__).resolve().parent
    built = here.parent / "build" / "release" / "concbench"
    if built.is_file() and os.access(built, os.X_OK):
        return str(built), "build/release/concbench"
    installed = here.parent.parent.parent / "bin" / "concbench"
    if installed.is_file() and os.access(installed, os.X_OK):
        return str(installed), "concbench"
    found = shutil.which("concbench")
    return (found or "concbench"), "concbench"


def machine_summary(runs_dir: Path) -> str:
    try:
        machines = load(sorted(p for p in runs_dir.iterdir() if p.is_dir())[:1]).machines
    except (LoadError, ValueError, IndexError):
        return ""
    if not machines:
        return ""
    m = next(iter(machines.values()))
    return (f"Machine: {m.get('cpu_model', '?')}, {len(m.get('affinity', []))} CPUs usable, "
            f"{m.get('kernel', '?')}, {m.get('virtualization') or 'bare metal'}; concbench "
            f"{m.get('concbench_version', '?')} (git {m.get('git_sha', '?')}, {m.get('build_type', '?')}).")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", help="the concbench binary (default: build/release/concbench, else PATH)")
    parser.add_argument("--out", help="directory for the tour (default: reports/tour-<host>-<UTC time>)")
    parser.add_argument("--cores", type=int, help="most cores to use (default: every usable CPU)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    binary, shown = (args.binary, args.binary) if args.binary else default_binary()
    if shutil.which(binary) is None and not Path(binary).is_file():
        return report_error(PROG, f"{binary}: no concbench binary there (build it, or give --binary)")
    if args.cores is not None and args.cores < 1:  # 0 must not fall back to "every CPU"
        return report_error(PROG, f"--cores must be at least 1, got {args.cores}")
    usable = len(os.sched_getaffinity(0))
    most = min(args.cores or usable, usable)
    cores = "1" if most == 1 else f"1,{most}"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out) if args.out else Path("reports") / f"tour-{socket.gethostname()}-{stamp}"
    charts = out / "charts"
    runs = out / "runs"
    charts.mkdir(parents=True, exist_ok=True)
    runs.mkdir(parents=True, exist_ok=True)

    run = Runner(binary, shown, runs)
    started = time.monotonic()
    steps = [step_parallel(run, cores, charts), step_pingpong(run), step_sharing(run, cores),
             step_philosophers(run, cores), step_gil(run, cores)]
    took = time.monotonic() - started

    blocks: list[Block] = [Paragraph(
        "The seed talk's argument, step by step, with figures measured on this machine by the commands shown. "
        f"The whole tour took {took:.0f} s.")]
    summary = machine_summary(runs)
    if summary:
        blocks.append(Paragraph(summary))
    for step in steps:
        blocks.append(Heading(step.title))
        blocks.append(Paragraph(step.idea))
        blocks.append(Code("\n".join(c.text() for c in step.commands)))
        blocks.extend(step.blocks)
    if run.failures:
        blocks.append(Heading("Commands that failed"))
        blocks.extend(Paragraph(f) for f in run.failures)
    title = "A tour of the talk, measured"
    (out / "tour.md").write_text(to_markdown(title, blocks))
    (out / "tour.html").write_text(to_html(title, blocks, out))
    sys.stdout.write(to_text(title, blocks))
    sys.stdout.write(f"\nTour: {out / 'tour.md'} ({out / 'tour.html'})\n")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
