#!/usr/bin/python3
"""Charts and a report from concbench results of one or many machines.

    plot.py CSV_OR_DIR... [--out DIR]

Each input is a run directory (its results.csv, with repetitions.csv and machine.json beside it
when present) or a results CSV file. Writes PNG + SVG charts under DIR/charts/ and DIR/report.md,
DIR/report.html (self-contained). DIR defaults to the first input when it is a directory, else
./report. Exit status: 0 done, 2 bad input (one line on stderr: `plot.py: error: <file>: <problem>`),
1 when the interpreter lacks pandas/matplotlib. docs/reports.md explains every chart.
"""

from __future__ import annotations

import argparse
import functools
import math
import re
import sys
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

PROG = "plot.py"

from script_env import require  # noqa: E402

require(PROG, "pandas", "matplotlib")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import EngFormatter  # noqa: E402
from matplotlib.transforms import blended_transform_factory  # noqa: E402

from concbench_data import Dataset, LoadError, derive, load, model_order  # noqa: E402
from concbench_data.cli import report_error  # noqa: E402
from concbench_data.overhead import OVERHEAD_MARK, overhead_table  # noqa: E402
from concbench_data.report import Block, Heading, Image, Paragraph, Table, to_html, to_markdown  # noqa: E402
from concbench_data.stability import UNSTABLE_CV, system_warnings, unstable_table  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Style: one colour and marker per model, the same in every chart of every report.

MODEL_COLORS: dict[str, str] = {
    "sequential": "#3b3b3b",
    "coroutine": "#1f77b4",
    "coroutine-pool": "#6baed6",
    "fiber": "#2ca02c",
    "fiber-ws": "#74c476",
    "thread": "#d62728",
    "gil": "#ff7f0e",
    "gil-legacy": "#8c564b",
    "tbb": "#9467bd",
    "bare": "#9e9e9e",
}
# 'x' is kept for cells that are not ok, so no model uses it.
MODEL_MARKERS: dict[str, str] = {
    "sequential": "s", "coroutine": "^", "coroutine-pool": "v", "fiber": "D", "fiber-ws": "d",
    "thread": "o", "gil": "P", "gil-legacy": "p", "tbb": "h", "bare": "*",
}
# Models no chart knows yet get these, in sorted order, so a report stays self-consistent.
FALLBACK_COLORS = ("#e377c2", "#17becf", "#bcbd22", "#7b3294", "#1b9e77", "#e6ab02", "#a6761d", "#666666")
FALLBACK_MARKERS = ("o", "s", "^", "D", "v", "h")
SOURCE_LINESTYLES = ("-", "--", ":", "-.")
NOT_OK_MARKER = "x"
IDEAL_COLOR = "#8a8a8a"


@dataclass(frozen=True)
class Style:
    color: str
    marker: str


def model_styles(models: Sequence[str]) -> dict[str, Style]:
    """Fixed styles for known model ids; unknown ids get fallbacks in sorted order."""
    styles = {model: Style(MODEL_COLORS[model], MODEL_MARKERS[model]) for model in models if model in MODEL_COLORS}
    unknown = sorted(set(models) - set(MODEL_COLORS))
    for i, model in enumerate(unknown):
        styles[model] = Style(FALLBACK_COLORS[i % len(FALLBACK_COLORS)], FALLBACK_MARKERS[i % len(FALLBACK_MARKERS)])
    return styles


plt.rcParams.update({
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.fonttype": "none",  # text stays text in SVG: smaller, searchable
    "svg.hashsalt": "concbench",  # stable element ids: the same data gives the same SVG
})

# ---------------------------------------------------------------------------------------------
# Layout: sizes in inches at a fixed DPI, without tight bounding boxes, so every chart's pixel
# size follows from its grid alone (tests check it). Quarter inches keep pixel counts exact.

DPI = 100  # PNG pixels per inch; --dpi changes it (e.g. smaller sample images for the docs)
DPI_RANGE = (40, 400)
PANEL_W, PANEL_H = 5.0, 3.5
LEGEND_W = 2.5
LEGEND_CHARS = 26  # legend labels wrap at this many characters, to stay inside LEGEND_W
TITLE_H = 0.5
MAX_COLUMNS = 3  # panels per row when one machine's cases wrap
HEAT_CELL_W, HEAT_CELL_H = 1.25, 0.5
HEAT_LEFT, HEAT_MARGINS_H, HEAT_COLORBAR_W = 1.5, 2.0, 1.25


def grid_inches(nrows: int, ncols: int) -> tuple[float, float]:
    return ncols * PANEL_W + LEGEND_W, nrows * PANEL_H + TITLE_H


def heatmap_inches(n_sources: int, n_models: int, n_columns: int) -> tuple[float, float]:
    width = n_sources * (HEAT_LEFT + max(n_columns, 2) * HEAT_CELL_W) + HEAT_COLORBAR_W
    return width, HEAT_MARGINS_H + max(n_models, 2) * HEAT_CELL_H


