"""The fixtures are what today's binary writes (tests/scripts/fixtures/README.md): made by regenerate.sh, with the
columns, the plan (variants, params keys and defaults) and the metrics that the binary writes now.

Each fixture's machine.json records the command that made it. Without a binary this checks that regenerate.sh runs
that command and that the fixture has the current schema's columns; with one it replays the command with --list (the
same cells, in the same order, with the same params) and runs a tiny version of it (one core, 10 ms a repetition),
whose files must have the fixture's headers and whose cells the fixture's metric keys and filled columns. A failure
here means: run tests/scripts/fixtures/regenerate.sh, then fix the tests that read what changed."""

from __future__ import annotations

import csv
import shlex
import subprocess
from pathlib import Path

import pytest
from build_dir import BINARY, needs_binary, plan
from conftest import FIXTURES, HOST_A, HOST_B, LEGACY_V1, METRICS, machine

from concbench_data import parse_kv, schema

GENERATED = (HOST_A, HOST_B, METRICS)  # every fixture regenerate.sh makes; LEGACY_V1 is an older binary's run
KEY = ("workload", "variant", "model", "cores", "tasks", "params")


def _args(run: Path) -> list[str]:
    """The concbench options the fixture was made with, from its machine.json, less the binary and --out."""
    argv = shlex.split(machine(run)["command_line"])[1:]
    if "--out" in argv:
        at = argv.index("--out")
        del argv[at:at + 2]
    return argv


def _table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _concbench(args: list[str], out: Path | None = None) -> subprocess.CompletedProcess[str]:
    extra = ["--out", str(out)] if out else []
    return subprocess.run([str(BINARY), *args, *extra], capture_output=True, text=True, timeout=300)


def test_every_fixture_is_made_by_regenerate_sh() -> None:
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} == {run.name for run in GENERATED} | {"legacy"}
    assert {p.name for p in (FIXTURES / "legacy").iterdir()} == {LEGACY_V1.name}
    script = (FIXTURES / "regenerate.sh").read_text()
    for run in GENERATED:
        assert " ".join(_args(run)) in script, run.name  # the command that made it is regenerate.sh's
        assert {p.name for p in run.iterdir()} == {"results.csv", "repetitions.csv", "machine.json"}, run.name


@pytest.mark.parametrize("run", GENERATED, ids=lambda run: run.name)
def test_fixtures_have_the_current_schema(run: Path) -> None:
    header, rows = _table(run / "results.csv")
    assert tuple(header) == schema.RESULTS_COLUMNS  # test_schema_contract.py ties these lists to the binary
    assert {r["schema"] for r in rows} == {str(schema.CURRENT_SCHEMA)}
    assert {r["run_id"] for r in rows} == {machine(run)["run_id"]}
    header, rows = _table(run / "repetitions.csv")
    assert tuple(header) == schema.REPETITIONS_COLUMNS and {r["schema"] for r in rows} == {str(schema.CURRENT_SCHEMA)}


def test_the_legacy_run_is_an_older_schema() -> None:
    header, rows = _table(LEGACY_V1 / "results.csv")
    assert {r["schema"] for r in rows} == {"1"} and schema.CURRENT_SCHEMA > 1
    assert tuple(header) != schema.RESULTS_COLUMNS


@needs_binary
@pytest.mark.parametrize("run", GENERATED, ids=lambda run: run.name)
def test_the_binary_plans_the_fixtures_cells(run: Path) -> None:
    _, rows = _table(run / "results.csv")
    assert plan(_args(run)) == [tuple(r[k] for k in KEY) for r in rows]


def _tiny(args: list[str]) -> list[str]:
    """The fixture's command at one core, 10 ms a repetition, and a 1 s timeout where it has one."""
    args = list(args)
    for option, value in (("--cores", "1"), ("--timeout", "1")):
        if option in args:
            args[args.index(option) + 1] = value
    return [*args, "--benchmark_min_time=0.01"]


def _filled(row: dict[str, str]) -> set[str]:
    return {column for column, value in row.items() if value != ""}


@needs_binary
@pytest.mark.parametrize("run", GENERATED, ids=lambda run: run.name)
def test_a_tiny_run_writes_what_the_fixture_holds(run: Path, tmp_path: Path) -> None:
    proc = _concbench(_tiny(_args(run)), tmp_path)
    assert proc.stdout.strip(), proc.stderr  # it exits 1 where a cell is not ok, as run-host-a wants
    written = Path(proc.stdout.strip().splitlines()[-1])
    assert (written / "results.csv").is_file(), proc.stderr
    for name in ("results.csv", "repetitions.csv", "metrics.csv"):
        if (run / name).is_file():
            assert _table(run / name)[0] == _table(written / name)[0], name
    # Cell by cell (the fixture's at one core): the same metric keys and the same columns filled where the status is
    # the same (a chance-dependent cell may deadlock in one run and not in the other; measured values differ).
    _, fixture = _table(run / "results.csv")
    by_key = {tuple(r[k] for k in KEY): r for r in fixture}
    _, tiny = _table(written / "results.csv")
    compared = 0
    for row in tiny:
        old = by_key.get(tuple(row[k] for k in KEY))
        assert old is not None, f"the binary plans a cell the fixture lacks: {row}"
        if old["status"] != row["status"]:
            continue
        where = f"{run.name}: {'/'.join(row[k] for k in KEY)}"
        assert set(parse_kv(old["metrics"])) == set(parse_kv(row["metrics"])), where
        assert _filled(old) == _filled(row), where
        compared += 1
    assert compared >= len(tiny) / 2, (compared, len(tiny))
