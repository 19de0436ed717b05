"""concbench-history add and the SQLite store: idempotence, commit times, run ids, one transaction,
bad databases (one line, exit 2, nothing lost) and the schema-version migration mechanism."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from conftest import read_csv, set_field, write_csv
from history_runs import run_cli, sha
from test_compare import CPU_SEQ, IO_THREAD, samples, write_run

from concbench_history import store

ROOT = Path(__file__).resolve().parents[2]


def a_run(tmp: Path, name: str = "run", runs: int = 1, **options) -> Path:
    return write_run(tmp / name, {CPU_SEQ: samples(3e4, runs=runs, seed=len(name)),
                                  IO_THREAD: samples(7e3, runs=runs, seed=2)}, **options)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored(db: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


# ---------------------------------------------------------------------------------------------
# Adding.


def test_add_stores_rows_and_repetitions_and_readding_is_a_no_op(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = a_run(tmp_path, runs=2)  # a pooled directory: two processes, run_ids run-r01 and run-r02
    db = tmp_path / "h.sqlite"
    status, out, err = run_cli(capsys, "add", "--db", db, "--sha", sha(1), "--commit-time", "2026-11-25T14:00:00+01:00",
                               run)
    assert status == 0, err
    assert out.splitlines() == [
        f"added     run-r01: machine e8bde9fc975e6aba, git {sha(1)}, 2026-11-25T13:00:00Z (--commit-time)",
        f"added     run-r02: machine e8bde9fc975e6aba, git {sha(1)}, 2026-11-25T13:00:00Z (--commit-time)",
        f"{db}: 2 run(s) added, 0 replaced, 0 already there; 2 in all"]
    assert stored(db, "SELECT count(*) FROM results") == [(4,)]
    assert stored(db, "SELECT count(*) FROM repetitions") == [(20,)]
    row = json.loads(stored(db, "SELECT row_json FROM results WHERE model = 'sequential' AND run_id = 'run-r01'")[0][0])
    assert row["compiler"] == "GNU 12.2.0" and str(row["iterations"]) in ("10", "10.0")  # every column the CSV had
    before = digest(db)
    status, out, _ = run_cli(capsys, "add", "--db", db, "--sha", sha(1), "--commit-time", "2026-11-25T13:00:00Z", run)
    assert status == 0 and out.splitlines()[-1] == f"{db}: 0 run(s) added, 0 replaced, 2 already there; 2 in all"
    assert digest(db) == before


def test_the_history_file_says_what_it_is(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "h.sqlite"
    run_cli(capsys, "add", "--db", db, "--sha", sha(1), a_run(tmp_path))
    assert stored(db, "PRAGMA application_id") == [(store.APPLICATION_ID,)]
    assert stored(db, "PRAGMA user_version") == [(store.CURRENT_VERSION,)]
    assert stored(db, "SELECT value FROM meta WHERE key = 'format'") == [("concbench-history",)]


def test_commit_time_comes_from_git_when_it_knows_the_sha(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b",
           "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+02:00", "GIT_AUTHOR_DATE": "2026-11-19T10:00:00+02:00",
           "PATH": "/usr/bin:/bin"}
    git(repo, "commit", "-q", "--allow-empty", "-m", "one", env=env)
    commit = git(repo, "rev-parse", "HEAD")
    run = a_run(tmp_path)
    header, rows = read_csv(run / "results.csv")
    write_csv(run / "results.csv", header, [set_field(header, r, "git_sha", commit[:12]) for r in rows])
    db = tmp_path / "h.sqlite"
    status, out, _ = run_cli(capsys, "add", "--db", db, "--repo", repo, run)
    assert status == 0 and f"git {commit[:12]}, 2026-11-20T08:00:00Z (git's commit time)" in out  # %cI, in UTC
    # A sha git does not know, and a dirty tree: the run's own time (its first row's timestamp).
    for name, git_sha in (("unknown", "0123abcd0123"), ("dirty", f"{commit[:12]}-dirty")):
        other = a_run(tmp_path, name)
        header, rows = read_csv(other / "results.csv")
        write_csv(other / "results.csv", header, [set_field(header, r, "git_sha", git_sha) for r in rows])
        status, out, _ = run_cli(capsys, "add", "--db", db, "--repo", repo, other)
        assert status == 0
        assert f"git {git_sha}, 2026-11-25T14:00:00Z (the run's time (git does not know the sha))" in out
    assert stored(db, "SELECT commit_time_from, count(*) FROM runs GROUP BY 1 ORDER BY 1") == [("git", 1), ("run", 2)]


def test_a_run_without_a_git_sha_needs_sha(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = a_run(tmp_path)
    header, rows = read_csv(run / "results.csv")
    write_csv(run / "results.csv", header, [set_field(header, r, "git_sha", "") for r in rows])
    status, out, err = run_cli(capsys, "add", "--db", tmp_path / "h.sqlite", run)
    assert (status, out) == (2, "")
    assert err == f"concbench-history: error: {run}: run run-r01 has no git_sha; give the commit with --sha SHA\n"
    assert run_cli(capsys, "add", "--db", tmp_path / "h.sqlite", "--sha", sha(1), run)[0] == 0


def test_a_bad_commit_time_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, _, err = run_cli(capsys, "add", "--db", tmp_path / "h.sqlite", "--commit-time", "yesterday",
                             a_run(tmp_path))
    assert status == 2 and err == ("concbench-history: error: --commit-time: 'yesterday' is not an ISO-8601 time "
                                   "(e.g. 2026-11-25T14:00:00Z)\n")
    assert not (tmp_path / "h.sqlite").exists()


def test_two_runs_with_one_run_id_are_both_kept(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """concbench names a run by its host and second: two runs started in the same second share it."""
    first, second = a_run(tmp_path / "a", "run"), a_run(tmp_path / "b", "run")
    header, rows = read_csv(second / "repetitions.csv")  # other measurements, same run_id
    write_csv(second / "repetitions.csv", header, [set_field(header, r, "items_per_s", "1234") for r in rows])
    header, rows = read_csv(second / "results.csv")
    write_csv(second / "results.csv", header, [set_field(header, r, "items_per_s", "1234") for r in rows])
    db = tmp_path / "h.sqlite"
    run_cli(capsys, "add", "--db", db, "--sha", sha(1), first)
    status, out, _ = run_cli(capsys, "add", "--db", db, "--sha", sha(2), second)
    assert status == 0 and out.startswith("added     run-r01#2: ")
    status, out, _ = run_cli(capsys, "add", "--db", db, "--sha", sha(2), second)
    assert out.startswith("unchanged run-r01#2: ")
    assert stored(db, "SELECT run_id, git_sha FROM runs ORDER BY 1") == [("run-r01", sha(1)), ("run-r01#2", sha(2))]


def test_a_resumed_run_replaces_its_earlier_rows(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = a_run(tmp_path)
    db = tmp_path / "h.sqlite"
    run_cli(capsys, "add", "--db", db, "--sha", sha(1), run)
    header, rows = read_csv(run / "results.csv")  # the run goes on: a cell re-measured later is appended
    again = set_field(header, set_field(header, rows[0], "timestamp", "2026-11-25T14:05:00Z"), "items_per_s", "999")
    write_csv(run / "results.csv", header, [*rows, again])
    status, out, _ = run_cli(capsys, "add", "--db", db, "--sha", sha(1), run)
    assert status == 0 and out.startswith("replaced  run-r01: ")
    assert stored(db, "SELECT count(*) FROM runs") == [(1,)]
    assert stored(db, "SELECT items_per_s FROM results WHERE model = 'sequential'") == [(999.0,)]


def test_a_bad_report_among_good_ones_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "h.sqlite"
    run_cli(capsys, "add", "--db", db, "--sha", sha(1), a_run(tmp_path, "first"))
    before = digest(db)
    bad = a_run(tmp_path, "bad")
    (bad / "repetitions.csv").write_text("")
    status, out, err = run_cli(capsys, "add", "--db", db, "--sha", sha(2), a_run(tmp_path, "good"), bad)
    assert (status, out, err) == (2, "", f"concbench-history: error: {bad / 'repetitions.csv'}: empty file\n")
    assert digest(db) == before
    status, _, err = run_cli(capsys, "add", "--db", db, tmp_path / "nowhere")
    assert status == 2 and err == f"concbench-history: error: {tmp_path / 'nowhere'}: no such file or directory\n"


def test_a_failure_while_writing_rolls_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite"
    conn = store.open_history(db, create=True)
    store.add(conn, store.load_inputs([a_run(tmp_path, "first")], None, sha(1)))
    before = conn.execute("SELECT count(*) FROM results").fetchone()
    runs = store.load_inputs([a_run(tmp_path, "second"), a_run(tmp_path, "third")], None, sha(2))
    real_insert, calls = store._insert, []

    def failing_insert(*args) -> None:
        calls.append(args)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")  # as if the disk filled up on the second run
        real_insert(*args)

    monkeypatch.setattr(store, "_insert", failing_insert)
    with pytest.raises(sqlite3.OperationalError):
        store.add(conn, runs)
    assert conn.execute("SELECT count(*) FROM results").fetchone() == before
    assert [r[0] for r in conn.execute("SELECT run_id FROM runs")] == ["first-r01"]
    conn.close()


# ---------------------------------------------------------------------------------------------
# Databases that are not a usable history: one line, exit 2, the file as it was.


def _text(path: Path) -> str:
    path.write_text("run_id,items_per_s\nx,1\n")
    return f"{path}: not a concbench history (not an SQLite database)"


def _foreign(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('cat')")
    conn.commit()
    conn.close()
    return f"{path}: not a concbench history (an SQLite database of another program; tables: photos)"


def _history(path: Path, tmp: Path) -> None:
    conn = store.open_history(path, create=True)
    store.add(conn, store.load_inputs([a_run(tmp, "kept", runs=3)], None, sha(1)))
    conn.close()


def _newer(path: Path, tmp: Path) -> str:
    _history(path, tmp)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    return (f"{path}: history schema version 99 is newer than this concbench-history reads ({store.CURRENT_VERSION}); "
            "use a newer concbench")


def _truncated(path: Path, tmp: Path) -> str:
    _history(path, tmp)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return f"{path}: damaged"


def _scribbled(path: Path, tmp: Path) -> str:
    """Garbage over the first bytes of the results table's root page (its b-tree header)."""
    _history(path, tmp)
    [(page,)] = stored(path, "SELECT rootpage FROM sqlite_master WHERE name = 'results'")
    [(size,)] = stored(path, "PRAGMA page_size")
    data = bytearray(path.read_bytes())
    data[(page - 1) * size: (page - 1) * size + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return f"{path}: damaged"


def _table_dropped(path: Path, tmp: Path) -> str:
    _history(path, tmp)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE repetitions")
    conn.close()
    return f"{path}: damaged history: table(s) repetitions missing"


BAD_DATABASES: list[tuple[str, Callable]] = [
    ("text-file", lambda p, t: _text(p)),
    ("random-bytes", lambda p, t: (p.write_bytes(bytes(range(256)) * 8),
                                   f"{p}: not a concbench history (not an SQLite database)")[1]),
    ("foreign-sqlite", lambda p, t: _foreign(p)),
    ("newer-version", _newer),
    ("truncated", _truncated),
    ("scribbled", _scribbled),
    ("table-dropped", _table_dropped),
]


@pytest.mark.parametrize("command", ["add", "changes", "judge"])
@pytest.mark.parametrize("make", [m for _, m in BAD_DATABASES], ids=[n for n, _ in BAD_DATABASES])
def test_a_bad_database_is_one_line_exit_2_and_left_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                              make: Callable, command: str) -> None:
    db = tmp_path / "h.sqlite"
    expected = make(db, tmp_path)
    before = digest(db)
    run = a_run(tmp_path, "new")
    argv = {"add": ["add", "--db", db, "--sha", sha(2), run], "changes": ["changes", "--db", db],
            "judge": ["judge", "--db", db, run]}[command]
    status, out, err = run_cli(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith(f"concbench-history: error: {expected}") and err.count("\n") == 1, err
    assert digest(db) == before


def test_a_directory_is_not_a_history(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status, _, err = run_cli(capsys, "changes", "--db", tmp_path)
    assert status == 2 and err == f"concbench-history: error: {tmp_path}: is a directory, not a history file\n"


def test_as_a_process_bad_input_exits_2() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "history"), "changes", "--db", "/nonexistent/h"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == ("concbench-history: error: /nonexistent/h: no history here; add runs first: "
                           "concbench-history add REPORT_DIR\n")


# ---------------------------------------------------------------------------------------------
# Versions: older histories are migrated in place, in one transaction.


def test_an_older_history_is_migrated_in_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite"
    _history(db, tmp_path)  # a version-1 history, then pretend this code writes version 2

    def add_note(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(store, "CURRENT_VERSION", 2)
    monkeypatch.setitem(store.MIGRATIONS, 1, add_note)
    conn = store.open_history(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (2,)
    assert conn.execute("SELECT count(*), min(note) FROM runs").fetchone() == (3, "")
    conn.close()


def test_a_failed_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite"
    _history(db, tmp_path)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE runs ADD COLUMN note TEXT")
        conn.execute("INSERT INTO nowhere VALUES (1)")

    monkeypatch.setattr(store, "CURRENT_VERSION", 2)
    monkeypatch.setitem(store.MIGRATIONS, 1, half_done)
    with pytest.raises(store.HistoryError, match="no such table: nowhere"):
        store.open_history(db)
    assert stored(db, "PRAGMA user_version") == [(1,)]
    assert "note" not in [row[1] for row in stored(db, "PRAGMA table_info(runs)")]


def test_a_version_without_a_migration_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite"
    _history(db, tmp_path)
    monkeypatch.setattr(store, "CURRENT_VERSION", 3)
    monkeypatch.setitem(store.MIGRATIONS, 2, lambda conn: None)
    with pytest.raises(store.HistoryError, match=r"history schema version 1 cannot be migrated \(this reads 2, 3\)"):
        store.open_history(db)


def test_add_reports_star_takes_the_runs_and_skips_the_history_and_its_dashboard(
        tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """`concbench-history add reports/* && changes && report`, run twice in a directory laid out as concbench
    and the history write it: run directories, baseline/<machine_id>/, history.sqlite, history/."""
    monkeypatch.chdir(tmp_path)
    reports = tmp_path / "reports"
    for number in (1, 2):
        a_run(reports, f"vm-2026112{number}T140000Z")
    a_run(reports / "baseline", "e8bde9fc975e6aba", runs=2)
    for _ in range(2):
        status, out, err = run_cli(capsys, "add", "--sha", sha(1), *sorted(reports.iterdir()))
        assert status == 0, err
        assert run_cli(capsys, "changes")[0] == 0 and run_cli(capsys, "report")[0] == 0
    assert out.splitlines()[:2] == [
        f"skipped   {reports / 'history'}: a dashboard (concbench-history report), skipped",
        f"skipped   {reports / 'history.sqlite'}: the history itself, skipped"]
    assert out.splitlines()[-1] == "reports/history.sqlite: 0 run(s) added, 0 replaced, 4 already there; 4 in all"
    assert (reports / "history" / "history.html").is_file()
