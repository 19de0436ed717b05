"""The speedup heatmap: model x workload case, at each model's highest core count, per machine."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Colormap, LogNorm, to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

from concbench_data import derive, model_order

from . import fmt
from .layout import DPI, HEAT_CELL_W, HEAT_COLORBAR_W, HEAT_LEFT, heatmap_inches

NOT_OK_GREY = "#d9d9d9"
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
    return float(row["speedup"]), f"{fmt.times(row['speedup'])}\n{where}"


def _heat_column_label(workload: str, case: str) -> str:
    """`parallel` over `cpu`, and each swept parameter of the case on its own line (a column is narrow); the
    case alone when the workload is in the chart's title."""
    return "\n".join([part for part in [workload, *case.split(", ")] if part]) or workload


def _ratio_ticks(reach: float) -> list[float]:
    """Powers of two within [1/reach, reach], 1 included, at most about nine of them."""
    top = math.floor(math.log2(reach))
    step = max(1, math.ceil(2 * top / 8))
    return [2.0 ** k for k in range(-top, top + 1) if k % step == 0]


def heat_norm(head: pd.DataFrame) -> LogNorm:
    """Symmetric on a log scale around 1, so 2x faster and 2x slower are equally strong colours. One norm for a
    whole report: a colour means the same speedup in every workload's heatmap."""
    values = head.loc[head["top_status"].eq("ok"), "speedup"].dropna()
    values = values[values > 0]
    reach = max(2.0, values.max(), 1.0 / values.min()) if len(values) else 2.0
    return LogNorm(vmin=1.0 / reach, vmax=reach)


def _cmap() -> Colormap:
    cmap = plt.get_cmap("RdBu").copy()
    cmap.set_bad(NOT_OK_GREY)  # grey: ran, but no figure (not ok, or no base)
    return cmap


def _strong(value: float, norm: LogNorm) -> bool:
    """Whether a cell's colour is dark enough to need white text."""
    return not math.isnan(value) and abs(math.log(value)) > 0.6 * math.log(norm.vmax)


def _heat_panel(ax: plt.Axes, cells: list[list[tuple[float, str]]], norm: LogNorm) -> AxesImage:
    matrix = np.array([[value for value, _ in row] for row in cells], dtype=float)
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=_cmap(), norm=norm, aspect="auto")
    for y, row in enumerate(cells):
        for x, (value, text) in enumerate(row):
            if text == MISSING:  # not run at all: white, unlike grey
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor="white", edgecolor="none"))
            ax.text(x, y, text, ha="center", va="center", fontsize=8, color="white" if _strong(value, norm) else "black")
    ax.grid(False)
    return image


@dataclass(frozen=True)
class HeatGrid:
    """One machine's heatmap: a row per model, a column per (workload, case), a cell's row of the headlines."""

    models: list[str]
    columns: list[tuple]  # (workload, case_index, case label)
    lookup: dict[tuple, pd.Series]  # (workload, case_index, model) -> headline row

    @classmethod
    def of(cls, head: pd.DataFrame, source: str) -> "HeatGrid":
        mine = head[head["source"] == source]
        return cls(model_order(head["model"]), list(dict.fromkeys(zip(head["workload"], head["case_index"], head["case"]))),
                   {(r["workload"], r["case_index"], r["model"]): r for _, r in mine.iterrows()})

    def cell(self, model: str, column: tuple) -> pd.Series | None:
        return self.lookup.get((column[0], column[1], model))

    def texts(self) -> list[list[tuple[float, str]]]:
        return [[_heat_text(self.cell(m, column)) for column in self.columns] for m in self.models]


def heatmap_chart(head: pd.DataFrame, norm: LogNorm | None = None, workload: str = "") -> Figure:
    """Model x workload-case grid of the speedup at each model's highest core count, per machine. With
    `workload`, the head of that workload only: its columns are its cases, its title names it."""
    sources = list(dict.fromkeys(head["source"]))
    columns = list(dict.fromkeys(zip(head["workload"], head["case_index"], head["case"])))
    models = model_order(head["model"])
    fig = plt.figure(figsize=heatmap_inches(len(sources), len(models), len(columns)), dpi=DPI, layout="constrained")
    # The colorbar's column is drawn narrow; the rest of its width holds its labels.
    ratios = [HEAT_LEFT + max(len(columns), 2) * HEAT_CELL_W] * len(sources) + [HEAT_COLORBAR_W / 4]
    grid = fig.add_gridspec(1, len(sources) + 1, width_ratios=ratios)
    norm = norm or heat_norm(head)
    for i, source in enumerate(sources):
        ax = fig.add_subplot(grid[0, i])
        heat = HeatGrid.of(head, source)
        image = _heat_panel(ax, heat.texts(), norm)
        ax.set_xticks(range(len(columns)))
        labels = [_heat_column_label("" if workload else w, label) or w for (w, _, label) in columns]
        ax.set_xticklabels(labels, fontsize=9)
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
    fig.suptitle(f"{workload}: speedup vs sequential at 1 core" if workload else "Speedup vs sequential at 1 core",
                 fontsize=12)
    return fig


def _cell_html(row: pd.Series | None, model: str, norm: LogNorm) -> str:
    value, text = _heat_text(row)
    if text == MISSING:
        return f'<td class="heat missing" title="{html.escape(model)}: not run">{MISSING}</td>'
    colour = to_hex(_cmap()(norm(value))) if not math.isnan(value) else NOT_OK_GREY
    ink = "#fff" if _strong(value, norm) else "#000"
    tip = f"{model}, {row['case'] or row['workload']}, {derive.cores_text(row['top_cores'])}: "
    if math.isnan(value):
        tip += f"{row['top_status']}" + (f" ({row['notes']})" if row.get("notes") else "")
    else:
        tip += f"speedup {fmt.times(row['speedup'], row.get('speedup_lo'), row.get('speedup_hi'))}"
        tip += f"; best {fmt.rate(row['best_items_per_s'])} at {derive.cores_text(row['best_cores'])}"
    label = html.escape(text.partition("\n")[0])  # the value alone: the core count is in the tooltip, the caption
    return (f'<td class="heat" style="background:{colour};color:{ink}" '
            f'title="{html.escape(tip, quote=True)}">{label}</td>')


def heat_table_html(head: pd.DataFrame, norm: LogNorm) -> str:
    """The same heatmap as an HTML table (one workload's head; a column group per machine): no image to embed,
    and each cell's interval and best throughput on hover."""
    sources = list(dict.fromkeys(head["source"]))
    grids = {source: HeatGrid.of(head, source) for source in sources}
    first = grids[sources[0]]
    multi = len(sources) > 1
    header = "".join(f"<th>{html.escape((s + ': ') if multi else '')}{html.escape(label or w)}</th>"
                     for s in sources for (w, _, label) in first.columns)
    rows = []
    for model in first.models:
        cells = "".join(_cell_html(grids[s].cell(model, column), model, norm) for s in sources for column in first.columns)
        rows.append(f"<tr><th>{html.escape(model)}</th>{cells}</tr>")
    return (f'<div class="table"><table class="heatmap"><thead><tr><th>model</th>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


HEATMAP_CAPTION = (
    "Each cell: a model's speedup (vs the same case's sequential run at 1 core) at the highest core count it ran in "
    "that case (1 for a one-core model; the image names it in the cell, the page on hover). Blue: faster than "
    "sequential, red: slower, on a log scale symmetric around 1, the same scale in every workload. Grey: the cell "
    "at that core count is not ok (its status is written) or has no speedup (n/a: its base is missing); –: the "
    "model did not run that case."
)
