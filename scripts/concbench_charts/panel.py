"""Drawing one panel of a line chart, and a figure's legend."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import EngFormatter
from matplotlib.transforms import blended_transform_factory

from concbench_data import model_order

from .layout import LEGEND_CHARS
from .spec import LOG_SPAN, Line, Metric
from .style import IDEAL_COLOR, NOT_OK_MARKER, Style


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


def y_scale(metric: Metric, rows: pd.DataFrame) -> str:
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
