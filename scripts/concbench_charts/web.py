"""The interactive charts of report.html: each workload's cells as data for assets/report.js, which draws them with
Chart.js (assets/chart.umd.min.js, vendored: see assets/README.md), embedded in the page so it opens offline.

The browser draws what the PNG charts draw (concbench_charts.charts): the same metrics (spec.LINE_METRICS), panels
per case (and per machine, side by side), colours and markers per model (style), log scale where the PNG has one.
On top: a metric switch, models toggled from the legend, and a cell's figures on hover (value, interval,
repetitions, cv, status).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from concbench_data import derive, model_order

from .charts import repetitions_note
from .panel import y_scale
from .spec import Metric, metrics_of
from .style import IDEAL_COLOR, Style

ASSETS = Path(__file__).resolve().parent / "assets"
LIBRARY = ASSETS / "chart.umd.min.js"
SCRIPT = ASSETS / "report.js"
STYLE = ASSETS / "report.css"
DATA_ID = "cb-data"


def _metric_json(metric: Metric) -> dict:
    spec = asdict(metric)
    spec["valued"] = sorted(metric.valued)
    spec["dashed_models"] = sorted(metric.dashed_models) if metric.dashed_models is not None else None
    return spec


def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 6)


def _point(row: pd.Series, columns: list[str]) -> dict:
    values = {name: _number(row.get(name)) for name in columns}
    point = {"c": int(row["cores"]), "s": row["status"], "v": {k: v for k, v in values.items() if v is not None}}
    for key, column in (("n", "repetitions"), ("cv", "cv")):
        if _number(row.get(column)) is not None:
            point[key] = _number(row[column])
    if str(row.get("reason") or "").strip():
        point["r"] = str(row["reason"])
    return point


def _columns(metrics: list[Metric]) -> list[str]:
    return list(dict.fromkeys(c for m in metrics for c in (m.column, m.low, m.high, m.dashed) if c))


def chart_group(rows: pd.DataFrame, workload: str) -> dict:
    """One workload's panels: a row per case, a column per machine (one machine: cases wrap)."""
    metrics = metrics_of(rows)
    columns = _columns(metrics)
    sources = derive.sources(rows)
    panels = []
    for row_index, case in enumerate(sorted(rows["case_index"].unique())):
        case_rows = rows[rows["case_index"] == case]
        label = case_rows["case"].iloc[0] or workload
        scales = [m.name for m in metrics if y_scale(m, case_rows) == "log"]
        for source in sources:
            mine = case_rows[case_rows["source"] == source]
            series = [{"model": model, "points": [_point(r, columns) for _, r in part.sort_values("cores").iterrows()]}
                      for model in model_order(mine["model"]) if not (part := mine[mine["model"] == model]).empty]
            panels.append({"title": f"{source}: {label}" if len(sources) > 1 else label, "row": row_index,
                           "log": scales, "series": series})
    return {"id": workload, "cores": derive.distinct_cores(rows), "columns": len(sources), "note": "Each point: the " + repetitions_note(rows, True) + ".",
            "metrics": [_metric_json(m) for m in metrics], "panels": panels}


def peers_group(workload: str) -> str:
    """The chart group of a workload's peer cases (derive.peer_cases), drawn apart from its other cases."""
    return f"{workload}/peers"


def _groups(results: pd.DataFrame) -> dict[str, dict]:
    groups = {}
    for workload in derive.workloads(results):
        rows = results[results["workload"] == workload]
        side = rows["case_index"].isin(derive.peer_cases(rows))
        groups[workload] = chart_group(rows[~side], workload)
        if side.any():
            groups[peers_group(workload)] = chart_group(rows[side], workload)
    return groups


def page_data(results: pd.DataFrame, styles: dict[str, Style]) -> dict:
    return {
        "models": {m: {"color": s.color, "point": s.point[0], "rotation": s.point[1]} for m, s in styles.items()},
        "ideal": IDEAL_COLOR,
        "groups": _groups(results),
    }


HEATMAP_VIEW = "Speedup heatmap"


def group_html(workload: str, heatmap: str = "") -> str:
    """Where report.js draws a workload's charts (it fills the element from the page's data). `heatmap`, the
    workload's heatmap table, becomes one more view beside the metrics (shown as it is without JavaScript)."""
    extra = (f'<div class="cb-view" data-view="{html.escape(HEATMAP_VIEW, quote=True)}">{heatmap}</div>'
             if heatmap else "")
    return (f'<div class="cb-chart" data-group="{html.escape(workload, quote=True)}">{extra}'
            '<noscript>The interactive charts need JavaScript; report.md shows the same charts as images.</noscript>'
            "</div>")


def _script_text(path: Path) -> str:
    # A source map comment would ask the browser's tools for a file the page does not have.
    text = path.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("//# sourceMappingURL="))
    return text.replace("</script", "<\\/script")


# Installed before the library, so an error in any script of the page is recorded where a test can read it.
ERROR_CATCHER = (
    "window.cbErrors=[];window.addEventListener('error',function(e){window.cbErrors.push(String(e.message||e));"
    "document.documentElement.setAttribute('data-script-errors',window.cbErrors.join(' | '));});"
)


def page_scripts(data: dict) -> str:
    """The data, the library and the page's script, inline: the page needs no other file and no network."""
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    return "\n".join([f'<script type="application/json" id="{DATA_ID}">{payload}</script>',
                      f"<script>{ERROR_CATCHER}</script>", f"<script>{_script_text(LIBRARY)}</script>",
                      f"<script>{_script_text(SCRIPT)}</script>"])


def page_style() -> str:
    return STYLE.read_text(encoding="utf-8")