def new_grid(title: str, nrows: int, ncols: int) -> tuple[Figure, list[list[plt.Axes]], plt.Axes]:
    """A figure of nrows x ncols panels plus a legend column on the right."""
    fig = plt.figure(figsize=grid_inches(nrows, ncols), dpi=DPI, layout="constrained")
    grid = fig.add_gridspec(nrows, ncols + 1, width_ratios=[PANEL_W] * ncols + [LEGEND_W])
    axes = [[fig.add_subplot(grid[r, c]) for c in range(ncols)] for r in range(nrows)]
    legend_ax = fig.add_subplot(grid[:, -1])
    legend_ax.axis("off")
    fig.suptitle(title, fontsize=12)
    return fig, axes, legend_ax


# ---------------------------------------------------------------------------------------------
# What a line chart shows.


@dataclass(frozen=True)
class Metric:
    name: str  # file name prefix
    title: str
    ylabel: str
    column: str
    low: str = ""  # error bar columns; empty: none
    high: str = ""
    ideal: str = ""  # "cores": y = cores; "one": y = 1
    scale: str = "auto"  # "auto": log when a case's values span more than LOG_SPAN
    ylim: tuple[float, float] | None = None
    dashed: str = ""  # a second column, drawn dashed in the same colour
    dashed_models: frozenset[str] | None = None  # models that get the dashed line (None: all)
    dashed_label: str = ""
    caption: str = ""
    engineering: bool = False  # tick labels with SI prefixes (k, M)
    valued: frozenset[str] = frozenset({"ok"})  # statuses whose rows are drawn as values (the others as an x)
    only_cases_with_values: bool = False  # panels only for the cases that report this metric at all


LOG_SPAN = 100.0
GIL_MODELS = frozenset({"gil", "gil-legacy"})
NOT_OK_NOTE = "x at the bottom: a cell that is not ok, with its status (see the table of rows not ok)."

THROUGHPUT = Metric(
    "throughput", "Throughput", "throughput (items/s)", "items_per_s", "items_per_s_lo", "items_per_s_hi",
    engineering=True,
    caption="Median items per second over the repetitions, one line per model; higher is better. Error bars: "
    "95% percentile-bootstrap interval of the median from repetitions.csv, or ±1 standard deviation "
    "(items_per_s_stddev) when there are no repetitions. A model that ran on one core only is a point with "
    "a dotted line across, for reference. " + NOT_OK_NOTE,
)
SPEEDUP = Metric(
    "speedup", "Speedup vs sequential at 1 core", "speedup (×)", "speedup", "speedup_lo", "speedup_hi",
    ideal="cores", scale="linear", dashed="self_speedup", dashed_models=GIL_MODELS,
    dashed_label="dashed: vs same model at 1 core",
    caption="Throughput divided by the same case's sequential run at 1 core (the speedup column); the grey "
    "dashed line is ideal scaling (speedup = cores). Error bars: 95% percentile-bootstrap interval of the "
    "ratio of medians (cell and base repetitions resampled independently). For gil models a dashed line in "
    "the model's colour also shows the speedup against the same model at 1 core. " + NOT_OK_NOTE,
)
EFFICIENCY = Metric(
    "efficiency", "Parallel efficiency", "efficiency (speedup / cores)", "efficiency", "efficiency_lo",
    "efficiency_hi", ideal="one", scale="linear",
    caption="Speedup divided by cores: 1 (grey line) means every added core adds a full sequential core's "
    "throughput. Above 1 happens when tasks block (I/O) instead of computing. Error bars: the speedup's "
    "interval divided by cores. " + NOT_OK_NOTE,
)
LATENCY = Metric(
    "latency", "Per-item latency", "latency (µs)", "latency_p50_us", dashed="latency_p99_us",
    dashed_label="solid: p50, dashed: p99",
    caption="Per-item latency percentiles in microseconds (enqueue to dequeue for prodcons): p50 solid, p99 "
    "dashed, same colour per model; lower is better. A p99 far above p50 means a few items waited very "
    "long (e.g. a GIL convoy). " + NOT_OK_NOTE,
)
FAIRNESS = Metric(
    "fairness", "Fairness (Jain's index)", "Jain's index (1 = fair)", "fairness", ideal="one", scale="linear",
    ylim=(0.0, 1.05),
    caption="Jain's fairness index over the tasks (for philosophers: meals eaten per philosopher); 1 means "
    "every task got the same share, 1/n that one task got everything. " + NOT_OK_NOTE,
)
DEADLOCK = Metric(
    "deadlock", "Deadlock share", "deadlock share (0..1)", "deadlock_share", scale="linear", ylim=(-0.05, 1.05),
    valued=frozenset({"ok", "deadlock"}), only_cases_with_values=True,
    caption="The share of a chance-dependent cell's trials that deadlocked (concbench --trials; 0 = never, 1 = "
    "every trial). A row whose status is deadlock (some trial deadlocked) is drawn at its share like an ok "
    "one; only the cases that ran trials get a panel. " + NOT_OK_NOTE,
)
LINE_METRICS = (THROUGHPUT, SPEEDUP, EFFICIENCY, LATENCY, FAIRNESS, DEADLOCK)


