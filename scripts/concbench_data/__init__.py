"""Reading concbench results for the scripts (plot.py now, compare.py later).

    from concbench_data import load, LoadError
    data = load(["reports/host-20261125T134002Z"])   # Dataset: results, repetitions, machines
    data.results[data.results.status == "ok"]

The CSV contract is docs/csv-schema.md; `schema` holds it as constants.
"""

from .load import (
    MIGRATIONS,
    Dataset,
    LoadError,
    Run,
    RunFiles,
    known_versions,
    load,
    load_run,
    locate,
    match_by_key,
    merge,
    read_machine,
    read_repetitions,
    read_results,
)
from .schema import (CASE, CURRENT_SCHEMA, EXTERNAL_MODELS, FIDELITY_PARTNERS, KEY, KNOWN_MODELS, STATUSES, kv_number,
                     model_order, parse_kv)

__all__ = [
    "CASE", "CURRENT_SCHEMA", "EXTERNAL_MODELS", "FIDELITY_PARTNERS", "KEY", "KNOWN_MODELS", "MIGRATIONS",
    "STATUSES", "Dataset", "LoadError", "Run", "RunFiles", "known_versions", "kv_number", "load", "load_run", "locate", "match_by_key",
    "merge", "model_order", "parse_kv", "read_machine", "read_repetitions", "read_results",
]
