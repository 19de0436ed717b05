"""Saving charts: every chart the data supports, as PNG and SVG, in report order."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from concbench_data import derive, model_order

from .charts import OVERLAY_CAPTION, Chart, line_chart, overlay_chart
from .heatmap import HEATMAP_CAPTION, heat_norm, heatmap_chart
from .layout import DPI
from .spec import metrics_of
from .style import model_styles


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


def save(fig: Figure, charts_dir: Path, stem: str, dpi: int = DPI) -> None:
    # metadata without dates: the same data gives byte-identical files
    fig.savefig(charts_dir / f"{stem}.png", dpi=dpi, metadata={"Software": None})
    fig.savefig(charts_dir / f"{stem}.svg", metadata={"Date": None})
    plt.close(fig)


def make_charts(results: pd.DataFrame, head: pd.DataFrame, charts_dir: Path, dpi: int = DPI) -> list[Chart]:
    """Draw and save every chart the data supports (PNG at `dpi`); return them in report order: per workload, its
    line charts, the machines compared (several machines), its speedup heatmap."""
    styles = model_styles(model_order(results["model"]))
    multi = len(derive.sources(results)) > 1
    norm = heat_norm(head) if not head.empty else None
    charts: list[Chart] = []
    for workload in derive.workloads(results):
        rows = results[results["workload"] == workload]
        for metric in metrics_of(rows):
            stem = f"{metric.name}_{slug(workload)}"
            save(line_chart(rows, workload, metric, styles, name_machine=multi), charts_dir, stem, dpi)
            charts.append(Chart(stem, f"{workload}: {metric.title.lower()}", metric.caption, workload))
        if multi and derive.values_present(rows, ["speedup"]):
            stem = f"machines_{slug(workload)}"
            save(overlay_chart(rows, workload, styles), charts_dir, stem, dpi)
            charts.append(Chart(stem, f"{workload}: machines compared", OVERLAY_CAPTION, workload))
        mine = head[head["workload"] == workload] if not head.empty else head
        if not mine.empty:
            stem = f"heatmap_{slug(workload)}"
            save(heatmap_chart(mine, norm, workload), charts_dir, stem, dpi)
            charts.append(Chart(stem, f"{workload}: speedup heatmap", HEATMAP_CAPTION, workload))
    return charts
