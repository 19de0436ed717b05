"""One section per workload: its charts (interactive in report.html, images in report.md), its speedup heatmap,
the fastest model per case (a line per case, a column group per core count), then collapsed on one line: every
figure of the fastest model per case and core count, every cell and its cells against their floors; last, its cells
that are not ok. Several machines: the panels, heatmaps and tables put them side by side."""

from __future__ import annotations

import pandas as pd
from matplotlib.colors import LogNorm

from concbench_data import derive, model_order, parse_kv
from concbench_data.overhead import overhead_table
from concbench_data.report import Block, Details, Heading, Html, Image, Paragraph, Row, Table, markdown_blocks

from . import anchors
from .charts import Chart
from .heatmap import HEATMAP_CAPTION, heat_table_html
from .tables import cells_table, fastest_pivot, fastest_table, not_ok_table
from .web import group_html, peers_group

NOT_OK_SHOWN = 8  # more cells not ok than this: a line per model and status, the table collapsed
PIVOT_NOTE = ("Per case and core count: the fastest model (highest median throughput; a one-core model at its "
              "1-core figure, marked), its throughput and its lead over the runner-up.")
FASTEST_NOTE = (
    "Per case and core count, the model with the highest median throughput (a one-core model competes with its "
    "1-core figure, marked); the lead is its throughput over the runner-up's; tied: every model whose throughput "
    "interval overlaps its own (+N: N more, all named in tables/fastest.csv). Intervals: 95% percentile bootstrap."
)
PEERS_LINE = " And {n} case{s} at the quick sizes the peers ran: in {heading}, collapsed below the table."
PEERS_NOTE = ("The cases at the workload's quick sizes, where the external models ran (docs/models.md: peer programs "
              "run the quick sweeps) with the C++ models checked against them beside them: their charts, then the "
              "fastest model per case and core count.")


def _inputs(case: tuple) -> dict[str, str]:
    return {"tasks": str(case[2]), **parse_kv(case[3])}


def _pairs(pairs: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in pairs.items())


def cases_text(rows: pd.DataFrame) -> str:
    """Which inputs the panels (cases) of a workload had, each said once: what every case shares, what each variant
    fixes, and what varies within a variant (then it is in each panel's title)."""
    all_cases = derive.cases(rows)
    inputs = [_inputs(case) for case in all_cases]
    common = {k: v for k, v in inputs[0].items() if all(i.get(k) == v for i in inputs)}
    variants: dict[str, list[dict[str, str]]] = {}
    for case, pairs in zip(all_cases, inputs):
        variants.setdefault(case[1], []).append(pairs)
    fixed, varying = [], set()
    for variant, group in variants.items():
        keys = dict.fromkeys(k for pairs in group for k in pairs if k not in common)
        constant = {k: group[0].get(k, "") for k in keys if all(p.get(k) == group[0].get(k) for p in group)}
        varying |= set(keys) - set(constant)
        if constant:
            fixed.append(f"{variant or '(no variant)'}: {_pairs(constant)}")
    parts = [f"{len(all_cases)} case{'s' if len(all_cases) > 1 else ''}, a panel each."]
    if common:
        parts.append(f"Every case: {_pairs(common)}.")
    if fixed:
        parts.append(("By variant: " if len(variants) > 1 else "") + "; ".join(fixed) + ".")
    if varying:
        parts.append(f"{', '.join(sorted(varying))}: as in each panel's title.")
    return " ".join(parts)


def _not_ok_summary(rows: pd.DataFrame) -> str:
    """Per status, the models and their cores, with one reason: `unsupported: tbb (1, 2 cores), e.g. "…".`"""
    bad = rows[~derive.is_ok(rows)]
    lines = []
    for status, group in bad.groupby("status", sort=False):
        models = [f"{m} ({', '.join(str(c) for c in sorted(group.loc[group['model'] == m, 'cores'].unique()))})"
                  for m in model_order(group["model"])]
        reason = next((r for r in group["reason"].fillna("") if r.strip()), "")
        lines.append(f"{status} in {len(group)} cell{'s' if len(group) > 1 else ''}: {', '.join(models)} cores"
                     + (f', e.g. "{reason}"' if reason else ""))
    return "; ".join(lines) + "."


