"""The dashboard: one self-contained HTML page and a PNG and an SVG chart per series.

Each chart is one cell on one machine: a point per commit (x, in commit order, labelled with the
short sha), the median as a line, every repetition as a small grey dot (the spread), each segment's
level as a dashed line, and each reported change point as a vertical line (red: slower, green:
faster) labelled with the change and the commit, linked to the commit (`commit_url`). The HTML page
embeds the SVGs inline (links work, nothing is fetched: it opens offline), lists the changes with
links, and filters the charts by machine, workload and model with a small inline script.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from concbench_data.compare_format import pct, si  # noqa: E402

from .series import Change, Series, describe_commit_times  # noqa: E402

SLOWER, FASTER, LINE, DOTS = "#d62728", "#2ca02c", "#1f77b4", "#9e9e9e"
RC = {"svg.fonttype": "none", "svg.hashsalt": "concbench-history", "font.size": 9}
MAX_TICKS = 30


@dataclass
class Chart:
    series: Series
    changes: list[Change]
    png: Path
    svg: Path


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def commit_link(template: str | None, sha: str) -> str | None:
    return template.replace("{sha}", sha) if template else None


def draw(series: Series, changes: Sequence[Change], commit_url: str | None, out: Path, dpi: int) -> Chart:
    """Write one series' chart as PNG and SVG under `out`; return where."""
    points = series.points
    x = np.arange(len(points))
    medians = series.medians()
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(8.0, 3.2))
        rng = np.random.default_rng(0)  # the same jitter every time: identical files for identical data
        for i, point in enumerate(points):
            ax.scatter(i + rng.uniform(-0.12, 0.12, len(point.values)), point.values, s=6, color=DOTS, alpha=0.6,
                       linewidths=0, zorder=1)
        ax.plot(x, medians, color=LINE, marker="o", markersize=4, linewidth=1.4, zorder=3, label="median per commit")
        bounds = [0, *(c.index for c in changes), len(points)]
        for left, right in zip(bounds[:-1], bounds[1:]):
            level = float(np.median(medians[left:right]))
            ax.hlines(level, left - 0.4, right - 0.6, colors="#555555", linestyles="dashed", linewidth=0.9, zorder=2)
        for number, change in enumerate(c for c in changes if c.reported):
            colour = SLOWER if change.change < 0 else FASTER
            line = ax.axvline(change.index - 0.5, color=colour, linestyle="--", linewidth=1.3, zorder=4)
            label = ax.annotate(f"{pct(change.change)} at {change.point.sha[:7]} (p={change.p_value:.3g})",
                                (change.index - 0.45, 1.0 - 0.08 * (number % 2)), xycoords=("data", "axes fraction"),
                                va="top", fontsize=8, color=colour, zorder=5)  # every other label lower: no overlap
            link = commit_link(commit_url, change.point.sha)
            if link:
                line.set_url(link)
                label.set_url(link)
        step = max(1, int(np.ceil(len(points) / MAX_TICKS)))
        ax.set_xticks(x[::step])
        ax.set_xticklabels([p.sha[:7] for p in points][::step], rotation=60, ha="right", fontsize=7)
        ax.set_xlim(-0.6, len(points) - 0.4)
        low, high = min(float(np.min(p.values)) for p in points), max(float(np.max(p.values)) for p in points)
        pad = max(high - low, 0.02 * high) * 0.25
        ax.set_ylim(low - pad, high + pad * 1.8)  # room above for the change labels
        ax.set_ylabel("items/s")
        ax.set_xlabel("commit (oldest first)")
        ax.set_title(f"{series.label}\n{series.machine}", fontsize=9, loc="left")
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
        fig.tight_layout()
        out.mkdir(parents=True, exist_ok=True)
        name = slug(f"{series.machine_id}-{series.label}")
        png, svg = out / f"{name}.png", out / f"{name}.svg"
        fig.savefig(png, dpi=dpi, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None, "Creator": None})
        plt.close(fig)
    return Chart(series, list(changes), png, svg)


def _inline_svg(path: Path) -> str:
    """The chart's <svg> element, without the XML prolog and matplotlib's RDF metadata block."""
    text = path.read_text(encoding="utf-8")
    text = text[max(text.find("<svg"), 0):]
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)