@dataclass(frozen=True)
class Line:
    """One series on a panel: the rows of one model (on one machine, for the overlay chart)."""

    label: str  # prefix of its not-ok notes
    rows: pd.DataFrame
    style: Style
    model: str
    linestyle: str = "-"


# ---------------------------------------------------------------------------------------------
# Drawing one panel.


def _errors(rows: pd.DataFrame, metric: Metric) -> np.ndarray | None:
    if not metric.low:
        return None
    values = rows[metric.column].to_numpy(dtype=float)
    below = values - rows[metric.low].to_numpy(dtype=float)
    above = rows[metric.high].to_numpy(dtype=float) - values
    # Missing bounds draw no bar; a bound on the wrong side (rounding) draws none either.
    return np.clip(np.nan_to_num(np.vstack([below, above])), 0.0, None)


def _valued(rows: pd.DataFrame, metric: Metric) -> pd.Series:
    """Whether each row's status lets it show a value of `metric` (ok, for most metrics)."""
    return rows["status"].isin(metric.valued)


def _plotted(rows: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """The rows of a line that get a value drawn: a status that has one (ok, for most), and measured."""
    return rows[_valued(rows, metric) & rows[metric.column].notna()].sort_values("cores")


def _draw_line(ax: plt.Axes, line: Line, metric: Metric, span_cores: bool) -> bool:
    """Draw a line's ok points (none when nothing is measured); True when it drew a dashed companion."""
    ok = _plotted(line.rows, metric)
    if ok.empty:
        return False
    x, y = ok["cores"].to_numpy(), ok[metric.column].to_numpy(dtype=float)
    color = line.style.color
    ax.errorbar(x, y, yerr=_errors(ok, metric), color=color, marker=line.style.marker, linestyle=line.linestyle,
                capsize=3, markersize=6, linewidth=1.6)
    if span_cores and line.rows["cores"].nunique() == 1:  # a one-core model: a reference level across
        ax.axhline(y[0], color=color, linestyle=":", linewidth=1.0)
    second = _dashed_rows(ok, metric, line.model)
    if second.empty:
        return False
    ax.plot(second["cores"], second[metric.dashed], color=color, marker=line.style.marker, linestyle="--",
            markersize=4, linewidth=1.2, markerfacecolor="none")
    return True


def _dashed_rows(ok: pd.DataFrame, metric: Metric, model: str) -> pd.DataFrame:
    if not metric.dashed or (metric.dashed_models is not None and model not in metric.dashed_models):
        return ok.iloc[0:0]
    return ok[ok[metric.dashed].notna()]


def _values(rows: pd.DataFrame, metric: Metric) -> pd.Series:
    """Every y a panel of these rows would show: values, error bar ends, dashed companions."""
    ok = _plotted(rows, metric)
    parts = [ok[c] for c in (metric.column, metric.high, metric.low) if c]
    if metric.dashed:
        parts += [_dashed_rows(group, metric, model)[metric.dashed] for model, group in ok.groupby("model")]
    return pd.concat(parts).dropna() if len(ok) else pd.Series(dtype=float)


def _mark_not_ok(ax: plt.Axes, lines: Sequence[Line], last_core: int, metric: Metric) -> bool:
    """An x at the bottom for each row that is not ok, with its status: never a value, never zero."""
    # x in data coordinates, y in axes fractions: the marks sit at the bottom whatever the scale.
    transform = blended_transform_factory(ax.transData, ax.transAxes)
    stacked: dict[int, int] = {}
    for line in lines:
        unplotted = ~_valued(line.rows, metric) | (line.rows["status"].ne("ok") & line.rows[metric.column].isna())
        for _, row in line.rows[unplotted].sort_values("cores").iterrows():
            level = stacked.get(row["cores"], 0)
            stacked[row["cores"]] = level + 1
            y = 0.05 + 0.09 * level
            ax.plot([row["cores"]], [y], transform=transform, marker=NOT_OK_MARKER, color=line.style.color,
                    markersize=9, markeredgewidth=2, linestyle="none", clip_on=False)
            at_right = row["cores"] == last_core  # text to the left there, inside the panel
            ax.annotate(f"{line.label}: {row['status']}", (row["cores"], y), xycoords=transform,
                        xytext=(-7 if at_right else 7, -3), textcoords="offset points",
                        ha="right" if at_right else "left", fontsize=8, color=line.style.color)
    return bool(stacked)


def _format_cores_axis(ax: plt.Axes, cores: Sequence[int]) -> None:
    low, high = min(cores), max(cores)
    if high > 8:  # doubling sweeps: even spacing on a log2 axis
        ax.set_xscale("log", base=2)
        ax.set_xlim(low / 1.3, high * 1.3)
    else:
        pad = max(0.15 * (high - low), 0.4)
        ax.set_xlim(low - pad, high + pad)
    ax.set_xticks(list(cores))
    ax.set_xticklabels([str(c) for c in cores])
    ax.minorticks_off()
    ax.set_xlabel("cores (CPU affinity)")


def _scale(metric: Metric, rows: pd.DataFrame) -> str:
    if metric.scale != "auto":
        return metric.scale
    values = _values(rows, metric)
    positive = values[values > 0]
    return "log" if len(positive) and positive.max() / positive.min() > LOG_SPAN else "linear"


def _draw_ideal(ax: plt.Axes, metric: Metric, cores: Sequence[int]) -> None:
    if metric.ideal == "cores":
        ax.plot(cores, cores, color=IDEAL_COLOR, linestyle="--", linewidth=1.0, zorder=0)
    elif metric.ideal == "one":
        ax.axhline(1.0, color=IDEAL_COLOR, linestyle="--", linewidth=1.0, zorder=0)


def _format_y_axis(ax: plt.Axes, metric: Metric, scale: str, values: pd.Series | None) -> None:
    ax.set_yscale(scale)
    if metric.engineering:  # 1.2 M rather than an offset "1e6" in the corner
        ax.yaxis.set_major_formatter(EngFormatter(sep=" "))
    if metric.ylim:
        ax.set_ylim(*metric.ylim)
    elif scale == "linear":
        # From zero, so heights compare as ratios, with room above the highest point or bar.
        top = values.max() * 1.1 if values is not None and len(values) and values.max() > 0 else 1.0
        if metric.ideal == "one":
            top = max(top, 1.1)
        elif metric.ideal == "cores":
            top = max(top, ax.get_xlim()[1])
        ax.set_ylim(0, top)


@dataclass
class Drawn:
    """What the panels of a figure ended up showing, for its legend."""

    models: set[str]
    dashed: bool = False
    not_ok: bool = False

    def add(self, other: "Drawn") -> None:
        self.models |= other.models
        self.dashed |= other.dashed
        self.not_ok |= other.not_ok


def draw_panel(ax: plt.Axes, lines: Sequence[Line], metric: Metric, cores: Sequence[int], scale: str,
               title: str) -> Drawn:
    drawn = Drawn(models=set())
    span = len(cores) > 1
    for line in lines:
        drawn.dashed |= _draw_line(ax, line, metric, span)
        if not _plotted(line.rows, metric).empty or not _valued(line.rows, metric).all():
            drawn.models.add(line.model)
    drawn.not_ok = _mark_not_ok(ax, lines, max(cores), metric)
    empty = all(_plotted(line.rows, metric).empty for line in lines)
    if empty:
        ax.text(0.5, 0.55, "no ok cell with a value", transform=ax.transAxes, ha="center", color="#777777")
    _draw_ideal(ax, metric, cores)
    _format_cores_axis(ax, cores)
    _format_y_axis(ax, metric, scale, pd.concat([_values(line.rows, metric) for line in lines]) if lines else None)
    if empty and not metric.ideal:  # no value and no reference line: tick labels would invent a scale
        ax.set_yticks([])
    ax.set_ylabel(metric.ylabel)
    ax.set_title(title)
    return drawn


def draw_legend(legend_ax: plt.Axes, drawn: Drawn, styles: dict[str, Style], metric: Metric,
                sources: dict[str, str] | None = None) -> None:
    handles = [Line2D([], [], color=styles[m].color, marker=styles[m].marker, label=m)
               for m in model_order(drawn.models)]
    for source, linestyle in (sources or {}).items():
        handles.append(Line2D([], [], color="black", linestyle=linestyle, label=f"machine {source}"))
    if metric.ideal:
        label = "ideal (speedup = cores)" if metric.ideal == "cores" else "ideal (1)"
        handles.append(Line2D([], [], color=IDEAL_COLOR, linestyle="--", label=label))
    if drawn.dashed:
        handles.append(Line2D([], [], color="black", linestyle="--", label=metric.dashed_label))
    if drawn.not_ok:
        handles.append(Line2D([], [], color="black", marker=NOT_OK_MARKER, linestyle="none",
                              markeredgewidth=2, label="not ok (status beside it)"))
    for handle in handles:  # long host names would run past the figure's right edge
        handle.set_label(textwrap.fill(handle.get_label(), LEGEND_CHARS, subsequent_indent="  "))
    legend_ax.legend(handles=handles, loc="upper left", frameon=False, title="model" if not sources else None)


# ---------------------------------------------------------------------------------------------
# Charts: one figure per workload and metric, panels per case (and per machine).


@dataclass(frozen=True)
class Chart:
    stem: str
    title: str
    caption: str
    workload: str = ""


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
    fig, axes, legend_ax = new_grid(f"{workload}: {metric.title}", nrows, ncols)
    drawn = Drawn(models=set())
    for r, c, source, case in cells:
        case_rows = rows[rows["case_index"] == case]
        panel_rows = case_rows[case_rows["source"] == source]
        title = _case_title(case_rows, workload)
        if len(sources) > 1 or name_machine:
            title = f"{source}: {title}"
        scale = _scale(metric, case_rows)
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


MISSING = "–"


def _heat_text(row: pd.Series | None) -> tuple[float, str]:
    """(value to colour, text) of one heatmap cell; NaN colours grey."""
    if row is None:
        return math.nan, MISSING
    where = derive.cores_text(row["top_cores"])
    if row["top_status"] != "ok":
        return math.nan, f"{row['top_status']}\n{where}"
    if pd.isna(row["speedup"]):
        return math.nan, f"n/a\n{where}"
    return float(row["speedup"]), f"{row['speedup']:.2f}×\n{where}"


def _heat_column_label(workload: str, case: str) -> str:
    """`parallel` over `cpu`, and each swept parameter of the case on its own line (a column is narrow)."""
    return "\n".join([workload, *case.split(", ")]) if case else workload


def _ratio_ticks(reach: float) -> list[float]:
    """Powers of two within [1/reach, reach], 1 included, at most about nine of them."""
    top = math.floor(math.log2(reach))
    step = max(1, math.ceil(2 * top / 8))
    return [2.0 ** k for k in range(-top, top + 1) if k % step == 0]


def _heat_norm(head: pd.DataFrame) -> LogNorm:
    """Symmetric on a log scale around 1, so 2x faster and 2x slower are equally strong colours."""
    values = head.loc[head["top_status"].eq("ok"), "speedup"].dropna()
    values = values[values > 0]
    reach = max(2.0, values.max(), 1.0 / values.min()) if len(values) else 2.0
    return LogNorm(vmin=1.0 / reach, vmax=reach)


def _heat_panel(ax: plt.Axes, cells: list[list[tuple[float, str]]], norm: LogNorm) -> AxesImage:
    cmap = plt.get_cmap("RdBu").copy()
    cmap.set_bad("#d9d9d9")  # grey: ran, but no figure (not ok, or no base)
    matrix = np.array([[value for value, _ in row] for row in cells], dtype=float)
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, norm=norm, aspect="auto")
    strong_from = 0.6 * math.log(norm.vmax)
    for y, row in enumerate(cells):
        for x, (value, text) in enumerate(row):
            if text == MISSING:  # not run at all: white, unlike grey
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor="white", edgecolor="none"))
            strong = not math.isnan(value) and abs(math.log(value)) > strong_from
            ax.text(x, y, text, ha="center", va="center", fontsize=8, color="white" if strong else "black")
    ax.grid(False)
    return image


