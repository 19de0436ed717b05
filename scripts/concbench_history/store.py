"""The history store: one SQLite file holding every added run's rows and repetitions.

Schema version 1 (PRAGMA user_version; PRAGMA application_id says the file is a concbench history):

    runs         one row per concbench process (run_id): machine_id, host, git_sha, commit_time (UTC
                 ISO-8601) and where that time came from (`git`: `git show -s --format=%cI <sha>`,
                 `run`: the run's own timestamp, `given`: --commit-time), the run's time, build,
                 the CSV schema version its rows are stored in (the loader migrated
                 older ones), a fingerprint of its content, machine.json
    results      one row per run and cell key: status, reason, items_per_s, and the whole results
                 row as JSON (every column the CSV had, migrated by concbench_data.load)
    repetitions  one row per run, cell key and repetition: items_per_s

A series (concbench_history.series) is one cell key on one machine_id, ordered by commit time.
Everything is read through concbench_data.load, so every CSV schema version it reads can be added.
Older history versions are migrated in place through MIGRATIONS (one transaction); newer ones and
files that are not a concbench history are refused with one line (HistoryError).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
import subprocess
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from concbench_data import KEY, Run, load_run

from . import HistoryError

CURRENT_VERSION = 1
APPLICATION_ID = 0x63624853  # "cbHS": this SQLite file is a concbench history
DEFAULT_DB = Path("reports") / "history.sqlite"
SQLITE_MAGIC = b"SQLite format 3\x00"

_KEY_COLUMNS = ", ".join(KEY)
_KEY_DEFS = "workload TEXT NOT NULL, variant TEXT NOT NULL, model TEXT NOT NULL, cores INTEGER NOT NULL, " \
            "tasks INTEGER NOT NULL, params TEXT NOT NULL"

SCHEMA_V1 = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    machine_id TEXT NOT NULL,
    host TEXT NOT NULL,
    git_sha TEXT NOT NULL,
    commit_time TEXT NOT NULL,
    commit_time_from TEXT NOT NULL CHECK (commit_time_from IN ('git', 'run', 'given')),
    run_time TEXT NOT NULL,
    build_type TEXT NOT NULL,
    compiler TEXT NOT NULL,
    csv_schema INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL,
    added TEXT NOT NULL,
    machine_json TEXT
);
CREATE INDEX runs_by_series ON runs (machine_id, commit_time);
CREATE TABLE results (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    {_KEY_DEFS},
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    items_per_s REAL,
    row_json TEXT NOT NULL,
    PRIMARY KEY (run_id, {_KEY_COLUMNS})
);
CREATE TABLE repetitions (
    run_id TEXT NOT NULL,
    {_KEY_DEFS},
    repetition INTEGER NOT NULL,
    items_per_s REAL NOT NULL,
    PRIMARY KEY (run_id, {_KEY_COLUMNS}, repetition),
    FOREIGN KEY (run_id, {_KEY_COLUMNS}) REFERENCES results (run_id, {_KEY_COLUMNS}) ON DELETE CASCADE
);
"""
TABLES = ("meta", "runs", "results", "repetitions")

