"""scripts/tour.py: the talk's five steps run with the real binary (about 15 s on 2 cores), the page they
make, a step's command reproducing its cells alone, and bad input."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest

from build_dir import BINARY, ROOT, needs_binary

TOUR = ROOT / "scripts" / "tour.py"
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else "python3"
STEPS = ["1. Serial vs parallel", "2. Coroutines swap control", "3. Sharing state vs communicating",
         "4. Do starting states exist", "5. The GIL as a mutex"]


def tour(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(TOUR), *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def toured(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    work = tmp_path_factory.mktemp("tour")
    return tour("--binary", str(BINARY), "--out", str(work / "tour"), "--cores", "2", cwd=work), work / "tour"


def keys(run_dir: Path) -> list[tuple[str, ...]]:
    with (run_dir / "results.csv").open(newline="") as handle:
        return sorted((r["workload"], r["variant"], r["model"], r["cores"], r["tasks"], r["params"])
                      for r in csv.DictReader(handle))


@needs_binary
def test_every_step_ran_and_the_page_shows_it(toured: tuple[subprocess.CompletedProcess, Path]) -> None:
    done, out = toured
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    page = (out / "tour.md").read_text()
    for step in STEPS:
        assert step in page, step
        assert step in done.stdout, f"the terminal text has {step!r} too"
    assert "Commands that failed" not in page
    assert (out / "tour.html").is_file() and (out / "charts" / "quadrants.png").stat().st_size > 10_000
    # Real figures, not placeholders: the checker's verdicts and measured numbers in each table.
    assert "deadlock reachable in 5 steps" in page and "deadlock-free" in page
    assert re.search(r"\| coroutine \| 1 \| symmetric-transfer \| [0-9.]+ \|", page), "pingpong's ns per switch"
    assert re.search(r"\| gil \| [0-9.]+ [kM]? ?\| [0-9.]+ [kM]? ?\| [0-9.]+× \|", page), "convoy's collapse"
    # the GIL model beside CPython's own threads, on the same parallel cells, on the next line
    assert re.search(r"\| gil \|[^\n]*\n\| python-threads \| [0-9.]+ [kM]? ?\| [0-9.]+ [kM]? ?\| [0-9.]+ \|", page), \
        "gil beside python-threads"
    assert len(list((out / "runs").iterdir())) == 7, "one report directory per benchmark command"


@needs_binary
def test_a_steps_command_run_alone_measures_the_same_cells(toured: tuple[subprocess.CompletedProcess, Path],
                                                           tmp_path: Path) -> None:
    done, out = toured
    page = (out / "tour.md").read_text()
    shown = next(line for line in page.splitlines() if "--workloads pingpong" in line)
    args = shown.split()[1:]  # the page names the binary as given; run the same arguments with it
    alone = subprocess.run([str(BINARY), *args, "--out", str(tmp_path)], capture_output=True, text=True,
                           timeout=300)
    assert alone.returncode == 0, alone.stderr[-2000:]
    toured_run = next(d for d in (out / "runs").iterdir() if keys(d)[0][0] == "pingpong")
    assert keys(Path(alone.stdout.strip().splitlines()[-1])) == keys(toured_run)


def test_a_missing_binary_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = tour("--binary", str(tmp_path / "no-such-concbench"), "--out", str(tmp_path / "t"), cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "no concbench binary" in done.stderr
    assert not (tmp_path / "t").exists(), "nothing written before the input is checked"


def test_a_core_count_below_one_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for bad in ("0", "-2"):
        done = tour("--binary", "/bin/true", "--cores", bad, "--out", str(tmp_path / "t"), cwd=tmp_path)
        assert done.returncode == 2, bad
        assert len(done.stderr.strip().splitlines()) == 1 and "--cores must be at least 1" in done.stderr
        assert not (tmp_path / "t").exists()
