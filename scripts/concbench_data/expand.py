"""Typed columns from the `k=v;k=v` fields: `param.<name>` for each input in `params`, `metric.<name>` for
each figure in `metrics` (docs/csv-schema.md). A column whose every present value is a number is numeric,
otherwise text; a row without the key has NaN there ("not applicable", never zero)."""

from __future__ import annotations

import pandas as pd

from .schema import parse_kv

PREFIXES = {"params": "param.", "metrics": "metric."}


def _typed(values: pd.Series) -> pd.Series:
    present = values.dropna()
    numbers = pd.to_numeric(present, errors="coerce")
    if len(present) and numbers.notna().all():
        return pd.to_numeric(values, errors="coerce")
    return values


def expand(results: pd.DataFrame) -> pd.DataFrame:
    """`results` with a typed column per parameter and per metric added (the k=v columns are kept)."""
    out = results.copy()
    for field, prefix in PREFIXES.items():
        if field not in out.columns:
            continue
        parsed = [parse_kv(text) if isinstance(text, str) else {} for text in out[field]]
        names = sorted({name for pairs in parsed for name in pairs})
        for name in names:
            values = pd.Series([pairs.get(name) for pairs in parsed], index=out.index, dtype=object)
            out[prefix + name] = _typed(values)
    return out