def heatmap_chart(head: pd.DataFrame) -> Figure:
    """Model x workload-case grid of the speedup at each model's highest core count, per machine."""
    sources = list(dict.fromkeys(head["source"]))
    columns = list(dict.fromkeys(zip(head["workload"], head["case_index"], head["case"])))
    models = model_order(head["model"])
    fig = plt.figure(figsize=heatmap_inches(len(sources), len(models), len(columns)), dpi=DPI, layout="constrained")
    # The colorbar's column is drawn narrow; the rest of its width holds its labels.
    ratios = [HEAT_LEFT + max(len(columns), 2) * HEAT_CELL_W] * len(sources) + [HEAT_COLORBAR_W / 4]
    grid = fig.add_gridspec(1, len(sources) + 1, width_ratios=ratios)
    norm = _heat_norm(head)
    for i, source in enumerate(sources):
        ax = fig.add_subplot(grid[0, i])
        mine = head[head["source"] == source]
        lookup = {(r["workload"], r["case_index"], r["model"]): r for _, r in mine.iterrows()}
        image = _heat_panel(ax, [[_heat_text(lookup.get((w, c, m))) for (w, c, _) in columns] for m in models], norm)
        ax.set_xticks(range(len(columns)))
        ax.set_xticklabels([_heat_column_label(w, label) for (w, _, label) in columns], fontsize=9)
        ax.set_yticks(range(len(models)))
        ax.set_yticklabels(models)
        ax.set_title(source if len(sources) > 1 else "each model at its highest core count")
    colorbar_ax = fig.add_subplot(grid[0, -1])
    colorbar_ax.grid(False)
    colorbar = fig.colorbar(image, cax=colorbar_ax, label="speedup (×, log scale)")
    ticks = _ratio_ticks(norm.vmax)
    colorbar.set_ticks(ticks)
    colorbar.set_ticklabels([f"{t:g}×" if t >= 1 else f"1/{1 / t:g}×" for t in ticks])
    colorbar.minorticks_off()
    fig.suptitle("Speedup vs sequential at 1 core", fontsize=12)
    return fig


