"""The CSV contract of docs/csv-schema.md, as constants the loaders and reports share."""

from __future__ import annotations

from typing import Iterable

CURRENT_SCHEMA = 2  # 2 added `bare_ratio` and the `iterations` column (load.MIGRATIONS[1])

# A cell is identified by these columns; scripts match cells across runs and machines by them.
KEY: tuple[str, ...] = ("workload", "variant", "model", "cores", "tasks", "params")

# The key without the two axes a chart draws (model: one line each, cores: the x axis).
# Rows sharing it are one "case" of a workload: a variant and a point of a parameter sweep.
# `case_params`: the params less a model's own parameters (e.g. gil_interval_us), so every model of one
# workload case shares it; derive.with_case_params adds the column.
CASE: tuple[str, ...] = ("workload", "variant", "tasks", "case_params")

# Execution model ids of DESIGN.md, in the order tables and legends list them (simplest first).
KNOWN_MODELS: tuple[str, ...] = (
    "sequential", "coroutine", "coroutine-pool", "fiber", "fiber-ws", "thread", "gil", "gil-legacy", "tbb", "bare",
)

# Models run by peer programs (docs/models.md, "External models"), at the workloads' quick sweeps, and the C++ model
# each is checked against cell by cell (the report's fidelity view; app's fidelity_partner says the same).
EXTERNAL_MODELS: tuple[str, ...] = ("python-threads", "python-asyncio", "python-generators", "go")
FIDELITY_PARTNERS: dict[str, str] = {"python-threads": "gil", "python-asyncio": "coroutine",
                                     "python-generators": "coroutine"}

STATUSES: tuple[str, ...] = ("ok", "failed", "timeout", "crashed", "deadlock", "unsupported", "interrupted")

# Every column of results.csv, in the order the binary writes them.
RESULTS_COLUMNS: tuple[str, ...] = (
    "schema", "run_id", "timestamp", "machine_id", "host", "cpu_model", "cpus", "compiler",
    "build_type", "git_sha",
    *KEY,
    "workers", "taxonomy", "status", "reason", "verified", "repetitions", "iterations", "items", "real_time_s",
    "cpu_time_s", "items_per_s", "items_per_s_stddev", "cv", "speedup", "efficiency", "bare_ratio",
    "latency_p50_us", "latency_p99_us", "fairness", "ctx_switches_vol", "ctx_switches_invol",
    "max_rss_kb", "metrics",
)

# What a results file must have to be read at all: where a row comes from, its key and its
# outcome. The other documented columns are added empty when absent ("not measured").
RESULTS_REQUIRED: tuple[str, ...] = ("schema", "run_id", "machine_id", "host", *KEY, "status", "items_per_s")

REPETITIONS_COLUMNS: tuple[str, ...] = (
    "schema", "run_id", *KEY, "repetition", "iterations", "items_per_s", "real_time_s", "cpu_time_s",
)
REPETITIONS_REQUIRED: tuple[str, ...] = ("schema", "run_id", *KEY, "repetition", "items_per_s")

# metrics.csv (schema 2 on): one row per numeric metric of a cell, long format, with its unit.
METRICS_COLUMNS: tuple[str, ...] = ("schema", "run_id", *KEY, "metric", "value", "unit")

# Integer columns that may never be empty (they are part of a row's identity).
REQUIRED_INTEGERS: tuple[str, ...] = ("cores", "tasks", "repetition")

# Text columns that may never be empty: a row without them cannot be placed on any chart.
REQUIRED_TEXT: tuple[str, ...] = ("run_id", "workload", "model", "status")

# Measured figures: empty means "not measured", never zero, so they become NaN, not 0.
NUMERIC_COLUMNS: tuple[str, ...] = (
    "cpus", "workers", "repetitions", "items", "real_time_s", "cpu_time_s", "items_per_s",
    "items_per_s_stddev", "cv", "speedup", "efficiency", "bare_ratio", "latency_p50_us", "latency_p99_us",
    "fairness", "ctx_switches_vol", "ctx_switches_invol", "max_rss_kb", "iterations",
)

BOOLEAN_COLUMNS: tuple[str, ...] = ("verified",)


def model_order(models: Iterable[str]) -> list[str]:
    """Distinct models, known ids in their documented order first, then unknown ones sorted."""
    present = set(models)
    known = [model for model in KNOWN_MODELS if model in present]
    return known + sorted(present - set(KNOWN_MODELS))


def parse_kv(text: str) -> dict[str, str]:
    """Split a `k=v;k=v` field (params, metrics) into a dict; an empty field gives {}.

    A token without `=` becomes a key with an empty value rather than an error: these fields are
    free-form figures and a report should still show what it can.
    """
    pairs: dict[str, str] = {}
    for token in str(text).split(";"):
        token = token.strip()
        if not token:
            continue
        key, _, value = token.partition("=")
        pairs[key.strip()] = value.strip()
    return pairs


def kv_number(text: str, key: str) -> float:
    """The number stored under `key` in a `k=v;k=v` field, NaN when absent or not a number."""
    value = parse_kv(text).get(key, "")
    try:
        return float(value)
    except ValueError:
        return float("nan")
