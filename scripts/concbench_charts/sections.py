"""One section per workload: its charts (interactive in report.html, images in report.md), its speedup heatmap,
the fastest model per case and core count, every cell (collapsed), its cells against their floors (collapsed) and
its cells that are not ok. Several machines: the panels, heatmaps and tables put them side by side."""

from __future__ import annotations

import pandas as pd
from matplotlib.colors import LogNorm

from concbench_data import derive
from concbench_data.overhead import overhead_table
from concbench_data.report import Block, Details, Heading, Html, Image, Paragraph, Table, markdown_blocks

from . import anchors
from .charts import Chart
from .heatmap import HEATMAP_CAPTION, heat_table_html
from .tables import cells_table, fastest_table, not_ok_table
from .web import group_html

FASTEST_NOTE = (
    "Per case and core count: the model with the highest median throughput (a one-core model competes with its "
    "1-core figure, marked), its speedup vs sequential at 1 core and efficiency, the runner-up and the lead over it "
    "(the ratio of their throughputs), and every model whose throughput interval overlaps the fastest one's (tied). "
    "Intervals: 95% percentile bootstrap."
)


def cases_text(rows: pd.DataFrame) -> str:
    """Which inputs each panel (case) of a workload's charts had."""
    all_cases = derive.cases(rows)
    described = [
        f"{derive.case_label(case, all_cases) or case[0]}: {derive.case_inputs(case)}" for case in all_cases
    ]
    return "Each panel is one case (its variant and swept parameters in the title). Inputs: " + "; ".join(described) + "."


def _images(charts: list[Chart]) -> str:
    blocks: list[Block] = []
    for chart in charts:
        blocks += [Image(f"charts/{chart.stem}.png", chart.title, f"charts/{chart.stem}.svg"), Paragraph(chart.caption)]
    return markdown_blocks(blocks)


def _heatmap(head: pd.DataFrame, chart: Chart | None, norm: LogNorm | None) -> list[Block]:
    if head.empty or chart is None or norm is None:
        return []
    return [Html(heat_table_html(head, norm) + f'<p class="cb-caption">{HEATMAP_CAPTION}</p>', _images([chart]))]


def workload_blocks(workload: str, results: pd.DataFrame, head: pd.DataFrame, fastest: pd.DataFrame,
                    charts: list[Chart], norm: LogNorm | None, multi: bool) -> list[Block]:
    rows = results[results["workload"] == workload]
    mine = [c for c in charts if c.workload == workload]
    heat = next((c for c in mine if c.stem.startswith("heatmap_")), None)
    blocks: list[Block] = [Heading(anchors.workload(workload)), Paragraph(cases_text(rows)),
                           Heading(anchors.charts(workload), 3),
                           Html(group_html(workload), _images([c for c in mine if c is not heat]))]
    blocks += _heatmap(head[head["workload"] == workload] if not head.empty else head, heat, norm)
    fast = fastest[fastest["workload"] == workload] if not fastest.empty else fastest
    blocks += [Heading(anchors.fastest(workload), 3), Paragraph(FASTEST_NOTE), Table(fastest_table(fast, multi))]
    blocks.append(Details(anchors.cells(workload), (
        Paragraph(f"All {len(rows)} cells, one figure per column (the same in tables/cells.csv, unformatted)."),
        Table(cells_table(rows, multi)))))
    floors = overhead_table(rows, multi)
    if not floors.empty:
        blocks.append(Details(anchors.floors(workload), (
            Paragraph(f"{len(floors)} model cells beside the floor of the library primitive they use (see "
                      f"{anchors.ALL_OVERHEAD} for how to read them)."), Table(floors))))
    not_ok = not_ok_table(rows, multi)
    blocks += [Heading(anchors.not_ok(workload), 3),
               Table(not_ok.drop(columns="workload")) if not not_ok.empty else Paragraph("None: every cell is ok.")]
    return blocks