HEATMAP_CAPTION = (
    "Each cell: a model's speedup (vs the same case's sequential run at 1 core) at the highest core count it "
    "ran in that case, which the cell names. Blue: faster than sequential, red: slower, on a log scale "
    "symmetric around 1. Grey: the cell at that core count is not ok (its status is written) or has no "
    "speedup (n/a: its base is missing); –: the model did not run that case."
)
OVERLAY_CAPTION = (
    "Every machine's speedup against its own sequential run at 1 core, on one axis: colour = model, line "
    "style = machine. Compares how well each machine scales, independently of how fast its cores are. "
    + NOT_OK_NOTE
)


# ---------------------------------------------------------------------------------------------
# Saving charts.


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


def save(fig: Figure, charts_dir: Path, stem: str, dpi: int = DPI) -> None:
    # metadata without dates: the same data gives byte-identical files
    fig.savefig(charts_dir / f"{stem}.png", dpi=dpi, metadata={"Software": None})
    fig.savefig(charts_dir / f"{stem}.svg", metadata={"Date": None})
    plt.close(fig)


def make_charts(results: pd.DataFrame, head: pd.DataFrame, charts_dir: Path, dpi: int = DPI) -> list[Chart]:
    """Draw and save every chart the data supports (PNG at `dpi`); return them in report order."""
    styles = model_styles(model_order(results["model"]))
    multi = len(derive.sources(results)) > 1
    charts: list[Chart] = []
    for workload in derive.workloads(results):
        rows = results[results["workload"] == workload]
        for metric in LINE_METRICS:
            columns = [metric.column] if metric is not THROUGHPUT else []  # throughput: always drawn
            if columns and not derive.values_present(rows, columns):
                continue
            stem = f"{metric.name}_{slug(workload)}"
            save(line_chart(rows, workload, metric, styles, name_machine=multi), charts_dir, stem, dpi)
            charts.append(Chart(stem, f"{workload}: {metric.title.lower()}", metric.caption, workload))
        if multi and derive.values_present(rows, ["speedup"]):
            stem = f"machines_{slug(workload)}"
            save(overlay_chart(rows, workload, styles), charts_dir, stem, dpi)
            charts.append(Chart(stem, f"{workload}: machines compared", OVERLAY_CAPTION, workload))
    if not head.empty:
        save(heatmap_chart(head), charts_dir, "heatmap_speedup", dpi)
        charts.append(Chart("heatmap_speedup", "speedup heatmap", HEATMAP_CAPTION))
    return charts


