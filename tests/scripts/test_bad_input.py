"""Every kind of bad input: LoadError from the loader, exit 2 and one line from plot.py."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest
from conftest import HOST_A, read_csv, set_field, write_csv

import plot
from concbench_data import LoadError, load

# Each case builds its input under tmp_path and returns (argument to pass, file the message names).
Build = Callable[[Path], tuple[Path, Path]]


def _results_with(edit: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]) -> Build:
    def build(tmp: Path) -> tuple[Path, Path]:
        header, rows = edit(*read_csv(HOST_A / "results.csv"))
        path = write_csv(tmp / "results.csv", header, rows)
        return path, path
    return build


def _text(name: str, content: bytes) -> Build:
    def build(tmp: Path) -> tuple[Path, Path]:
        path = tmp / name
        path.write_bytes(content)
        return path, path
    return build


def _run_dir_with(name: str, content: bytes) -> Build:
    """A copy of run-host-a whose `name` file is replaced: the message names that file."""
    def build(tmp: Path) -> tuple[Path, Path]:
        run = tmp / "run"
        shutil.copytree(HOST_A, run)
        (run / name).write_bytes(content)
        return run, run / name
    return build


def _missing(tmp: Path) -> tuple[Path, Path]:
    return tmp / "nowhere", tmp / "nowhere"


def _empty_dir(tmp: Path) -> tuple[Path, Path]:
    (tmp / "run").mkdir()
    return tmp / "run", tmp / "run"


def _drop(*names: str):
    def edit(header, rows):
        keep = [i for i, name in enumerate(header) if name not in names]
        return [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    return edit


def _set(column: str, value: str, row: int = 1):
    def edit(header, rows):
        rows[row] = set_field(header, rows[row], column, value)
        return header, rows
    return edit


RESULTS_TEXT = (HOST_A / "results.csv").read_bytes()
HEADER = RESULTS_TEXT.split(b"\n")[0] + b"\n"
RAGGED_LINE = RESULTS_TEXT.count(b"\n") + 1  # the line after the fixture's last (no row spans two lines)
FIELDS = HEADER.count(b",") + 1  # the binary's column count (no header name has a comma)

CASES: list[tuple[str, Build, str]] = [
    ("missing", _missing, "no such file or directory"),
    ("dir-without-results", _empty_dir, "no results.csv in this directory"),
    ("empty", _text("results.csv", b""), "empty file"),
    ("blank", _text("results.csv", b"\n  \n"), "empty file"),
    ("binary", _text("results.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "not a CSV or JSON text file (binary content)"),
    ("not-utf8", _text("results.csv", HEADER + "1,caf\xe9\n".encode("latin-1")), "not a text file (not UTF-8)"),
    ("ragged", _text("results.csv", RESULTS_TEXT + b"1,2,3\n"), f"not a valid CSV file: line {RAGGED_LINE} has 3 fields, the header has {FIELDS}"),
    ("bad-quoting", _text("results.csv", HEADER + b'1,"run"x,3\n'), "not a valid CSV file: line 2: ',' expected after '\"'"),
    ("json-as-csv", _text("results.csv", (HOST_A / "machine.json").read_bytes()),
     "not a concbench results CSV (none of the expected columns in its header)"),
    ("header-only", _text("results.csv", HEADER), "no data rows (only a header)"),
    ("unknown-version", _results_with(_set("schema", "7")), "unknown schema version 7 (this loader reads versions 1, 2)"),
    ("version-not-a-number", _results_with(_set("schema", "v1")), "line 3: schema is 'v1', not a version number"),
    ("missing-columns", _results_with(_drop("status", "items_per_s")), "missing required column(s): status, items_per_s"),
    ("no-schema-column", _results_with(_drop("schema")), "missing required column(s): schema"),
    ("duplicate-column", _results_with(lambda h, r: (h[:-1] + ["status"], r)), "duplicate column(s) in the header: status"),
    ("cores-not-integer", _results_with(_set("cores", "two")), "line 3: cores is 'two', not an integer"),
    ("figure-not-number", _results_with(_set("items_per_s", "fast")), "line 3: items_per_s is 'fast', not a number"),
    ("empty-status", _results_with(_set("status", "")), "line 3: empty status"),
    ("verified-not-boolean", _results_with(_set("verified", "maybe")), "line 3: verified is 'maybe', not true or false"),
    ("bad-repetitions", _run_dir_with("repetitions.csv", b""), "empty file"),
    ("repetitions-version", _run_dir_with("repetitions.csv", b"schema,run_id,workload,variant,model,cores,tasks,"
                                          b"params,repetition,items_per_s\n3,r,w,v,m,1,1,,0,1.5\n"),
     "unknown schema version 3 (this loader reads versions 1, 2)"),
    ("machine-not-json", _run_dir_with("machine.json", b"{host: a}"),
     "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    ("machine-not-object", _run_dir_with("machine.json", b"[1, 2]"), "not a JSON object"),
]


@pytest.mark.parametrize("build, problem", [(b, p) for _, b, p in CASES], ids=[c[0] for c in CASES])
def test_loader_raises_one_line_naming_file_and_problem(tmp_path: Path, build: Build, problem: str) -> None:
    argument, named = build(tmp_path)
    with pytest.raises(LoadError) as raised:
        load([argument])
    assert str(raised.value) == f"{named}: {problem}"
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("build, problem", [(b, p) for _, b, p in CASES], ids=[c[0] for c in CASES])
def test_plot_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture, build: Build, problem: str) -> None:
    argument, named = build(tmp_path)
    out = tmp_path / "out"
    assert plot.main([str(argument), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"plot.py: error: {named}: {problem}\n"
    assert captured.out == ""
    assert not out.exists()  # nothing written for bad input


def test_one_bad_input_among_good_ones_fails_the_whole_call(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert plot.main([str(HOST_A), str(tmp_path / "gone"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"plot.py: error: {tmp_path / 'gone'}: no such file or directory\n"


@pytest.mark.parametrize("argv", [[], ["--bogus", str(HOST_A)], [str(HOST_A), "--out"], [str(HOST_A), "--dpi", "0"],
                                  [str(HOST_A), "--dpi", "big"]],
                         ids=["no-input", "unknown-flag", "out-without-dir", "dpi-out-of-range", "dpi-not-a-number"])
def test_usage_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture, argv: list[str]) -> None:
    assert plot.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("plot.py: error: ") and err.count("\n") == 1


def test_out_that_is_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    assert plot.main([str(HOST_A), "--out", str(target)]) == 2
    assert capsys.readouterr().err == f"plot.py: error: {target}: not a directory\n"


def test_help_exits_0(capsys: pytest.CaptureFixture) -> None:
    assert plot.main(["--help"]) == 0
    assert "CSV_OR_DIR" in capsys.readouterr().out
