"""Load concbench results (results.csv, repetitions.csv, machine.json) from files or run directories.

Everything wrong with an input raises `LoadError`, whose message is one line: `<file>: <problem>`.
Old schema versions are migrated to the current one through `MIGRATIONS`; unknown ones are refused.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from . import schema
from .expand import expand as expand_fields
from .schema import KEY

RESULTS_FILE = "results.csv"
REPETITIONS_FILE = "repetitions.csv"
MACHINE_FILE = "machine.json"


class LoadError(Exception):
    """Bad input. str(error) is one line naming the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = " ".join(problem.split())  # one line, whatever the cause's text held
        super().__init__(f"{self.path}: {self.problem}")


# MIGRATIONS[v] turns a table written with schema version v into version v + 1. It receives the
# table as text (every cell a str, exactly as read) and the kind of file ("results" or
# "repetitions"), and returns the migrated table. Adding schema N + 1 means: bump
# schema.CURRENT_SCHEMA, update the column lists there, and add MIGRATIONS[N] here.
Migration = Callable[[pd.DataFrame, str], pd.DataFrame]


def _v1_to_v2(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Schema 2 added `bare_ratio` to results.csv and moved `iterations` out of `metrics` into a column.
    A version-1 run measured no ratio to a floor (its model rows were written before the bare rows they
    would compare with), so that column is empty: "not measured", never a ratio worked out after the fact."""
    if kind != "results":
        return table
    columns = list(table.columns)
    if "bare_ratio" not in columns:
        table.insert(columns.index("efficiency") + 1 if "efficiency" in columns else len(columns), "bare_ratio", "")
    if "iterations" not in table.columns:
        metrics = [schema.parse_kv(text) for text in table.get("metrics", pd.Series("", index=table.index))]
        columns = list(table.columns)
        at = columns.index("repetitions") + 1 if "repetitions" in columns else len(columns)
        table.insert(at, "iterations", [pairs.pop("iterations", "") for pairs in metrics])
        if "metrics" in table.columns:
            table["metrics"] = [";".join(f"{k}={v}" for k, v in pairs.items()) for pairs in metrics]
    return table


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}


def known_versions() -> list[int]:
    """Every schema version this loader reads: the current one and all it can migrate from."""
    return sorted({schema.CURRENT_SCHEMA, *MIGRATIONS})


@dataclass(frozen=True)
class RunFiles:
    """Where one input's files are; repetitions and machine are None when absent."""

    results: Path
    repetitions: Path | None = None
    machine: Path | None = None


@dataclass
class Run:
    """One input, loaded and validated."""

    files: RunFiles
    results: pd.DataFrame
    repetitions: pd.DataFrame
    machine: dict | None


@dataclass
class Dataset:
    """Any number of inputs merged.

    results: one row per cell and source (a source is one machine: see `label_sources`), with
        `source`, `source_file` and `source_line` columns added.
    repetitions: the repetitions of those rows, with `source` added.
    machines: machine.json contents per source, where one was found.
    superseded: rows replaced by a later row of the same cell on the same machine (a resumed
        run re-measures cells that were not ok; a newer run re-measures everything).
    """

    results: pd.DataFrame
    repetitions: pd.DataFrame
    machines: dict[str, dict] = field(default_factory=dict)
    superseded: pd.DataFrame = field(default_factory=pd.DataFrame)


def locate(path: Path | str) -> RunFiles:
    """Resolve an argument: a run directory, or a results CSV (with its siblings when named results.csv)."""
    path = Path(path)
    if path.is_dir():
        results = path / RESULTS_FILE
        if not results.is_file():
            raise LoadError(path, f"no {RESULTS_FILE} in this directory")
        return _with_siblings(results)
    if not path.exists():
        raise LoadError(path, "no such file or directory")
    if path.name == RESULTS_FILE:  # a run directory's own file: its siblings belong to it
        return _with_siblings(path)
    return RunFiles(results=path)


def _with_siblings(results: Path) -> RunFiles:
    repetitions = results.with_name(REPETITIONS_FILE)
    machine = results.with_name(MACHINE_FILE)
    return RunFiles(
        results=results,
        repetitions=repetitions if repetitions.exists() else None,
        machine=machine if machine.exists() else None,
    )


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise LoadError(path, "is a directory, not a file") from None
    except FileNotFoundError:
        raise LoadError(path, "no such file or directory") from None
    except OSError as err:
        raise LoadError(path, f"cannot read: {err.strerror}") from None
    if not raw.strip():
        raise LoadError(path, "empty file")
    if b"\0" in raw:
        raise LoadError(path, "not a CSV or JSON text file (binary content)")
    try:
        return raw.decode("utf-8-sig")  # tolerate a BOM some editors add
    except UnicodeDecodeError:
        raise LoadError(path, "not a text file (not UTF-8)") from None


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Parse RFC 4180 text: the header and (line number, fields) per non-blank data row."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        for fields in reader:
            if fields:  # csv yields [] for a blank line, e.g. a trailing one
                rows.append((reader.line_num, fields))
    except csv.Error as err:
        raise LoadError(path, f"not a valid CSV file: line {reader.line_num}: {err}") from None
    return [name.strip() for name in header], rows


def _check_shape(path: Path, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
    for line, fields in rows:
        if len(fields) != len(header):
            raise LoadError(
                path, f"not a valid CSV file: line {line} has {len(fields)} fields, the header has {len(header)}"
            )


def _read_table(path: Path, kind: str, required: Sequence[str]) -> pd.DataFrame:
    """Read a CSV as text, check its header and versions, and migrate it to the current schema."""
    header, rows = _read_rows(path)
    # The header first: "not a concbench CSV" says more about a wrong file than a field count.
    if not set(required) & set(header):
        raise LoadError(path, f"not a concbench {kind} CSV (none of the expected columns in its header)")
    _check_shape(path, header, rows)
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise LoadError(path, f"duplicate column(s) in the header: {', '.join(duplicates)}")
    if "schema" not in header:
        raise LoadError(path, "missing required column(s): schema")
    table = pd.DataFrame([fields for _, fields in rows], columns=header, dtype=object)
    table["source_line"] = [line for line, _ in rows]
    table = _migrate(table, path, kind)
    missing = [name for name in required if name not in table.columns]
    if missing:
        raise LoadError(path, f"missing required column(s): {', '.join(missing)}")
    return table


def _versions(table: pd.DataFrame, path: Path) -> pd.Series:
    versions = pd.to_numeric(table["schema"].str.strip(), errors="coerce")
    bad = versions.isna() | (versions % 1 != 0)
    if bad.any():
        row = table[bad].iloc[0]
        raise LoadError(path, f"line {row['source_line']}: schema is '{row['schema']}', not a version number")
    versions = versions.astype(int)
    unknown = sorted(set(versions) - set(known_versions()))
    if unknown:
        known = ", ".join(str(v) for v in known_versions())
        raise LoadError(path, f"unknown schema version {unknown[0]} (this loader reads versions {known})")
    return versions


def _migrate(table: pd.DataFrame, path: Path, kind: str) -> pd.DataFrame:
    """Bring every row to the current schema; a file may mix versions (a run resumed by a newer binary)."""
    if table.empty:
        return table
    versions = _versions(table, path)
    parts = []
    for version in sorted(set(versions)):
        part = table[versions == version]
        for step in range(version, schema.CURRENT_SCHEMA):
            try:
                part = MIGRATIONS[step](part.copy(), kind)
            except KeyError as err:
                raise LoadError(path, f"cannot migrate from schema {step}: missing column {err}") from None
        parts.append(part.assign(schema=str(schema.CURRENT_SCHEMA)))
    return pd.concat(parts).sort_values("source_line", kind="stable").reset_index(drop=True)


def _first_bad(table: pd.DataFrame, bad: pd.Series) -> pd.Series:
    return table[bad].iloc[0]


def _to_numbers(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Typed columns: empty stays NaN ("not measured"); anything else that is not a number is an error."""
    for name in schema.REQUIRED_INTEGERS:
        if name not in table.columns:
            continue
        values = pd.to_numeric(table[name].str.strip(), errors="coerce")
        bad = values.isna() | (values % 1 != 0)
        if bad.any():
            row = _first_bad(table, bad)
            raise LoadError(path, f"line {row['source_line']}: {name} is '{row[name]}', not an integer")
        table[name] = values.astype(int)
    for name in schema.NUMERIC_COLUMNS:
        if name not in table.columns:
            continue
        text = table[name].str.strip()
        values = pd.to_numeric(text.replace("", np.nan), errors="coerce")
        bad = values.isna() & text.ne("")
        if bad.any():
            row = _first_bad(table, bad)
            raise LoadError(path, f"line {row['source_line']}: {name} is '{row[name]}', not a number")
        table[name] = values.astype(float)
    return table


def _to_booleans(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    for name in schema.BOOLEAN_COLUMNS:
        if name not in table.columns:
            continue
        text = table[name].str.strip().str.lower()
        bad = ~text.isin(["true", "false", ""])
        if bad.any():
            row = _first_bad(table, bad)
            raise LoadError(path, f"line {row['source_line']}: {name} is '{row[name]}', not true or false")
        table[name] = text.map({"true": True, "false": False, "": None})
    return table


def _check_text(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    for name in schema.REQUIRED_TEXT:
        if name not in table.columns:
            continue
        table[name] = table[name].str.strip()
        empty = table[name].eq("")
        if empty.any():
            raise LoadError(path, f"line {_first_bad(table, empty)['source_line']}: empty {name}")
    return table


def _complete(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Add the documented optional columns a file lacks, empty, so later code can rely on them."""
    for name in columns:
        if name not in table.columns:
            table[name] = ""
    return table


def _typed(table: pd.DataFrame, path: Path, columns: Sequence[str]) -> pd.DataFrame:
    table = _complete(table, columns)
    table = _check_text(table, path)
    table = _to_numbers(table, path)
    table = _to_booleans(table, path)
    table["schema"] = table["schema"].astype(int)
    table["source_file"] = str(path)
    return table


def read_results(path: Path | str) -> pd.DataFrame:
    """A results.csv, validated, migrated and typed. A file without data rows is an error."""
    path = Path(path)
    table = _read_table(path, "results", schema.RESULTS_REQUIRED)
    if table.empty:
        raise LoadError(path, "no data rows (only a header)")
    return _typed(table, path, schema.RESULTS_COLUMNS)


def read_repetitions(path: Path | str) -> pd.DataFrame:
    """A repetitions.csv, validated, migrated and typed. No rows is fine (no cell measured anything)."""
    path = Path(path)
    table = _read_table(path, "repetitions", schema.REPETITIONS_REQUIRED)
    return _typed(table, path, schema.REPETITIONS_COLUMNS)


def read_machine(path: Path | str) -> dict:
    """A machine.json: one JSON object."""
    path = Path(path)
    try:
        machine = json.loads(_read_text(path))
    except json.JSONDecodeError as err:
        raise LoadError(path, f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    if not isinstance(machine, dict):
        raise LoadError(path, "not a JSON object")
    return machine


def empty_repetitions() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in schema.REPETITIONS_COLUMNS})


def load_run(path: Path | str) -> Run:
    """One input: a run directory, or a results CSV file."""
    files = locate(path)
    results = read_results(files.results)
    repetitions = read_repetitions(files.repetitions) if files.repetitions else empty_repetitions()
    machine = read_machine(files.machine) if files.machine else None
    return Run(files=files, results=results, repetitions=repetitions, machine=machine)


def label_sources(results: pd.DataFrame) -> pd.Series:
    """A short, unique label per machine: (machine_id, host) pairs, named by host.

    Several runs on one machine merge into one source; a host name seen with two machine ids (the
    hardware changed) gets the id appended, and a missing host name falls back to the id.
    """
    pairs = results[["machine_id", "host"]].fillna("").astype(str)
    distinct = pairs.drop_duplicates()
    ids_per_host = distinct.groupby("host")["machine_id"].nunique()

    def label(machine_id: str, host: str) -> str:
        if not host:
            return machine_id or "unknown machine"
        if ids_per_host[host] > 1:
            return f"{host} ({machine_id[:8]})"
        return host

    return pd.Series([label(m, h) for m, h in zip(pairs["machine_id"], pairs["host"])], index=results.index)


def _latest_per_cell(results: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the newest row of each cell per source; return (kept, superseded).

    Newest = latest `timestamp`, then later input, then later line: a resumed run appends the
    re-measured cell after the interrupted one, with a later timestamp.
    """
    ordered = results.sort_values(["timestamp", "input_order", "source_line"], kind="stable")
    newest = ~ordered.duplicated(subset=["source", *KEY], keep="last")
    return ordered[newest], ordered[~newest]


def merge(runs: Sequence[Run]) -> Dataset:
    """Merge loaded inputs into one Dataset, cells matched by key within each machine."""
    results = pd.concat([run.results.assign(input_order=i) for i, run in enumerate(runs)], ignore_index=True)
    results["timestamp"] = results["timestamp"].fillna("").astype(str)
    results["source"] = label_sources(results)
    kept, superseded = _latest_per_cell(results)
    kept = kept.sort_values(["source", "workload", "variant", "tasks", "params", "model", "cores"], kind="stable")
    # Only runs that have repetitions: an empty, untyped frame would turn the key columns to object.
    measured = [run.repetitions for run in runs if not run.repetitions.empty]
    repetitions = pd.concat(measured, ignore_index=True) if measured else empty_repetitions()
    repetitions = _repetitions_of(kept, repetitions)
    machines = _machines_by_source(runs, results)
    return Dataset(
        results=kept.drop(columns="input_order").reset_index(drop=True),
        repetitions=repetitions,
        machines=machines,
        superseded=superseded.drop(columns="input_order").reset_index(drop=True),
    )


def _repetitions_of(results: pd.DataFrame, repetitions: pd.DataFrame) -> pd.DataFrame:
    """The repetitions of the kept rows only (same run and key), labelled with their source."""
    if repetitions.empty:
        return repetitions.assign(source=pd.Series(dtype=object))
    rows = results[["run_id", *KEY, "source"]]
    matched = repetitions.merge(rows, on=["run_id", *KEY], how="inner")
    # The same file given twice repeats repetitions too: keep one per index.
    return matched.drop_duplicates(subset=["run_id", *KEY, "repetition"], keep="last").reset_index(drop=True)


def _machines_by_source(runs: Sequence[Run], results: pd.DataFrame) -> dict[str, dict]:
    """machine.json per source; with several runs of one machine, the latest input's wins."""
    source_of_run = dict(zip(results["run_id"], results["source"]))
    machines: dict[str, dict] = {}
    for run in runs:
        if run.machine is None:
            continue
        run_ids = run.results["run_id"].unique()
        for run_id in run_ids:
            machines[source_of_run[run_id]] = run.machine
    return machines


def load(paths: Sequence[Path | str], expand: bool = False) -> Dataset:
    """Load and merge any number of inputs (run directories or results CSV files).

    expand: also give `results` a typed column per parameter (`param.<name>`) and per metric
    (`metric.<name>`), split from the `k=v;k=v` fields (concbench_data.expand).
    """
    if not paths:
        raise ValueError("load() needs at least one input")
    data = merge([load_run(path) for path in paths])
    if expand:
        data.results = expand_fields(data.results)
    return data


def match_by_key(results: pd.DataFrame, value: str = "items_per_s", by: str = "source") -> pd.DataFrame:
    """One row per cell key, one column per `by` value (a source, by default) holding `value`.

    Cells missing from a source are NaN, so compare-style code sees at once what it can pair.
    """
    table = results.set_index([*KEY, by])[value]
    return table.unstack(by)