# MIGRATIONS[v] brings an open history of version v to v + 1, inside the caller's transaction.
# Adding version 2 means: bump CURRENT_VERSION, write the new tables into a SCHEMA_V2 used for new
# files, and add MIGRATIONS[1] here (tests/scripts/test_history_store.py exercises the mechanism).
Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {}


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """An ISO-8601 time ('2026-11-25T14:00:00Z', with an offset, or a date); naive means UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# ---------------------------------------------------------------------------------------------
# Opening: new, current, older (migrated), newer, foreign or damaged files.


def _problem(path: Path, text: str) -> HistoryError:
    return HistoryError(f"{path}: {text}")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)  # autocommit: transactions are explicit (BEGIN)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_history(path: Path | str, *, create: bool = False) -> sqlite3.Connection:
    """Open (and with `create`, start) a history; HistoryError when it is not one this code can use."""
    path = Path(path)
    if path.is_dir():
        raise _problem(path, "is a directory, not a history file")
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise _problem(path, "no history here; add runs first: concbench-history add REPORT_DIR")
    if exists:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise _problem(path, "not a concbench history (not an SQLite database)")
    elif not path.parent.is_dir():
        raise _problem(path, f"cannot create a history: no directory {path.parent}")
    try:
        conn = _connect(path)
        _check(conn, path, create)
    except sqlite3.DatabaseError as err:
        raise _problem(path, f"damaged SQLite database, not usable as a history (SQLite: {err}); "
                             "nothing was changed") from None
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def _check(conn: sqlite3.Connection, path: Path, create: bool) -> None:
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = _tables(conn)
    if application_id == 0 and not tables:  # a new (or empty) file
        if not create:
            raise _problem(path, "an empty database, not a concbench history; add runs first")
        _initialise(conn)
        return
    if application_id != APPLICATION_ID:
        listed = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise _problem(path, f"not a concbench history (an SQLite database of another program; tables: {listed})")
    if version > CURRENT_VERSION:
        raise _problem(path, f"history schema version {version} is newer than this concbench-history reads "
                             f"({CURRENT_VERSION}); use a newer concbench")
    integrity = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if integrity != ["ok"]:
        raise _problem(path, f"damaged history (SQLite integrity check: {integrity[0]}); nothing was changed")
    if version < CURRENT_VERSION:
        _migrate(conn, path, version)
    missing = [name for name in TABLES if name not in _tables(conn)]
    if missing:
        raise _problem(path, f"damaged history: table(s) {', '.join(missing)} missing")


def _initialise(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in SCHEMA_V1.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('format', 'concbench-history'), ('created', ?)",
                     (utc_iso(datetime.now(timezone.utc)),))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Every step from `version` to the current one, in one transaction: all of it or nothing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version, CURRENT_VERSION):
            if step not in MIGRATIONS:
                raise _problem(path, f"history schema version {step} cannot be migrated (this reads "
                                     f"{', '.join(str(v) for v in sorted({*MIGRATIONS, CURRENT_VERSION}))})")
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# ---------------------------------------------------------------------------------------------
# Commit times.

_SHA = re.compile(r"^[0-9a-fA-F]{4,64}$")


class CommitTimes:
    """Commit time of a sha: `git show -s --format=%cI` in `repo` when git knows it, else None."""

    def __init__(self, repo: Path | str | None) -> None:
        self.repo = Path(repo) if repo is not None else None
        self._cache: dict[str, str | None] = {}

    def lookup(self, sha: str) -> str | None:
        if self.repo is None or not _SHA.match(sha):
            return None
        if sha not in self._cache:
            try:
                proc = subprocess.run(["git", "-C", str(self.repo), "show", "-s", "--format=%cI", f"{sha}^{{commit}}"],
                                      capture_output=True, text=True, timeout=30)
                text = proc.stdout.strip() if proc.returncode == 0 else ""
                self._cache[sha] = utc_iso(parse_time(text)) if text else None
            except (OSError, subprocess.SubprocessError, ValueError):
                self._cache[sha] = None
        return self._cache[sha]


# ---------------------------------------------------------------------------------------------
# Adding runs.


@dataclass
class NewRun:
    """One concbench process (run_id) of an input, ready to insert."""

    run_id: str
    source: str
    machine_id: str
    host: str
    git_sha: str
    commit_time: str
    commit_time_from: str
    run_time: str
    build_type: str
    compiler: str
    csv_schema: int
    machine_json: str | None
    results: list[dict]  # key, status, reason, items_per_s, row_json
    repetitions: list[tuple]  # key..., repetition, items_per_s
    fingerprint: str = ""


@dataclass(frozen=True)
class Outcome:
    run_id: str
    source: str
    what: str  # added, unchanged, replaced
    machine_id: str
    git_sha: str
    commit_time: str
    commit_time_from: str


def _plain(value: object) -> object:
    """A JSON-able value: numpy scalars to Python, NaN to None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _one(values: Iterable[object], what: str, source: str, run_id: str, required: bool = True) -> str:
    distinct = sorted({str(v).strip() for v in values} - {"", "nan", "None"})
    if len(distinct) > 1:
        raise HistoryError(f"{source}: run {run_id} has several {what}s ({', '.join(distinct)})")
    if not distinct and required:
        raise HistoryError(f"{source}: run {run_id} has no {what}")
    return distinct[0] if distinct else ""


def _newest_rows(results: pd.DataFrame) -> pd.DataFrame:
    """One row per cell of a run: the newest (a resumed run appends re-measured cells)."""
    ordered = results.assign(timestamp=results["timestamp"].fillna("").astype(str)) \
        .sort_values(["timestamp", "source_line"], kind="stable")
    return ordered.drop_duplicates(subset=list(KEY), keep="last")


def _key_of(row: pd.Series) -> tuple:
    return tuple(int(row[k]) if k in ("cores", "tasks") else str(row[k] if row[k] is not None else "") for k in KEY)


