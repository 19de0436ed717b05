"""Rounds: the same plan run several times, each round a separate concbench process, then pooled.

Repetitions inside one process share that process's luck (thread placement, page layout, a burst
of load from a neighbour), so a comparison that only has one process per side underestimates the
noise. The CI settings therefore run every side in several *rounds*, interleaved A, B, A, B…, and
pool the rounds' repetitions (docs/ci.md).

    dirs = run_interleaved([Side("A", bin_a), Side("B", bin_b)], ["--quick"], rounds=5, work_dir=tmp)
    concat_runs(dirs["A"], tmp / "A")        # one run directory holding every round of A

A pooled directory is an ordinary run directory: results.csv and repetitions.csv hold one row
group per round (run_id suffixed `-rNN` so rounds started in the same second stay apart),
machine.json is the first round's with a `rounds` list added, benchmark.json concatenates the
rounds' Google Benchmark runs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .load import MACHINE_FILE, REPETITIONS_FILE, RESULTS_FILE, LoadError, load_run

BENCHMARK_FILE = "benchmark.json"

# The CI settings (docs/ci.md measured them): the plan, rounds (processes) per side and Google
# Benchmark repetitions per round; compare_stats holds the threshold and alpha. The plan is pinned
# to the six parallel cells the calibration measured: `--quick` alone grows with every model and
# workload added (60 cells at f3cd8a4, one of them a 120 s timeout), and a larger Holm family
# needs more rounds for the same power — widen it together with a new calibration.
CI_ROUNDS = 5
CI_REPETITIONS = 3
# min_time is pinned: docs/ci.md's false-alarm and detection rates were measured with 0.05 s, whatever
# --quick's own default becomes as the suite grows.
CI_PLAN: tuple[str, ...] = ("--quick", "--workloads", "parallel", "--models", "sequential,thread",
                            "--benchmark_min_time=0.05")

# Options the rounds runner owns: each round gets its own --out; a resume or a listing is not a round.
OWNED_OPTIONS = ("--out", "--resume", "--list", "--help", "-h", "--version")


class RoundError(Exception):
    """A round could not produce a run directory (bad arguments, interrupted, no report). One line."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a label, the binary, and arguments only this side gets."""

    label: str
    binary: Path
    extra_args: tuple[str, ...] = ()


@dataclass
class RoundLog:
    """What happened in each round, for the record (calibration keeps it in its manifest)."""

    entries: list[dict] = field(default_factory=list)
    on_entry: Callable[[], None] | None = None  # called after each entry (e.g. to save a manifest)


def check_args(args: Sequence[str]) -> None:
    """Refuse concbench options the runner owns, before anything runs."""
    for arg in args:
        name = arg.split("=", 1)[0]
        if name in OWNED_OPTIONS:
            raise RoundError(f"{name} is set by the rounds runner (each round gets its own --out); leave it out")


def run_concbench(binary: Path, args: Sequence[str], out: Path) -> tuple[Path, int]:
    """Run one concbench process into `out`; return (its run directory, its exit status).

    Exit 1 (a cell failed) is a result: the rows say which cell. Exit 2 (bad input), 130
    (interrupted) or a run that printed no directory raise RoundError.
    """
    out.mkdir(parents=True, exist_ok=True)
    command = [str(binary), *args, "--out", str(out)]
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = proc.stdout.strip().splitlines()
    run_dir = Path(lines[-1]) if lines else None
    if proc.returncode not in (0, 1) or run_dir is None or not (run_dir / RESULTS_FILE).is_file():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RoundError(f"{binary} exited {proc.returncode} without a report: {last}")
    return run_dir, proc.returncode


def cpu_busy(seconds: float = 1.0) -> float:
    """Share of all CPUs busy over `seconds` (from /proc/stat; the caller sleeps, so it is everyone else)."""
    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields[:8]), idle
    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    total = total1 - total0
    return 0.0 if total <= 0 else 1.0 - (idle1 - idle0) / total


@dataclass
class QuietGate:
    """Start a round only once the machine is quiet: CPUs at most `max_busy` busy for `samples` seconds in a row.

    A machine shared with compilers (docs/ci.md) makes a round that runs during a build 2-4x slower; the
    gate waits for a pause instead of measuring the scheduler. After `timeout` seconds it gives up and runs.
    """

    max_busy: float = 0.25
    samples: int = 2
    timeout: float = 300.0
    gave_up: int = 0  # rounds started after the timeout, on a machine still busy

    def wait(self) -> tuple[float, float]:
        """Block until quiet (or timeout); return (seconds waited, last busy share)."""
        start = time.monotonic()
        quiet_in_a_row, busy = 0, 1.0
        while quiet_in_a_row < self.samples and time.monotonic() - start < self.timeout:
            busy = cpu_busy(1.0)
            quiet_in_a_row = quiet_in_a_row + 1 if busy <= self.max_busy else 0
        if quiet_in_a_row < self.samples:
            self.gave_up += 1
        return time.monotonic() - start, busy


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return ""


