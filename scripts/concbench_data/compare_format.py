"""compare.py's output: a Markdown table for a pull-request comment or job summary, CSV, or JSON."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass

import pandas as pd

from .compare_stats import VERDICTS, Comparison, Pooled
from .schema import KEY


@dataclass(frozen=True)
class SideInfo:
    """What the header says about one side."""

    path: str
    pooled: Pooled

    def describe(self) -> str:
        p = self.pooled
        facts = [f"{p.runs} run{'s' if p.runs != 1 else ''}"]
        if p.git_shas:
            facts.append("git " + "/".join(p.git_shas))
        facts += ["/".join(v) for v in (p.build_types, p.compilers) if v]
        if p.machine_ids:
            facts.append("machine " + "/".join(p.machine_ids))
        return f"`{self.path}` ({', '.join(facts)})"


def summary_line(comparison: Comparison) -> str:
    counts = [(v, comparison.count(v)) for v in VERDICTS]
    plural = {"regression": "regressions", "improvement": "improvements"}
    parts = [f"{n} {plural.get(v, v) if n != 1 else v}" for v, n in counts if n or v in ("regression", "same")]
    return " · ".join(parts)


def cell_label(row: pd.Series) -> str:
    params = f" {row['params']}" if row["params"] else ""
    return f"{row['workload']}/{row['variant']} {row['model']} cores={row['cores']} tasks={row['tasks']}{params}"


def si(value: float) -> str:
    """Throughput with an SI prefix and three significant digits: 50.4k, 1.23M."""
    if not math.isfinite(value):
        return "–"
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{prefix}"
    return f"{value:.3g}"


def pct(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{100 * value:+.1f}%"


def interval(low: float, high: float) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "–"
    return f"[{pct(low)}, {pct(high)}]"


def p_text(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|")


def to_markdown(comparison: Comparison, base: SideInfo, new: SideInfo) -> str:
    cells = comparison.cells
    out = [f"### concbench comparison: {summary_line(comparison)}", ""]
    out.append(f"**Base** {base.describe()}  ")
    out.append(f"**New** {new.describe()}")
    out.append("")
    if comparison.unit == "run":
        unit = "one value per run (process): the median of its repetitions; n = runs"
    else:
        unit = "one value per repetition; n = repetitions"
    out.append(
        f"Throughput in items/s, {unit}. Change = median(new) / median(base) − 1, negative is slower; "
        f"95% interval: Hodges–Lehmann. Verdict: two-sided Mann-Whitney U, Holm-corrected over "
        f"{comparison.tested} tested cell(s), alpha {comparison.alpha:g}, minimum effect ±{comparison.threshold_pct:g}%; "
        f"a cell whose sample sizes cannot reach significance is inconclusive, and suspect when at least "
        f"{comparison.threshold_pct:g}% slower."
    )
    out.append("")
    if comparison.warnings:
        out.append("**Warnings**")
        out.append("")
        out += [f"- {_escape(w)}" for w in comparison.warnings]
        out.append("")
    header = ["verdict", "cell", "base items/s", "new items/s", "change", "95% interval", "p (Holm)",
              "n base/new", "note"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---", "---", "---:", "---:", "---:", "---", "---:", "---:", "---"]) + "|")
    for _, row in cells.iterrows():
        verdict = f"**{row['verdict']}**" if row["verdict"] in ("regression", "suspect", "failed") else row["verdict"]
        values = [verdict, _escape(cell_label(row)), si(row["base_items_per_s"]), si(row["new_items_per_s"]),
                  pct(row["change"]), interval(row["ci_low"], row["ci_high"]), p_text(row["p_holm"]),
                  f"{row['n_base']}/{row['n_new']}", _escape(row["note"])]
        out.append("| " + " | ".join(values) + " |")
    return "\n".join(out) + "\n"


def _csv_frame(comparison: Comparison) -> pd.DataFrame:
    frame = comparison.cells.copy()
    for column in ("change", "ci_low", "ci_high"):
        frame[f"{column}_pct"] = 100 * frame.pop(column)
    order = [*KEY, "verdict", "base_items_per_s", "new_items_per_s", "change_pct", "ci_low_pct", "ci_high_pct",
             "p_value", "p_holm", "n_base", "n_new", "runs_base", "runs_new", "reps_base", "reps_new", "base_status",
             "new_status", "note"]
    return frame[order]


def to_csv(comparison: Comparison) -> str:
    buffer = io.StringIO()
    _csv_frame(comparison).to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
    return buffer.getvalue()


def _clean(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    return value


def to_json(comparison: Comparison, base: SideInfo, new: SideInfo, exit_status: int) -> str:
    def side(info: SideInfo) -> dict:
        p = info.pooled
        return {"path": info.path, "runs": p.runs, "git_sha": p.git_shas, "build_type": p.build_types,
                "compiler": p.compilers, "machine_id": p.machine_ids}

    cells = [{k: _clean(v) for k, v in row.items()} for row in _csv_frame(comparison).to_dict(orient="records")]
    document = {
        "summary": {v: comparison.count(v) for v in VERDICTS} | {"exit_status": exit_status},
        "settings": {"test": "Mann-Whitney U, two-sided", "unit": comparison.unit, "correction": "Holm",
                     "alpha": comparison.alpha,
                     "threshold_pct": comparison.threshold_pct, "interval": "Hodges-Lehmann 95%",
                     "tested_cells": comparison.tested},
        "base": side(base),
        "new": side(new),
        "warnings": comparison.warnings,
        "cells": cells,
    }
    return json.dumps(document, indent=2) + "\n"
