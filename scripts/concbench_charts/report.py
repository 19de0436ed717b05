"""The report: its blocks in order, written as report.md and report.html."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from concbench_data import Dataset, derive
from concbench_data.overhead import OVERHEAD_MARK, overhead_table
from concbench_data.report import Block, Heading, Image, Paragraph, Table, to_html, to_markdown
from concbench_data.stability import UNSTABLE_CV, unstable_table

from .charts import Chart
from .layout import DPI
from .save import make_charts
from .tables import build_differences, headline_table, machine_table, not_ok_table, superseded_table

PROG = "plot.py"  # the command that draws reports, named in each report's first line


def report_blocks(data: Dataset, results: pd.DataFrame, head: pd.DataFrame, charts: list[Chart],
                  inputs: Sequence[str], prog: str = PROG) -> list[Block]:
    multi = len(derive.sources(results)) > 1
    blocks: list[Block] = [Paragraph(f"Made by {prog} from: {', '.join(inputs)}.")]
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


def write_report(data: Dataset, out: Path, inputs: Sequence[str], dpi: int = DPI, prog: str = PROG) -> int:
    """Draw every chart and write report.md and report.html in `out`; return the number of charts."""
    charts_dir = out / "charts"
    charts_dir.mkdir(parents=True, exist_ok=True)
    results = derive.add_case_labels(derive.add_intervals(data.results, data.repetitions))
    head = derive.headlines(results)
    charts = make_charts(results, head, charts_dir, dpi)
    blocks = report_blocks(data, results, head, charts, inputs, prog)
    title = "concbench report"
    (out / "report.md").write_text(to_markdown(title, blocks), encoding="utf-8")
    (out / "report.html").write_text(to_html(title, blocks, out), encoding="utf-8")
    return len(charts)
