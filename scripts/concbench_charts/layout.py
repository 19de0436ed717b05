"""Layout: sizes in inches at a fixed DPI, without tight bounding boxes, so every chart's pixel
size follows from its grid alone (tests check it). Quarter inches keep pixel counts exact."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


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
