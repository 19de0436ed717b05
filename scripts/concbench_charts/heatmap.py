"""The speedup heatmap: model x workload case, at each model's highest core count, per machine."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

from concbench_data import derive, model_order

from .layout import DPI, HEAT_CELL_W, HEAT_COLORBAR_W, HEAT_LEFT, heatmap_inches


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