def runs_of(run: Run, source: str, times: CommitTimes, sha: str | None = None,
            commit_time: str | None = None) -> list[NewRun]:
    """Split one loaded input into its processes (run_ids), each with its identity resolved."""
    machine = run.machine or {}
    found = []
    for run_id, rows in run.results.groupby("run_id", sort=False):
        rows = _newest_rows(rows)
        machine_id = _one(rows["machine_id"], "machine_id", source, run_id)
        git_sha = sha or _one(rows["git_sha"], "git_sha", source, run_id, required=False)
        if not git_sha:
            raise HistoryError(f"{source}: run {run_id} has no git_sha; give the commit with --sha SHA")
        stamps = sorted(t for t in rows["timestamp"].fillna("").astype(str) if t.strip())
        run_time = stamps[0] if stamps else str(machine.get("started", "")).strip()
        if not run_time:
            raise HistoryError(f"{source}: run {run_id} has no timestamp")
        try:
            run_time = utc_iso(parse_time(run_time))
        except ValueError:
            raise HistoryError(f"{source}: run {run_id}: timestamp '{run_time}' is not an ISO-8601 time") from None
        if commit_time is not None:
            when, source_of_time = commit_time, "given"
        else:
            looked_up = None if git_sha.endswith("-dirty") else times.lookup(git_sha)
            when, source_of_time = (looked_up, "git") if looked_up else (run_time, "run")
        reps = run.repetitions[run.repetitions["run_id"] == run_id] if not run.repetitions.empty else run.repetitions
        repetitions = []
        if not reps.empty:
            reps = reps.drop_duplicates(subset=[*KEY, "repetition"], keep="last")
            for _, rep in reps.iterrows():
                value = float(rep["items_per_s"]) if pd.notna(rep["items_per_s"]) else math.nan
                if math.isfinite(value):
                    repetitions.append((*_key_of(rep), int(rep["repetition"]), value))
        results = []
        for _, row in rows.iterrows():
            record = {k: _plain(v) for k, v in row.items() if k not in ("source_line", "source_file")}
            value = _plain(row["items_per_s"])
            results.append({"key": _key_of(row), "status": str(row["status"]),
                            "reason": str(row.get("reason", "") or ""),
                            "items_per_s": value, "row_json": json.dumps(record, sort_keys=True, default=str)})
        measured = {r["key"] for r in results}
        repetitions = [r for r in repetitions if r[: len(KEY)] in measured]
        new = NewRun(
            run_id=str(run_id), source=source, machine_id=machine_id,
            host=_one(rows["host"], "host", source, run_id, required=False),
            git_sha=git_sha, commit_time=when, commit_time_from=source_of_time, run_time=run_time,
            build_type=_one(rows["build_type"], "build_type", source, run_id, required=False),
            compiler=_one(rows["compiler"], "compiler", source, run_id, required=False),
            csv_schema=int(rows["schema"].iloc[0]),
            machine_json=json.dumps(machine, sort_keys=True) if run.machine is not None else None,
            results=results, repetitions=sorted(repetitions))
        new.fingerprint = _fingerprint(new)
        found.append(new)
    return found


def _fingerprint(run: NewRun) -> str:
    content = {"identity": [run.machine_id, run.git_sha, run.commit_time],
               "results": sorted((list(r["key"]), r["row_json"]) for r in run.results),
               "repetitions": [list(r) for r in run.repetitions]}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def expand(paths: Sequence[Path | str], db: Path | None = None) -> tuple[list[Path], list[str]]:
    """The run directories (or results CSV files) that the arguments name, and notes on what is skipped.

    So that `add reports/*` does what it says: a directory without a results.csv stands for the run
    directories right below it (reports/baseline/ holds one per machine); the history file itself
    and a dashboard written by `report` (a directory with history.html) are skipped with a note.
    Anything else goes to the loader, whose errors name it.
    """
    found: list[Path] = []
    notes: list[str] = []
    for argument in map(Path, paths):
        if db is not None and argument.exists() and db.exists() and argument.resolve() == db.resolve():
            notes.append(f"{argument}: the history itself, skipped")
            continue
        if argument.is_dir() and not (argument / "results.csv").is_file():
            runs = sorted(d for d in argument.iterdir() if d.is_dir() and (d / "results.csv").is_file())
            if runs:
                found += runs
                continue
            if (argument / "history.html").is_file():
                notes.append(f"{argument}: a dashboard (concbench-history report), skipped")
                continue
        found.append(argument)
    return found, notes


def load_inputs(paths: Sequence[Path | str], repo: Path | str | None, sha: str | None = None,
                commit_time: str | None = None) -> list[NewRun]:
    """Every run of every input, read and checked before anything is written."""
    times = CommitTimes(repo)
    if commit_time is not None:
        try:
            commit_time = utc_iso(parse_time(commit_time))
        except ValueError:
            raise HistoryError(f"--commit-time: '{commit_time}' is not an ISO-8601 time "
                               "(e.g. 2026-11-25T14:00:00Z)") from None
    runs: list[NewRun] = []
    seen: set[str] = set()
    for path in paths:
        for new in runs_of(load_run(path), str(path), times, sha, commit_time):
            if new.fingerprint not in seen:  # the same run given twice counts once
                seen.add(new.fingerprint)
                runs.append(new)
    return runs