# ---------------------------------------------------------------------------------------------
# Tables.


def format_rate(value: float) -> str:
    if pd.isna(value):
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _speedup_text(row: pd.Series) -> str:
    if row["top_status"] != "ok":
        return f"{row['top_status']} at {derive.cores_text(row['top_cores'])}"
    if pd.isna(row["speedup"]):
        return f"n/a at {derive.cores_text(row['top_cores'])}"
    interval = ""
    if pd.notna(row.get("speedup_lo")) and pd.notna(row.get("speedup_hi")):
        interval = f" [{row['speedup_lo']:.2f}–{row['speedup_hi']:.2f}]"
    return f"{row['speedup']:.2f}×{interval} at {derive.cores_text(row['top_cores'])}"


def headline_table(head: pd.DataFrame, multi: bool) -> pd.DataFrame:
    table = pd.DataFrame({
        "machine": head["source"],
        "workload": head["workload"],
        "case": head["case"],
        "model": head["model"],
        "best items/s": [
            f"{format_rate(v)} at {derive.cores_text(c)}" if pd.notna(v) else "" for v, c in zip(head["best_items_per_s"], head["best_cores"])
        ],
        "speedup (95% CI)": [_speedup_text(row) for _, row in head.iterrows()],
        "efficiency": [f"{v:.2f}" if pd.notna(v) else "" for v in head["efficiency"]],
        "vs own 1 core": [f"{v:.2f}×" if pd.notna(v) else "" for v in head["self_speedup"]],
        "notes": head["notes"],
    })
    return table if multi else table.drop(columns="machine")


def not_ok_table(results: pd.DataFrame, multi: bool) -> pd.DataFrame:
    rows = results[~derive.is_ok(results)]
    columns = (["source"] if multi else []) + ["workload", "variant", "model", "cores", "tasks", "params", "status", "reason"]
    return rows[columns].rename(columns={"source": "machine"}).reset_index(drop=True)


