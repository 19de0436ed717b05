"""Charts: one figure per workload and metric, panels per case (and per machine)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from concbench_data import derive, model_order

from .layout import MAX_COLUMNS, new_grid
from .panel import Drawn, draw_legend, draw_panel, y_scale
from .spec import NOT_OK_NOTE, SPEEDUP, Line, Metric
from .style import SOURCE_LINESTYLES, Style


@dataclass(frozen=True)
class Chart:
    stem: str
    title: str
    caption: str
    workload: str = ""


def repetitions_note(rows: pd.DataFrame, bars: bool) -> str:
    """`median of 3 repetitions; bars: 95% interval` (what a point is, and its error bar when it has one)."""
    counts = sorted({int(n) for n in rows.loc[derive.is_ok(rows), "repetitions"].dropna()})
    if not counts:
        return "nothing measured"
    reps = f"{counts[0]}–{counts[-1]}" if len(counts) > 1 else str(counts[0])
    if not bars:
        return f"median of {reps} repetitions"
    interval = "95% interval" if (rows["items_per_s_interval"] == "repetitions").any() else "±1 stddev"
    return f"median of {reps} repetitions; bars: {interval}"


def _case_title(rows: pd.DataFrame, workload: str) -> str:
    label = rows["case"].iloc[0] if len(rows) else ""
    return label or workload


def _lines_by_model(rows: pd.DataFrame, styles: dict[str, Style]) -> list[Line]:
    return [Line(model, rows[rows["model"] == model], styles[model], model) for model in model_order(rows["model"])]


def _share_y(axes_row: Sequence[plt.Axes], metric: Metric) -> None:
    """Side-by-side machines share the y range, so heights compare directly."""
    if metric.ylim or len(axes_row) < 2:
        return
    limits = [ax.get_ylim() for ax in axes_row]
    low, high = min(l for l, _ in limits), max(h for _, h in limits)
    for ax in axes_row:
        ax.set_ylim(low, high)


def _wrapped(count: int) -> tuple[int, int]:
    """Rows and columns for `count` panels, at most MAX_COLUMNS to a row."""
    ncols = min(count, MAX_COLUMNS)
    return math.ceil(count / ncols), ncols


def _hide_unused(axes: list[list[plt.Axes]], used: int) -> None:
    ncols = len(axes[0])
    for i in range(used, len(axes) * ncols):
        axes[i // ncols][i % ncols].axis("off")


def line_chart(rows: pd.DataFrame, workload: str, metric: Metric, styles: dict[str, Style],
               name_machine: bool = False) -> Figure:
    """One workload, one metric. One machine: a panel per case, wrapped in rows of MAX_COLUMNS.

    Several machines: a row per case, a column per machine, y shared along each row. Panel titles
    name the machine when there are several, or when `name_machine` (a report of several machines
    in which only one ran this workload).
    """
    if metric.only_cases_with_values:
        rows = rows[rows["case_index"].isin(rows.loc[rows[metric.column].notna(), "case_index"])]
    sources = derive.sources(rows)
    case_ids = sorted(rows["case_index"].unique())
    cores = derive.distinct_cores(rows)
    if len(sources) == 1:
        nrows, ncols = _wrapped(len(case_ids))
        cells = [(i // ncols, i % ncols, sources[0], case) for i, case in enumerate(case_ids)]
    else:
        nrows, ncols = len(case_ids), len(sources)
        cells = [(r, c, source, case) for r, case in enumerate(case_ids) for c, source in enumerate(sources)]
    fig, axes, legend_ax = new_grid(f"{workload}: {metric.title} ({repetitions_note(rows, metric.low != '')})",
                                    nrows, ncols)
    drawn = Drawn(models=set())
    for r, c, source, case in cells:
        case_rows = rows[rows["case_index"] == case]
        panel_rows = case_rows[case_rows["source"] == source]
        title = _case_title(case_rows, workload)
        if len(sources) > 1 or name_machine:
            title = f"{source}: {title}"
        scale = y_scale(metric, case_rows)
        drawn.add(draw_panel(axes[r][c], _lines_by_model(panel_rows, styles), metric, cores, scale, title))
    _hide_unused(axes, len(cells))
    if len(sources) > 1:
        for axes_row in axes:
            _share_y(axes_row, metric)
    draw_legend(legend_ax, drawn, styles, metric)
    return fig


def overlay_chart(rows: pd.DataFrame, workload: str, styles: dict[str, Style]) -> Figure:
    """Several machines on one axis, each normalised to its own sequential run at 1 core (speedup)."""
    sources = derive.sources(rows)
    linestyles = {s: SOURCE_LINESTYLES[i % len(SOURCE_LINESTYLES)] for i, s in enumerate(sources)}
    case_ids = sorted(rows["case_index"].unique())
    cores = derive.distinct_cores(rows)
    nrows, ncols = _wrapped(len(case_ids))
    metric = replace(SPEEDUP, dashed="")  # dashes tell machines apart here
    fig, axes, legend_ax = new_grid(f"{workload}: speedup of each machine vs its own sequential", nrows, ncols)
    drawn = Drawn(models=set())
    for i, case in enumerate(case_ids):
        case_rows = rows[rows["case_index"] == case]
        lines = [
            Line(f"{source} {model}", part, styles[model], model, linestyles[source])
            for source in sources
            for model in model_order(case_rows["model"])
            if not (part := case_rows[(case_rows["source"] == source) & (case_rows["model"] == model)]).empty
        ]
        panel = axes[i // ncols][i % ncols]
        drawn.add(draw_panel(panel, lines, metric, cores, "linear", _case_title(case_rows, workload)))
    _hide_unused(axes, len(case_ids))
    draw_legend(legend_ax, drawn, styles, metric, sources=linestyles)
    return fig


OVERLAY_CAPTION = (
    "Every machine's speedup against its own sequential run at 1 core, on one axis: colour = model, line "
    "style = machine. Compares how well each machine scales, independently of how fast its cores are. "
    + NOT_OK_NOTE
)