def run_interleaved(
    sides: Sequence[Side],
    args: Sequence[str],
    rounds: int,
    work_dir: Path,
    progress: Callable[[str], None] | None = None,
    rotate: bool = False,
    log: RoundLog | None = None,
    first: int = 0,
    gate: QuietGate | None = None,
) -> dict[str, list[Path]]:
    """Run every side once per round (A, B, A, B…); return each side's run directories in order.

    rotate=True starts round r with side r mod n (calibration does, so no side is always first).
    `first` rounds were already run elsewhere: numbering (directories, progress) goes on after them.
    """
    check_args(args)
    dirs: dict[str, list[Path]] = {side.label: [] for side in sides}
    for index in range(first, rounds):
        waited, busy = gate.wait() if gate else (0.0, math.nan)
        if gate and progress:
            progress(f"round {index + 1}/{rounds}: waited {waited:.0f} s for a quiet machine (CPUs {100 * busy:.0f}% busy)")
        order = list(sides)
        if rotate:
            shift = index % len(order)
            order = order[shift:] + order[:shift]
        for side in order:
            before = loadavg()
            out = work_dir / "rounds" / f"r{index + 1:03d}-{side.label}"
            run_dir, status = run_concbench(side.binary, [*args, *side.extra_args], out)
            dirs[side.label].append(run_dir)
            if log is not None:
                log.entries.append({"round": index + 1, "side": side.label, "run_dir": str(run_dir),
                                    "exit": status, "loadavg_before": before, "waited_s": round(waited, 1),
                                    "busy_before": None if math.isnan(busy) else round(busy, 3)})
                if log.on_entry:
                    log.on_entry()
            if progress:
                progress(f"round {index + 1}/{rounds} {side.label}: {run_dir.name} (exit {status}, load {before})")
    return dirs


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    text = path.read_text(encoding="utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    return rows[0], rows[1:]


def _concat_csv(paths: Sequence[Path], suffixes: Sequence[str], target: Path) -> None:
    """Concatenate CSVs of one schema, suffixing each file's run_id; headers must agree."""
    header: list[str] | None = None
    out_rows: list[list[str]] = []
    for path, suffix in zip(paths, suffixes):
        this_header, rows = _rows(path)
        if header is None:
            header = this_header
        elif this_header != header:
            raise LoadError(path, f"header differs from {paths[0]}'s: cannot pool rounds of different schemas")
        column = header.index("run_id")
        for row in rows:
            row[column] = f"{row[column]}{suffix}"
            out_rows.append(row)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header or [])
    writer.writerows(out_rows)
    target.write_text(buffer.getvalue(), encoding="utf-8")


def concat_runs(run_dirs: Sequence[Path], out: Path) -> Path:
    """Pool rounds (run directories) into one run directory `out`; return it.

    Every round is validated by the loader first, so a broken round raises LoadError naming its file.
    """
    if not run_dirs:
        raise ValueError("concat_runs needs at least one run directory")
    runs = [load_run(path) for path in run_dirs]
    out.mkdir(parents=True, exist_ok=True)
    suffixes = [f"-r{i + 1:02d}" for i in range(len(runs))]
    _concat_csv([run.files.results for run in runs], suffixes, out / RESULTS_FILE)
    with_reps = [(run.files.repetitions, s) for run, s in zip(runs, suffixes) if run.files.repetitions]
    if with_reps:
        _concat_csv([p for p, _ in with_reps], [s for _, s in with_reps], out / REPETITIONS_FILE)
    machines = [run.machine for run in runs if run.machine is not None]
    if machines:
        machine = dict(machines[0])
        machine["rounds"] = [f"{run.results['run_id'].iloc[0]}{s}" for run, s in zip(runs, suffixes)]
        (out / MACHINE_FILE).write_text(json.dumps(machine, indent=2) + "\n", encoding="utf-8")
    _concat_benchmark_json([Path(d) / BENCHMARK_FILE for d in run_dirs], out / BENCHMARK_FILE)
    return out


def _concat_benchmark_json(paths: Sequence[Path], target: Path) -> None:
    """One Google Benchmark JSON with every round's runs (its compare.py pools runs by name)."""
    present = [path for path in paths if path.is_file()]
    if not present:
        return
    merged: dict = {}
    for path in present:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise LoadError(path, f"not valid JSON: {err}") from None
        if not merged:
            merged = {"context": document.get("context", {}), "benchmarks": []}
        merged["benchmarks"].extend(document.get("benchmarks", []))
    target.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
