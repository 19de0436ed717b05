"""Helpers for the history tests: fake commit identities, copies of runs under another id or machine,
and adding runs commit by commit through the command line."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence

import pytest

from conftest import read_csv, write_csv

from concbench_history import cli

START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def sha(commit: int, salt: str = "") -> str:
    """A made-up 40-digit commit id; distinct in its first 7 digits for the commits the tests use."""
    return hashlib.sha1(f"commit {commit}{salt}".encode()).hexdigest()


def commit_time(commit: int) -> str:
    return (START + timedelta(hours=commit)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rewrite_csv(path: Path, edit) -> None:
    header, rows = read_csv(path)
    write_csv(path, header, [list(edit(dict(zip(header, row))).values()) for row in rows])


def retag(run: Path, target: Path, run_id: str, machine_id: str | None = None, host: str | None = None,
          scale: float = 1.0) -> Path:
    """A copy of a run directory's three files with another run_id (runs started in the same second share
    one), optionally on another machine and with every throughput multiplied by `scale`."""
    target.mkdir(parents=True)
    for name in ("results.csv", "repetitions.csv", "machine.json"):
        shutil.copy(run / name, target / name)

    def edit(row: dict) -> dict:
        row["run_id"] = run_id
        for column, value in (("machine_id", machine_id), ("host", host)):
            if value is not None and column in row:
                row[column] = value
        if scale != 1.0 and row.get("items_per_s"):
            row["items_per_s"] = f"{float(row['items_per_s']) * scale:.6g}"
        return row

    _rewrite_csv(target / "results.csv", edit)
    _rewrite_csv(target / "repetitions.csv", edit)
    machine = json.loads((target / "machine.json").read_text())
    machine.update({"run_id": run_id, **({"machine_id": machine_id} if machine_id else {}),
                    **({"host": host} if host else {})})
    (target / "machine.json").write_text(json.dumps(machine))
    return target


def add_commits(db: Path, commits: Sequence[Sequence[Path]], first: int = 1, salt: str = "") -> list[str]:
    """Add each commit's run directories as commit `first + i` (made-up sha and time); returns the shas."""
    shas = []
    for number, runs in enumerate(commits, start=first):
        shas.append(sha(number, salt))
        status = cli.main(["add", "--db", str(db), "--sha", shas[-1], "--commit-time", commit_time(number),
                           *map(str, runs)])
        assert status == 0
    return shas


def run_cli(capsys: pytest.CaptureFixture, *argv: object) -> tuple[int, str, str]:
    """concbench-history ARGV in this process: (exit status, stdout, stderr), earlier output dropped."""
    capsys.readouterr()
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err
