"""The report, in the order a reader needs it: findings first (which model, and why, with the figures), the
machines, one section per workload (charts, then its tables), and every full table at the end, collapsed; written
as report.md (charts as images), report.html (one self-contained page, charts drawn in the browser) and
tables/*.csv."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from concbench_data import Dataset, derive, model_order
from concbench_data.overhead import OVERHEAD_MARK, overhead_table
from concbench_data.report import Block, Details, Heading, Html, Paragraph, Table, to_html, to_markdown
from concbench_data.stability import UNSTABLE_CV, unstable_table

from . import anchors
from .charts import Chart
from .fidelity import fidelity_table
from .findings import Figures, findings_blocks
from .heatmap import heat_norm
from .layout import DPI
from .save import make_charts
from .sections import workload_blocks
from .style import model_styles
from .tables import build_differences, headline_table, machine_table, not_ok_table, superseded_table
from .web import page_data, page_scripts, page_style

PROG = "plot.py"  # the command that draws reports, named in each report's first line


OVERHEAD_NOTE = (
    "Every model cell that has a floor: the `bare` cell running the same library primitive in a minimal hand-written "
    "loop, measured in the same run (one-thread floors at 1 core). bare_ratio is the model's throughput over the "
    f"floor's; overhead is its inverse, how much longer the model takes than the library can. Overheads above "
    f"{OVERHEAD_MARK}× are marked: there the binding, not the model, may be what the figure shows."
)
FIDELITY_NOTE = (
    "Each C++ model beside the real interpreter it models, cell by cell (same workload, variant, tasks, params and "
    "cores; the peers run the workloads' quick sizes, and so do gil and coroutine beside them): `gil` beside "
    "python-threads (CPython's GIL), `coroutine` beside python-asyncio and python-generators (one thread), in items "
    "per second; a ratio is the model's throughput over the interpreter's (its C++ bodies do the same work faster). "
    "The GIL model is faithful where its 2-core figure over its 1-core one moves as python-threads' does. The same "
    "table: tables/fidelity.csv."
)
# The rows of the machine table shown at once (the rest is collapsed under them).
MACHINE_SUMMARY = ("CPU", "logical CPUs", "memory", "compiler", "build type", "git sha", "system warnings at start",
                   "runs", "rows")
CELLS_COLUMNS = [
    "source", "run_id", "workload", "variant", "model", "cores", "tasks", "params", "case", "status", "reason",
    "repetitions", "items_per_s", "items_per_s_lo", "items_per_s_hi", "items_per_s_interval", "cv", "speedup",
    "speedup_lo", "speedup_hi", "efficiency", "efficiency_lo", "efficiency_hi", "self_speedup", "self_speedup_lo",
    "self_speedup_hi", "bare_ratio", "latency_p50_us", "latency_p99_us", "fairness", "deadlock_share",
]


def _machines(data: Dataset, results: pd.DataFrame) -> list[Block]:
    """The machines side by side, a column each: what tells them apart on top, their whole description collapsed
    (machine.json, or the CSV's columns)."""
    table = machine_table(data)
    summary = table[table[table.columns[0]].isin(MACHINE_SUMMARY)].reset_index(drop=True)
    blocks: list[Block] = [Heading(anchors.MACHINES), Table(summary)]
    warning = build_differences(results)
    if warning:
        blocks.append(Paragraph(warning))
    blocks.append(Details("Machine details", (Table(table),)))
    return blocks


def _contents(workloads: list[str]) -> Paragraph:
    parts: list = ["Contents: ", anchors.link("Findings", anchors.FINDINGS), " · ",
                   anchors.link("Machines", anchors.MACHINES), " · workloads: "]
    for i, workload in enumerate(workloads):
        parts += ([", "] if i else []) + [anchors.link(workload, anchors.workload(workload))]
    parts += [" · ", anchors.link("Full tables", anchors.TABLES)]
    return Paragraph(tuple(parts))


def _full_tables(data: Dataset, results: pd.DataFrame, head: pd.DataFrame, multi: bool) -> list[Block]:
    blocks: list[Block] = [
        Heading(anchors.TABLES),
        Paragraph("Every table of the run, collapsed; the same figures, unformatted, are CSV files in tables/ beside "
                  f"this report ({', '.join(TABLE_FILES)}; machines.csv with several machines)."),
        Details(anchors.ALL_HEADLINES, (
            Paragraph("Per workload case and model: the best median throughput over the core counts and where; the "
                      "speedup vs sequential at 1 core at the highest core count the model ran, with its 95% "
                      "percentile-bootstrap interval (when repetitions are available), and the efficiency there; 'vs "
                      "own 1 core' is the same model's throughput against its own 1-core run. Notes list every cell "
                      "that is not ok."),
            Table(headline_table(head, multi)))),
        Details(anchors.ALL_OVERHEAD, (Paragraph(OVERHEAD_NOTE), Table(overhead_table(results, multi)))),
        Details(anchors.ALL_NOT_OK, (
            Paragraph("Every cell whose status is not ok: these are shown on the charts as an x, never as a value."),
            Table(not_ok_table(results, multi)))),
        Details(anchors.ALL_UNSTABLE, (
            Paragraph(f"Cells whose repetitions' throughput spread more than cv {UNSTABLE_CV} (stddev over median): "
                      "their figure may move from run to run; the machine's own warnings at the start of the run are "
                      "in the machine details."),
            Table(unstable_table(results, multi)))),
    ]
    if not data.superseded.empty:
        blocks.append(Details(anchors.SUPERSEDED, (
            Paragraph("Cells measured again later on the same machine (a resumed or a newer run): the newer row is "
                      "the one reported above; these older rows are not used."),
            Table(superseded_table(data.superseded)))))
    return blocks


def report_blocks(data: Dataset, results: pd.DataFrame, head: pd.DataFrame, charts: list[Chart],
                  inputs: Sequence[str], prog: str = PROG, figures: Figures | None = None) -> list[Block]:
    multi = len(derive.sources(results)) > 1
    figures = figures or Figures.of(results, data.repetitions)
    workloads = derive.workloads(results)
    blocks: list[Block] = [Paragraph(f"Made by {prog} from: {', '.join(inputs)}."), _contents(workloads)]
    blocks += findings_blocks(results, figures, data.machines)
    blocks += _machines(data, results)
    fidelity = fidelity_table(results, multi)
    if not fidelity.empty:
        blocks += [Heading(anchors.FIDELITY), Paragraph(FIDELITY_NOTE), Table(fidelity)]
    norm = heat_norm(head) if not head.empty else None
    for workload in workloads:
        blocks += workload_blocks(workload, results, head, figures.fastest, charts, norm, multi)
    blocks += _full_tables(data, results, head, multi)
    return blocks


TABLE_FILES = ("cells.csv", "fastest.csv", "headlines.csv", "overhead.csv", "not_ok.csv", "unstable.csv",
               "second_core.csv", "lock_cost.csv", "false_sharing.csv", "spawn_cost.csv", "deadlocks.csv")


def write_tables(out: Path, data: Dataset, results: pd.DataFrame, head: pd.DataFrame, figures: Figures) -> None:
    """The report's tables as CSV in out/tables/: raw figures (no units, no rounding), one row per line."""
    folder = out / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    multi = len(derive.sources(results)) > 1
    frames = {
        "cells.csv": results[[c for c in CELLS_COLUMNS if c in results.columns]],
        "fastest.csv": figures.fastest.assign(tied=[" ".join(t) for t in figures.fastest.get("tied", [])])
        if not figures.fastest.empty else figures.fastest,
        "headlines.csv": head,
        "overhead.csv": overhead_table(results, multi),
        "not_ok.csv": not_ok_table(results, multi),
        "unstable.csv": unstable_table(results, multi),
        "second_core.csv": figures.second_core,
        "lock_cost.csv": figures.lock_cost,
        "false_sharing.csv": figures.false_sharing,
        "spawn_cost.csv": figures.spawn_cost,
        "deadlocks.csv": figures.deadlocks,
        "machines.csv": figures.machines,
        "fidelity.csv": fidelity_table(results, multi),
    }
    for name, frame in frames.items():
        if len(frame.columns):  # machines.csv only with several machines, fidelity.csv only with the peers
            frame.to_csv(folder / name, index=False, lineterminator="\n")
    if not data.superseded.empty:
        superseded_table(data.superseded).to_csv(folder / "superseded.csv", index=False, lineterminator="\n")


def write_report(data: Dataset, out: Path, inputs: Sequence[str], dpi: int = DPI, prog: str = PROG,
                 draw: bool = True) -> int:
    """Draw every chart, write report.md, report.html and tables/*.csv in `out`; return the number of charts.
    draw=False leaves out the PNG and SVG charts (most of the time a report takes), so report.md shows none; report.html
    is the same page, its charts drawn in the browser (tests/scripts/test_report_browser.py measures it so)."""
    out.mkdir(parents=True, exist_ok=True)
    results = derive.add_case_labels(derive.add_intervals(data.results, data.repetitions))
    head = derive.headlines(results)
    figures = Figures.of(results, data.repetitions)
    charts: list[Chart] = []
    if draw:
        (out / "charts").mkdir(exist_ok=True)
        charts = make_charts(results, head, out / "charts", dpi)
    blocks = report_blocks(data, results, head, charts, inputs, prog, figures)
    styles = model_styles(model_order(results["model"]))
    page = blocks + [Html(page_scripts(page_data(results, styles)))]
    title = "concbench report"
    (out / "report.md").write_text(to_markdown(title, blocks), encoding="utf-8")
    (out / "report.html").write_text(to_html(title, page, out, page_style()), encoding="utf-8")
    write_tables(out, data, results, head, figures)
    return len(charts)