def _images(charts: list[Chart]) -> str:
    blocks: list[Block] = []
    for chart in charts:
        blocks += [Image(f"charts/{chart.stem}.png", chart.title, f"charts/{chart.stem}.svg"), Paragraph(chart.caption)]
    return markdown_blocks(blocks)


def _heat_html(head: pd.DataFrame, norm: LogNorm | None) -> str:
    if head.empty or norm is None:
        return ""
    return heat_table_html(head, norm) + f'<p class="cb-caption">{HEATMAP_CAPTION}</p>'


def workload_blocks(workload: str, results: pd.DataFrame, head: pd.DataFrame, fastest: pd.DataFrame,
                    charts: list[Chart], norm: LogNorm | None, multi: bool) -> list[Block]:
    rows = results[results["workload"] == workload]
    side = derive.peer_cases(rows)
    mine = [c for c in charts if c.workload == workload]
    heat_html = _heat_html(head[head["workload"] == workload] if not head.empty else head, norm)
    # report.html: the heatmap is one more view of the charts (a button beside the metrics); report.md: an image
    main = rows[~rows["case_index"].isin(side)]
    blocks: list[Block] = [Heading(anchors.workload(workload)),
                           Paragraph(cases_text(main) + (PEERS_LINE.format(n=len(side), s="s" if len(side) > 1 else "", heading=anchors.peers(
                               workload)) if side else "")),
                           Heading(anchors.charts(workload), 3),
                           Html(group_html(workload, heat_html), _images(mine))]
    fast = fastest[fastest["workload"] == workload] if not fastest.empty else fastest
    in_side = fast["case_index"].isin(side) if not fast.empty else pd.Series(dtype=bool)
    # a line per case (a section stays within two screens however many core counts ran); every figure collapsed
    blocks += [Heading(anchors.fastest(workload), 3), Paragraph(PIVOT_NOTE),
               Table(fastest_pivot(fast[~in_side] if side else fast, multi))]
    collapsed = [Details(anchors.fastest_figures(workload), (Paragraph(FASTEST_NOTE),
                                                             Table(fastest_table(fast, multi))))]
    if side:  # the peers' quick sizes: as many cases again, collapsed (two screens at most, however many peers ran)
        collapsed.insert(0, Details(anchors.peers(workload), (
            Paragraph(PEERS_NOTE), Html(group_html(peers_group(workload))), Paragraph(PIVOT_NOTE),
            Table(fastest_pivot(fast[in_side], multi)))))
    # report.md keeps to what a reader scans (its tables are in report.html and tables/*.csv): the GitHub step
    # summary of the fleet's merge holds the whole report.md of every machine
    collapsed.append(Details(anchors.cells(workload), (
        Paragraph(f"All {len(rows)} cells, one figure per column (the same in tables/cells.csv, unformatted)."),
        Table(cells_table(rows, multi))),
        elsewhere=f"All {len(rows)} cells, one figure per column: in report.html, and unformatted in tables/cells.csv."))
    floors = overhead_table(rows, multi)
    if not floors.empty:
        collapsed.append(Details(anchors.floors(workload), (
            Paragraph(f"{len(floors)} model cells beside the floor of the library primitive they use (see "
                      f"{anchors.ALL_OVERHEAD} for how to read them)."), Table(floors)),
            elsewhere=f"{len(floors)} model cells beside their floors: in {anchors.ALL_OVERHEAD}, below."))
    blocks.append(Row(tuple(collapsed)))  # report.html: the collapsed tables on one line
    not_ok = not_ok_table(rows, multi)
    blocks.append(Heading(anchors.not_ok(workload), 3))
    if not_ok.empty:
        blocks.append(Paragraph("None: every cell is ok."))
    elif len(not_ok) <= NOT_OK_SHOWN:
        blocks.append(Table(not_ok.drop(columns="workload")))
    else:  # a model that cannot run a variant at all fills a screen with one reason: said once, listed below
        blocks += [Paragraph(_not_ok_summary(rows)),
                   Details(f"{workload}: the {len(not_ok)} cells not ok", (Table(not_ok.drop(columns="workload")),),
                           elsewhere=f"Each with its reason in {anchors.ALL_NOT_OK}, below.")]
    return blocks
