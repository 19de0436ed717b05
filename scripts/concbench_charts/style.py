"""Style: one colour and marker per model, the same in every chart of every report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import matplotlib.pyplot as plt


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
# The same markers in the browser (Chart.js point styles, with a rotation in degrees): 'crossRot' is kept for
# cells that are not ok, as 'x' is above.
MODEL_POINT_STYLES: dict[str, tuple[str, int]] = {
    "sequential": ("rect", 0), "coroutine": ("triangle", 0), "coroutine-pool": ("triangle", 180),
    "fiber": ("rectRot", 0), "fiber-ws": ("rectRot", 0), "thread": ("circle", 0), "gil": ("cross", 0),
    "gil-legacy": ("rectRounded", 0), "tbb": ("triangle", 90), "bare": ("star", 0),
}
FALLBACK_POINT_STYLES = ("circle", "rect", "triangle", "rectRot", "star", "rectRounded")
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
    point: tuple[str, int] = ("circle", 0)  # the marker in the browser's charts: (Chart.js point style, rotation)


def model_styles(models: Sequence[str]) -> dict[str, Style]:
    """Fixed styles for known model ids; unknown ids get fallbacks in sorted order."""
    styles = {model: Style(MODEL_COLORS[model], MODEL_MARKERS[model], MODEL_POINT_STYLES[model])
              for model in models if model in MODEL_COLORS}
    unknown = sorted(set(models) - set(MODEL_COLORS))
    for i, model in enumerate(unknown):
        styles[model] = Style(FALLBACK_COLORS[i % len(FALLBACK_COLORS)], FALLBACK_MARKERS[i % len(FALLBACK_MARKERS)],
                              (FALLBACK_POINT_STYLES[i % len(FALLBACK_POINT_STYLES)], 0))
    return styles


plt.rcParams.update({
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.fonttype": "none",  # text stays text in SVG: smaller, searchable
    "svg.hashsalt": "concbench",  # stable element ids: the same data gives the same SVG
})