def superseded_table(superseded: pd.DataFrame) -> pd.DataFrame:
    columns = ["source", "run_id", "workload", "variant", "model", "cores", "tasks", "params", "status", "timestamp"]
    return superseded[columns].rename(columns={"source": "machine"}).reset_index(drop=True)


def _listed(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_listed(v) if isinstance(v, list) else str(v) for v in value) if value else ""
    return "" if value is None else str(value)


def _siblings(groups: object) -> str:
    """SMT sibling groups as `(0,1) (2,3)`; each group may be a list or already a string."""
    if not isinstance(groups, list):
        return _listed(groups)
    return " ".join("(" + (",".join(map(str, g)) if isinstance(g, list) else str(g)) + ")" for g in groups)


def _memory(kb: object) -> str:
    return f"{float(kb) / 1048576:.1f} GiB" if isinstance(kb, (int, float)) else _listed(kb)


# (row label, key in machine.json, CSV column used when there is no machine.json, formatter)
MACHINE_FIELDS: tuple[tuple[str, str, str, Callable[[object], str]], ...] = (
    ("host", "host", "host", _listed),
    ("machine id", "machine_id", "machine_id", _listed),
    ("CPU", "cpu_model", "cpu_model", _listed),
    ("logical CPUs", "cpus_online", "cpus", _listed),
    ("affinity", "affinity", "", lambda v: _listed(v) if not isinstance(v, list) else ",".join(map(str, v))),
    ("SMT siblings", "smt_siblings", "", _siblings),
    ("memory", "memory_kb", "", _memory),
    ("kernel", "kernel", "", _listed),
    ("arch", "arch", "", _listed),
    ("virtualisation", "virtualization", "", _listed),
    ("CPU governor", "cpu_governor", "", _listed),
    ("CPU MHz", "cpu_mhz", "", _listed),
    ("compiler", "compiler", "compiler", _listed),
    ("compiler flags", "compiler_flags", "", _listed),
    ("build type", "build_type", "build_type", _listed),
    ("Google Benchmark library build", "gbench_library_build_type", "", _listed),
    ("libraries", "libraries", "", _listed),
    ("git sha", "git_sha", "git_sha", _listed),
    ("command line", "command_line", "", _listed),
    ("system warnings at start", "system", "", system_warnings),
)


def _csv_value(rows: pd.DataFrame, column: str) -> str:
    if not column or column not in rows.columns:
        return ""
    values = [str(v) if not (isinstance(v, float) and math.isnan(v)) else "" for v in rows[column].unique()]
    values = [v.removesuffix(".0") if column == "cpus" else v for v in values]
    return ", ".join(v for v in values if v)


def machine_table(data: Dataset) -> pd.DataFrame:
    """Fields x machines: machine.json where the run had one, else what results.csv carries."""
    table: dict[str, list[str]] = {"": [label for label, *_ in MACHINE_FIELDS] + ["runs", "rows", "metadata from"]}
    for source in derive.sources(data.results):
        rows = data.results[data.results["source"] == source]
        machine = data.machines.get(source)
        if machine is not None:
            values = [fmt(machine[key]) if key in machine else "" for _, key, _, fmt in MACHINE_FIELDS]
        else:
            values = [_csv_value(rows, column) for _, _, column, _ in MACHINE_FIELDS]
        ok = int(derive.is_ok(rows).sum())
        values += [", ".join(rows["run_id"].unique()), f"{len(rows)} ({ok} ok)",
                   "machine.json" if machine is not None else "results.csv columns (no machine.json)"]
        table[source] = values
    return pd.DataFrame(table)


def build_differences(results: pd.DataFrame) -> str:
    """A warning when machines were measured with different builds (comparisons then mix two effects)."""
    per_source = results.groupby("source")[["compiler", "build_type"]].first()
    if len(per_source) < 2 or len(per_source.drop_duplicates()) < 2:
        return ""
    described = "; ".join(f"{s}: {r['compiler']} {r['build_type']}" for s, r in per_source.iterrows())
    return f"Warning: the machines ran different builds ({described}); differences mix hardware and build."


# ---------------------------------------------------------------------------------------------
# The report.