def _signatures(rows_json: Iterable[str]) -> set[tuple]:
    """What identifies a measured row: its cell, when it was written and what it measured."""
    found = set()
    for text in rows_json:
        row = json.loads(text)
        found.add((*(str(row.get(k)) for k in KEY), str(row.get("timestamp")), str(row.get("items_per_s"))))
    return found


def _place(conn: sqlite3.Connection, run: NewRun) -> tuple[str, str]:
    """Where a run goes: ('unchanged', id) when stored as it is; ('replace', id) when the stored run of that
    id is the same run changed (a resumed run, another --sha: a measured row in common); ('add', id) else,
    with `#2`, `#3`… appended when another run already has the id (two runs started in the same second)."""
    stored = conn.execute("SELECT run_id, fingerprint FROM runs WHERE run_id = ? OR substr(run_id, 1, ?) = ?",
                          (run.run_id, len(run.run_id) + 1, run.run_id + "#")).fetchall()
    for run_id, fingerprint in stored:
        if fingerprint == run.fingerprint:
            return "unchanged", run_id
    mine = _signatures(r["row_json"] for r in run.results)
    for run_id, _ in stored:
        theirs = _signatures(row[0] for row in conn.execute("SELECT row_json FROM results WHERE run_id = ?", (run_id,)))
        if mine & theirs:
            return "replace", run_id
    taken = {run_id for run_id, _ in stored}
    run_id, number = run.run_id, 2
    while run_id in taken:
        run_id, number = f"{run.run_id}#{number}", number + 1
    return "add", run_id


def add(conn: sqlite3.Connection, runs: Sequence[NewRun]) -> list[Outcome]:
    """Insert runs in one transaction. The same run with the same content is left as it is (a no-op);
    a stored run whose content changed (a resumed run, another --sha) is replaced; a different run
    with a run_id already taken is stored under that id with `#2` appended."""
    outcomes = []
    added = utc_iso(datetime.now(timezone.utc))
    conn.execute("BEGIN IMMEDIATE")
    try:
        for run in runs:
            what, run_id = _place(conn, run)
            if what == "replace":
                conn.execute("DELETE FROM runs WHERE run_id = ?", (run_id,))
            if what != "unchanged":
                _insert(conn, replace(run, run_id=run_id), added)
            outcomes.append(Outcome(run_id, run.source, {"replace": "replaced", "add": "added"}.get(what, what),
                                    run.machine_id, run.git_sha, run.commit_time, run.commit_time_from))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return outcomes


def _insert(conn: sqlite3.Connection, run: NewRun, added: str) -> None:
    conn.execute(
        "INSERT INTO runs (run_id, machine_id, host, git_sha, commit_time, commit_time_from, run_time, build_type, "
        "compiler, csv_schema, fingerprint, source, added, machine_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (run.run_id, run.machine_id, run.host, run.git_sha, run.commit_time, run.commit_time_from, run.run_time,
         run.build_type, run.compiler, run.csv_schema, run.fingerprint, run.source, added, run.machine_json))
    conn.executemany(
        f"INSERT INTO results (run_id, {_KEY_COLUMNS}, status, reason, items_per_s, row_json) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(run.run_id, *r["key"], r["status"], r["reason"], r["items_per_s"], r["row_json"]) for r in run.results])
    conn.executemany(
        f"INSERT INTO repetitions (run_id, {_KEY_COLUMNS}, repetition, items_per_s) VALUES (?,?,?,?,?,?,?,?,?)",
        [(run.run_id, *r) for r in run.repetitions])


# ---------------------------------------------------------------------------------------------
# Reading.


def cells(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every stored results row with its run's identity: one row per run and cell key."""
    query = (f"SELECT c.run_id, r.machine_id, r.host, r.git_sha, r.commit_time, r.commit_time_from, r.run_time, "
             f"{', '.join('c.' + k for k in KEY)}, c.status, c.reason, c.items_per_s "
             "FROM results c JOIN runs r ON r.run_id = c.run_id")
    return pd.read_sql_query(query, conn)


def repetitions(conn: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query(f"SELECT run_id, {_KEY_COLUMNS}, repetition, items_per_s FROM repetitions", conn)


def run_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM runs").fetchone()[0])


def values_by_run(frame: pd.DataFrame, reps: pd.DataFrame) -> dict[tuple, np.ndarray]:
    """(run_id, key...) → that run's throughput values: its repetitions, else its median."""
    grouped = {k: g["items_per_s"].to_numpy(dtype=float) for k, g in reps.groupby(["run_id", *KEY])} \
        if not reps.empty else {}
    values = {}
    for row in frame.itertuples(index=False):
        key = (row.run_id, *(getattr(row, k) for k in KEY))
        found = grouped.get(key)
        if found is None or not len(found):
            found = np.array([row.items_per_s], dtype=float)
        values[key] = found[np.isfinite(found) & (found > 0)]
    return values