SCRIPT = """
function applyFilters() {
  const chosen = {};
  document.querySelectorAll('select[data-filter]').forEach(s => { chosen[s.dataset.filter] = s.value; });
  let shown = 0;
  document.querySelectorAll('figure.chart').forEach(f => {
    const ok = Object.entries(chosen).every(([k, v]) => v === '' || f.dataset[k] === v);
    f.style.display = ok ? '' : 'none';
    shown += ok ? 1 : 0;
  });
  document.querySelectorAll('tr[data-machine]').forEach(r => {
    const ok = Object.entries(chosen).every(([k, v]) => v === '' || r.dataset[k] === v);
    r.style.display = ok ? '' : 'none';
  });
  document.getElementById('shown').textContent = shown;
}
document.querySelectorAll('select[data-filter]').forEach(s => s.addEventListener('change', applyFilters));
"""

STYLE = """
body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1100px; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; }
td.num { text-align: right; }
.slower { color: #b00; font-weight: bold; } .faster { color: #080; font-weight: bold; }
figure.chart { margin: 1em 0; border-top: 1px solid #eee; padding-top: 0.5em; }
figure.chart svg { max-width: 100%; height: auto; }
label { margin-right: 1em; }
"""


def _select(name: str, label: str, values: Sequence[str]) -> str:
    options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
    return f'<label>{label} <select data-filter="{name}"><option value="">all</option>{options}</select></label>'


def _attrs(series: Series) -> str:
    return (f'data-machine="{html.escape(series.machine)}" data-workload="{html.escape(series.key[0])}" '
            f'data-model="{html.escape(series.key[2])}"')


def page(charts: Sequence[Chart], all_changes: Sequence[Change], commit_url: str | None, runs: int, db: str) -> str:
    """The HTML page: summary, changes table, filters, every chart inline."""
    series = [c.series for c in charts]
    machines = sorted({s.machine for s in series})
    reported = [c for c in all_changes if c.reported]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>concbench history</title>", f"<style>{STYLE}</style></head><body>",
           "<h1>concbench history</h1>",
           f"<p>{runs} run(s) in <code>{html.escape(db)}</code>: {len(series)} series (a cell on a machine) on "
           f"{len(machines)} machine(s), {html.escape(describe_commit_times(series))}. Series of different machines "
           "are never compared. Change points: E-Divisive means with a permutation test (docs/ci.md).</p>",
           f"<h2>Changes ({len(reported)})</h2>"]
    if reported:
        out.append("<table><tr><th>machine</th><th>cell</th><th>from</th><th>starts at commit</th>"
                   "<th>commit time</th><th>before</th><th>after</th><th>change</th><th>p</th></tr>")
        for change in reported:
            s = change.series
            link = commit_link(commit_url, change.point.sha)
            sha = html.escape(change.point.sha[:12])
            commit = f'<a href="{html.escape(link)}">{sha}</a>' if link else sha
            kind = "slower" if change.change < 0 else "faster"
            out.append(
                f"<tr {_attrs(s)}><td>{html.escape(s.machine)}</td><td>{html.escape(s.label)}</td>"
                f"<td>{html.escape(change.previous.sha[:12])}</td><td>{commit}</td>"
                f"<td>{html.escape(change.point.commit_time)}</td><td class=num>{si(change.before)}</td>"
                f"<td class=num>{si(change.after)}</td><td class='num {kind}'>{pct(change.change)}</td>"
                f"<td class=num>{change.p_value:.3g}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>No change at or beyond the threshold in any series.</p>")
    out.append("<h2>Series</h2><p>")
    out.append(_select("machine", "machine", machines))
    out.append(_select("workload", "workload", sorted({s.key[0] for s in series})))
    out.append(_select("model", "model", sorted({s.key[2] for s in series})))
    out.append(f'</p><p><span id="shown">{len(charts)}</span> chart(s) shown. Blue: the median of each commit; '
               "grey dots: its repetitions (every round); dashed: each segment's level; a vertical line: a change "
               "point (red slower, green faster), linked to its commit. The y axis does not start at 0.</p>")
    for chart in charts:
        out.append(f'<figure class="chart" {_attrs(chart.series)}>{_inline_svg(chart.svg)}</figure>')
    out.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"


def write(series: Sequence[Series], changes_by_series: dict[int, list[Change]], out: Path, commit_url: str | None,
          runs: int, db: str, dpi: int = 100) -> Path:
    """Charts under out/charts/, the page at out/history.html; returns the page."""
    charts = [draw(s, changes_by_series.get(id(s), []), commit_url, out / "charts", dpi) for s in series if s.points]
    everything = [c for s in series for c in changes_by_series.get(id(s), [])]
    target = out / "history.html"
    target.write_text(page(charts, everything, commit_url, runs, db), encoding="utf-8")
    return target