def report_blocks(data: Dataset, results: pd.DataFrame, head: pd.DataFrame, charts: list[Chart],
                  inputs: Sequence[str]) -> list[Block]:
    multi = len(derive.sources(results)) > 1
    blocks: list[Block] = [Paragraph(f"Made by {PROG} from: {', '.join(inputs)}.")]
    blocks += [Heading("Machines"), Table(machine_table(data))]
    warning = build_differences(results)
    if warning:
        blocks.append(Paragraph(warning))
    blocks += [
        Heading("Headline figures"),
        Paragraph("Per workload case and model: the best median throughput over the core counts, and the "
                  "speedup vs sequential at 1 core at the highest core count the model ran (95% percentile-"
                  "bootstrap interval of the ratio of medians in brackets, when repetitions are available). "
                  "'vs own 1 core' is the same model's throughput against its own 1-core run. Notes list "
                  "every cell that is not ok."),
        Table(headline_table(head, multi)),
        Heading("Overhead against the floors"),
        Paragraph("Every model cell that has a floor: the `bare` cell running the same library primitive in a "
                  "minimal hand-written loop, measured in the same run (one-thread floors at 1 core). "
                  "bare_ratio is the model's throughput over the floor's; overhead is its inverse, how much "
                  f"longer the model takes than the library can. Overheads above {OVERHEAD_MARK}× are marked: "
                  "there the binding, not the model, may be what the figure shows."),
        Table(overhead_table(results, multi)),
        Heading("Rows not ok"),
        Paragraph("Every cell whose status is not ok: these are shown on the charts as an x, never as a value."),
        Table(not_ok_table(results, multi)),
        Heading("Unstable cells"),
        Paragraph(f"Cells whose repetitions' throughput spread more than cv {UNSTABLE_CV} (stddev over median): "
                  "their figure may move from run to run; the machine's own warnings at the start of the run are "
                  "in the machine table above."),
        Table(unstable_table(results, multi)),
    ]
    if not data.superseded.empty:
        blocks += [
            Heading("Superseded rows"),
            Paragraph("Cells measured again later on the same machine (a resumed or a newer run): the newer "
                      "row is the one reported above; these older rows are not used."),
            Table(superseded_table(data.superseded)),
        ]
    blocks.append(Heading("Charts"))
    blocks += _chart_blocks(results, charts)
    return blocks


def _cases_text(rows: pd.DataFrame) -> str:
    """Which inputs each panel (case) of a workload's charts had."""
    all_cases = derive.cases(rows)
    described = [
        f"{derive.case_label(case, all_cases) or case[0]}: {derive.case_inputs(case)}" for case in all_cases
    ]
    return "Each panel is one case (its variant and swept parameters in the title). Inputs: " + "; ".join(described) + "."


def _chart_blocks(results: pd.DataFrame, charts: list[Chart]) -> list[Block]:
    blocks: list[Block] = []
    current = None
    for chart in charts:
        if chart.workload and chart.workload != current:
            current = chart.workload
            blocks.append(Heading(chart.workload, 3))
            blocks.append(Paragraph(_cases_text(results[results["workload"] == current])))
        elif not chart.workload:
            blocks.append(Heading("All workloads", 3))
        blocks += [Image(f"charts/{chart.stem}.png", chart.title, f"charts/{chart.stem}.svg"),
                   Paragraph(chart.caption)]
    return blocks


def write_report(data: Dataset, out: Path, inputs: Sequence[str], dpi: int = DPI) -> int:
    """Draw every chart and write report.md and report.html in `out`; return the number of charts."""
    charts_dir = out / "charts"
    charts_dir.mkdir(parents=True, exist_ok=True)
    results = derive.add_case_labels(derive.add_intervals(data.results, data.repetitions))
    head = derive.headlines(results)
    charts = make_charts(results, head, charts_dir, dpi)
    blocks = report_blocks(data, results, head, charts, inputs)
    title = "concbench report"
    (out / "report.md").write_text(to_markdown(title, blocks), encoding="utf-8")
    (out / "report.html").write_text(to_html(title, blocks, out), encoding="utf-8")
    return len(charts)


# ---------------------------------------------------------------------------------------------
# Command line.


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, like every other bad input
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(prog=PROG, description="Charts and a report from concbench results of one or many machines.")
    parser.add_argument("inputs", nargs="+", metavar="CSV_OR_DIR",
                        help="a run directory (results.csv, repetitions.csv, machine.json) or a results CSV")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="where to write charts/, report.md and report.html "
                             "(default: the first input if it is a directory, else ./report)")
    parser.add_argument("--dpi", type=_dpi, default=DPI, metavar="N",
                        help=f"pixels per inch of the PNG charts (default {DPI}; SVG is unaffected)")
    return parser.parse_args(argv)


def _dpi(text: str) -> int:
    low, high = DPI_RANGE
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
    return value


def default_out(inputs: Sequence[str]) -> Path:
    first = Path(inputs[0])
    return first if first.is_dir() else Path("report")


fail = functools.partial(report_error, PROG)  # one line on stderr, exit code 2


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as stop:  # --help (0) or a usage error (2, already printed)
        return int(stop.code or 0)
    try:
        data = load(args.inputs)
    except LoadError as err:
        return fail(str(err))
    out = args.out or default_out(args.inputs)
    if out.exists() and not out.is_dir():
        return fail(f"{out}: not a directory")
    try:
        count = write_report(data, out, args.inputs, args.dpi)
    except OSError as err:
        return fail(f"{err.filename or out}: cannot write: {err.strerror}")
    print(f"{PROG}: wrote {out / 'report.md'}, {out / 'report.html'} and {count} charts (PNG + SVG) in {out / 'charts'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
