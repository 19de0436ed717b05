"""plot.py end to end: every chart from small fixtures, sizes, reports, several machines, defaults."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import (HOST_A, HOST_A_NAME, HOST_B, HOST_B_NAME, METRICS, best_ok, fixture_row, fixture_rows, machine,
                      png_size, read_csv, set_field, write_csv)

import plot
from concbench_charts import fmt, style, tables

# Pixel sizes follow from the grid (concbench_charts.layout.grid_inches / heatmap_inches at DPI = 100):
# panels 5 x 3.5 in, a 2.5 in legend column and a 0.5 in title band.
ONE_ROW_ONE_PANEL = (750, 400)
ONE_ROW_TWO_PANELS = (1250, 400)
TWO_ROWS_TWO_PANELS = (1250, 750)
TWO_ROWS_THREE_PANELS = (1750, 750)


def _rate(items_per_s: float, cores: int) -> str:
    """Pattern of the headline table's 'best items/s' and 'at cores' columns, e.g. `31,141 | 2`."""
    return re.escape(f"{items_per_s:,.0f} | {cores}")


def _ratio(speedup: float) -> str:
    return re.escape(fmt.sig(speedup))


def _section(markdown: str, heading: str) -> str:
    """The Markdown under `### heading` (or `## heading`), up to the next heading."""
    return re.split(r"\n#{2,3} ", markdown.split(f"# {heading}\n", 1)[1], maxsplit=1)[0]


def _run(argv: list) -> int:
    return plot.main([str(a) for a in argv])


@pytest.fixture(scope="module")
def one_machine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """host-a's two runs: every kind of line chart plus the heatmap."""
    out = tmp_path_factory.mktemp("one")
    assert _run([HOST_A, METRICS, "--out", out]) == 0
    return out


@pytest.fixture(scope="module")
def two_machines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("two")
    assert _run([HOST_A, HOST_B, "--out", out]) == 0
    return out


ONE_MACHINE_CHARTS = {
    "throughput_parallel": ONE_ROW_TWO_PANELS,
    "speedup_parallel": ONE_ROW_TWO_PANELS,
    "efficiency_parallel": ONE_ROW_TWO_PANELS,
    "throughput_selftest": ONE_ROW_TWO_PANELS,  # wrong and hang: only not-ok cells, so no speedup chart
    "throughput_prodcons": ONE_ROW_TWO_PANELS,
    "speedup_prodcons": ONE_ROW_TWO_PANELS,
    "efficiency_prodcons": ONE_ROW_TWO_PANELS,
    "latency_prodcons": ONE_ROW_TWO_PANELS,
    "throughput_philosophers": ONE_ROW_TWO_PANELS,
    "speedup_philosophers": ONE_ROW_TWO_PANELS,
    "efficiency_philosophers": ONE_ROW_TWO_PANELS,
    "fairness_philosophers": ONE_ROW_TWO_PANELS,
    "deadlock_philosophers": ONE_ROW_ONE_PANEL,  # only naive has a deadlock_share (a trial variant)
    # one heatmap per workload, 1 machine x 2 cases: (1.5 + 2 x 1.25 + 1.25) x (2 + models x 0.5) in
    "heatmap_parallel": (525, 300),
    "heatmap_selftest": (525, 300),
    "heatmap_prodcons": (525, 350),  # sequential, thread, gil
    "heatmap_philosophers": (525, 350),  # sequential, thread, gil
}


def test_every_chart_exists_with_its_size(one_machine: Path) -> None:
    charts = one_machine / "charts"
    assert {p.stem for p in charts.glob("*.png")} == set(ONE_MACHINE_CHARTS)
    assert {p.stem for p in charts.glob("*.svg")} == set(ONE_MACHINE_CHARTS)
    for stem, size in ONE_MACHINE_CHARTS.items():
        assert png_size(charts / f"{stem}.png") == size, stem
        assert (charts / f"{stem}.png").stat().st_size > 10_000, stem  # drawn, not blank
        svg = (charts / f"{stem}.svg").read_text()
        assert svg.startswith("<?xml") and "<svg" in svg and "</svg>" in svg, stem


def test_workloads_without_a_figure_get_no_chart_for_it(one_machine: Path) -> None:
    charts = one_machine / "charts"
    assert not (charts / "latency_parallel.png").exists()  # parallel measures no latency
    assert not (charts / "fairness_prodcons.png").exists()
    assert not (charts / "speedup_selftest.png").exists()  # no selftest cell is ok


def test_cells_not_ok_are_marked_with_their_status(one_machine: Path) -> None:
    svg = (one_machine / "charts" / "throughput_selftest.svg").read_text()
    assert "thread: failed" in svg and "thread: timeout" in svg and "sequential: timeout" in svg
    assert "no ok cell with a value" in svg
    assert ": failed" not in (one_machine / "charts" / "throughput_parallel.svg").read_text()  # every cell ok
    # A deadlocked cell has no throughput (an x), but its share of deadlocked trials is a value.
    assert "thread: deadlock" in (one_machine / "charts" / "throughput_philosophers.svg").read_text()
    assert "thread: deadlock" not in (one_machine / "charts" / "deadlock_philosophers.svg").read_text()


def test_each_model_keeps_its_colour(one_machine: Path) -> None:
    thread = style.MODEL_COLORS["thread"]
    for stem in ("throughput_parallel", "speedup_prodcons", "latency_prodcons", "fairness_philosophers"):
        assert thread in (one_machine / "charts" / f"{stem}.svg").read_text(), stem
    assert style.MODEL_COLORS["gil"] in (one_machine / "charts" / "latency_prodcons.svg").read_text()


def test_model_styles_are_fixed_for_known_ids_with_fallbacks() -> None:
    styles = style.model_styles(["thread", "zz-new", "sequential", "aa-new"])
    assert styles["thread"].color == "#d62728" and styles["sequential"].color == "#3b3b3b"
    assert styles["aa-new"].color == style.FALLBACK_COLORS[0] and styles["zz-new"].color == style.FALLBACK_COLORS[1]
    assert set(style.FALLBACK_COLORS).isdisjoint(style.MODEL_COLORS.values())
    assert set(style.MODEL_COLORS) == set(style.MODEL_MARKERS) and style.NOT_OK_MARKER not in style.MODEL_MARKERS.values()


def test_report_tables_list_rows_not_ok(one_machine: Path) -> None:
    markdown = (one_machine / "report.md").read_text()
    not_ok = _section(markdown, "Rows not ok")
    wrong = fixture_row(HOST_A, variant="wrong", model="thread", cores=1)["reason"]  # counts the runs it failed in
    assert f"| selftest | wrong | thread | 1 | 2 |  | failed | {wrong} |" in not_ok
    assert "| selftest | hang | thread | 2 | 2 |  | timeout | killed after the 3 s timeout |" in not_ok
    deadlocks = [r for r in fixture_rows(METRICS) if r["status"] == "deadlock"]
    assert deadlocks and not_ok.count("| deadlock | deadlocked in ") == len(deadlocks)
    assert not_ok.count("| failed |") == 3 and not_ok.count("| timeout |") == 3 and "| parallel |" not in not_ok
    # each workload's own cells not ok, in its section
    assert "| hang | thread | 2 | 2 |  | timeout | killed after the 3 s timeout |" in _section(markdown, "selftest: cells not ok")
    assert "None: every cell is ok." in _section(markdown, "parallel: cells not ok")
    headline = _section(markdown, "Headline figures")
    assert re.search(r"\| selftest \| hang \| thread \|  \|  \| 2 \| timeout \|  \|  \|  \|  \| 1 core: timeout \(killed "
                     r"after the 3 s timeout\); 2 cores: timeout", headline)
    assert "| selftest | wrong | sequential |  |  | 1 | failed |  |  |  |  | 1 core: failed (verification" in headline
    best, cores = best_ok(HOST_A, variant="cpu", model="thread")
    speedup = float(fixture_row(HOST_A, variant="cpu", model="thread", cores=2)["speedup"])
    assert re.search(rf"\| parallel \| cpu \| thread \| {_rate(best, cores)} \| 2 \| ok \| {_ratio(speedup)} \| "
                     r"[0-9.]+–[0-9.]+ \|", headline)


def _references(page: str) -> list[str]:
    """Every src and href of the page's tags (script and style contents are not tags)."""
    found: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            found.extend(value or "" for name, value in attrs if name in ("src", "href"))

    Collector().feed(page)
    return found


def test_report_shows_every_chart(one_machine: Path) -> None:
    markdown = (one_machine / "report.md").read_text()
    for stem in ONE_MACHINE_CHARTS:
        assert f"(charts/{stem}.png)" in markdown and f"(charts/{stem}.svg)" in markdown
    page = (one_machine / "report.html").read_text()
    assert "data:image/png" not in page  # charts are drawn in the browser, not embedded as images
    for workload in ("parallel", "selftest", "prodcons", "philosophers"):
        assert f'<div class="cb-chart" data-group="{workload}">' in page
        assert page.count('<table class="heatmap">') == 4
    # self-contained: every link is to a heading of the page itself
    references = _references(page)
    assert references and all(ref.startswith("#") for ref in references), references
    ids = set(re.findall(r' id="([^"]+)"', page))
    assert {ref[1:] for ref in references} <= ids
    assert "<td>timeout</td>" in page and f"{machine(HOST_A)['cpu_model']}" in page


def test_report_reads_findings_first_then_each_workload(one_machine: Path) -> None:
    markdown = (one_machine / "report.md").read_text()
    headings = re.findall(r"^(#{2,3}) (.+)$", markdown, flags=re.M)
    top = [text for level, text in headings if level == "##"]
    assert top == ["Findings", "Machines", "Workload: parallel", "Workload: philosophers", "Workload: prodcons",
                   "Workload: selftest", "Full tables"]
    parallel = [text for _, text in headings][[t for _, t in headings].index("Workload: parallel") + 1:][:6]
    assert parallel == ["parallel: charts", "parallel: fastest model per case", "parallel: fastest model, every figure",
                        "parallel: every cell", "parallel: cells not ok", "Workload: philosophers"]
    # a line per case, a column group per core count; then every figure, a line per case and core count
    fastest = _section(markdown, "parallel: fastest model per case")
    assert ("| case | 1 core: fastest | 1 core: items/s | 1 core: lead | 2 cores: fastest | 2 cores: items/s | "
            "2 cores: lead |") in fastest
    assert len(re.findall(r"^\| (cpu|io) \| ", fastest, flags=re.M)) == 2
    figures = _section(markdown, "parallel: fastest model, every figure")
    assert "| case | cores | fastest | items/s | 95% CI | speedup | speedup 95% CI | efficiency | runner-up |" in (
        figures)
    assert len(re.findall(r"^\| (cpu|io) \| [12] \|", figures, flags=re.M)) == 4  # 2 cases x 2 core counts


def test_the_fastest_model_per_case_is_a_line_per_case(one_machine: Path) -> None:
    """At each core count, the fastest of the models that ran there and the one-core models (sequential here, at its
    1-core figure), its throughput and its lead over the runner-up: read from the fixture, as the pivot shows them."""
    fastest = _section((one_machine / "report.md").read_text(), "parallel: fastest model per case")
    for variant in ("cpu", "io"):
        line = [f"| {variant} |"]
        for cores in (1, 2):
            rows = [r for r in fixture_rows(HOST_A) if r["variant"] == variant and r["status"] == "ok" and
                    (r["cores"] == str(cores) or r["model"] == "sequential")]
            first, second = sorted(rows, key=lambda r: float(r["items_per_s"]), reverse=True)[:2]
            marked = " (1 core)" if int(first["cores"]) < cores else ""
            lead = float(first["items_per_s"]) / float(second["items_per_s"])
            line.append(f" {first['model']}{marked} | {fmt.si(float(first['items_per_s']))} | {fmt.sig(lead)} |")
        assert "".join(line) in fastest, ("".join(line), fastest)


def test_tables_are_written_as_csv(one_machine: Path) -> None:
    tables = one_machine / "tables"
    cells = read_csv(tables / "cells.csv")
    assert len(cells[1]) == sum(1 for _ in (HOST_A / "results.csv").open()) - 1 + \
        sum(1 for _ in (METRICS / "results.csv").open()) - 1
    assert {"items_per_s_lo", "speedup_hi", "case"} <= set(cells[0])
    header, rows = read_csv(tables / "fastest.csv")
    assert "bare" not in {r[header.index("model")] for r in rows}


def test_machine_summary_comes_from_machine_json(one_machine: Path) -> None:
    markdown = (one_machine / "report.md").read_text()
    memory_gib = machine(HOST_A)["memory_kb"] / 1048576  # only machine.json has it
    assert f"| memory | {memory_gib:.1f} GiB |" in markdown
    assert "| metadata from | machine.json |" in markdown
    assert f"| runs | {machine(HOST_A)['run_id']}, {machine(METRICS)['run_id']} |" in markdown


TWO_MACHINE_CHARTS = {
    "throughput_parallel": TWO_ROWS_TWO_PANELS,  # a row per case, a column per machine
    "speedup_parallel": TWO_ROWS_TWO_PANELS,
    "efficiency_parallel": TWO_ROWS_TWO_PANELS,
    "machines_parallel": ONE_ROW_TWO_PANELS,  # both machines on one axis, a panel per case
    "throughput_selftest": ONE_ROW_TWO_PANELS,  # only host-a ran it: its cases wrap as for one machine
    "heatmap_parallel": (925, 300),  # 2 x (1.5 + 2 x 1.25) + 1.25 by 2 + 2 x 0.5 in
    "heatmap_selftest": (525, 300),
}


def test_two_machines_side_by_side(two_machines: Path) -> None:
    charts = two_machines / "charts"
    assert {p.stem for p in charts.glob("*.png")} == set(TWO_MACHINE_CHARTS)
    for stem, size in TWO_MACHINE_CHARTS.items():
        assert png_size(charts / f"{stem}.png") == size, stem
    svg = (charts / "throughput_parallel.svg").read_text()
    assert f"{HOST_A_NAME}: cpu" in svg and f"{HOST_B_NAME}: io" in svg
    assert f"{HOST_A_NAME}: hang" in (charts / "throughput_selftest.svg").read_text()  # which machine ran it
    overlay = (charts / "machines_parallel.svg").read_text()
    assert f"machine {HOST_A_NAME}" in overlay and f"machine {HOST_B_NAME}" in overlay


def test_two_machines_overlay_marks_cells_not_ok(copy_run, tmp_path: Path) -> None:
    run = copy_run(HOST_B)
    header, rows = read_csv(run / "results.csv")
    timed_out = {"status": "timeout", "reason": "killed after the 3 s timeout", "verified": "false",
                 "items_per_s": "", "speedup": "", "efficiency": ""}

    def edit(r: list[str]) -> list[str]:
        if (r[header.index("variant")], r[header.index("model")], r[header.index("cores")]) != ("io", "thread", "2"):
            return r
        for column, value in timed_out.items():
            r = set_field(header, r, column, value)
        return r

    write_csv(run / "results.csv", header, [edit(r) for r in rows])
    assert _run([HOST_A, run, "--out", tmp_path / "out"]) == 0
    overlay = (tmp_path / "out" / "charts" / "machines_parallel.svg").read_text()
    assert f"{HOST_B_NAME} thread: timeout" in overlay and f"{HOST_A_NAME} thread: timeout" not in overlay


def test_two_machines_report(two_machines: Path) -> None:
    markdown = (two_machines / "report.md").read_text()
    first, second = sorted([HOST_A, HOST_B], key=lambda run: machine(run)["host"])  # columns by name
    assert f"|  | {machine(first)['host']} | {machine(second)['host']} |" in markdown
    assert f"| CPU | {machine(first)['cpu_model']} | {machine(second)['cpu_model']} |" in markdown
    best, cores = best_ok(HOST_B, variant="io", model="thread")
    speedup = float(fixture_row(HOST_B, variant="io", model="thread", cores=2)["speedup"])
    assert re.search(rf"\| {HOST_B_NAME} \| parallel \| io \| thread \| {_rate(best, cores)} \| 2 \| ok \| "
                     rf"{_ratio(speedup)} \| [0-9.]+–", markdown)
    assert f"| {HOST_A_NAME} | selftest | hang | thread |  |  | 2 | timeout |" in markdown
    assert "Warning" not in markdown  # same compiler and build type


def test_summary_falls_back_to_csv_columns(copy_run, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = copy_run(HOST_B)
    (run / "machine.json").unlink()
    (run / "repetitions.csv").unlink()
    header, rows = read_csv(run / "results.csv")
    write_csv(run / "results.csv", header, [set_field(header, r, "build_type", "Debug") for r in rows])
    assert _run([HOST_A, run, "--out", tmp_path / "out"]) == 0
    markdown = (tmp_path / "out" / "report.md").read_text()
    columns = sorted([  # one column per machine, by host name
        (HOST_A_NAME, "machine.json", machine(HOST_A)["cpu_model"]),
        (HOST_B_NAME, "results.csv columns (no machine.json)", rows[0][header.index("cpu_model")]),
    ])
    assert f"| metadata from | {columns[0][1]} | {columns[1][1]} |" in markdown
    assert f"| CPU | {columns[0][2]} | {columns[1][2]} |" in markdown
    assert "Warning: the machines ran different builds" in markdown
    # Without repetitions the speedup has no interval, but the figure is still there.
    best, cores = best_ok(HOST_B, variant="cpu", model="thread")
    speedup = float(fixture_row(HOST_B, variant="cpu", model="thread", cores=2)["speedup"])
    assert re.search(rf"\| {HOST_B_NAME} \| parallel \| cpu \| thread \| {_rate(best, cores)} \| 2 \| ok \| "
                     rf"{_ratio(speedup)} \|  \|", markdown)


def test_a_sweep_wraps_into_rows_of_three(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    header, rows = read_csv(METRICS / "results.csv")
    base = [r for r in rows if r[header.index("params")].startswith("capacity=1;")]
    swept = [
        set_field(header, r, "params", r[header.index("params")].replace("capacity=1;", f"capacity={c};"))
        for c in (1, 2, 4, 8) for r in base
    ]
    path = write_csv(tmp_path / "sweep.csv", header, swept)
    assert _run([path, "--out", tmp_path / "out"]) == 0
    assert png_size(tmp_path / "out" / "charts" / "throughput_prodcons.png") == TWO_ROWS_THREE_PANELS
    assert "capacity=8" in (tmp_path / "out" / "charts" / "throughput_prodcons.svg").read_text()


def test_dpi_scales_the_png_only(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run([HOST_A, "--out", tmp_path, "--dpi", "80"]) == 0
    charts = tmp_path / "charts"
    assert png_size(charts / "throughput_parallel.png") == (1000, 320)  # ONE_ROW_TWO_PANELS x 0.8
    assert png_size(charts / "heatmap_parallel.png") == (420, 240)  # 5.25 x 3 in at 80 dpi
    assert 'width="900pt" height="288pt"' in (charts / "throughput_parallel.svg").read_text()  # 12.5 x 4 in


def test_default_out_is_the_run_directory(copy_run, capsys: pytest.CaptureFixture) -> None:
    run = copy_run(HOST_A)
    assert _run([run]) == 0
    assert (run / "report.md").is_file() and (run / "report.html").is_file()
    assert (run / "charts" / "throughput_parallel.png").is_file()
    assert f"wrote {run / 'report.md'}" in capsys.readouterr().out


def test_default_out_for_a_file_is_report_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _run([HOST_A / "results.csv"]) == 0
    assert (tmp_path / "report" / "report.md").is_file()


def test_runs_as_a_script(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = Path(plot.__file__)
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "none")], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == f"plot.py: error: {tmp_path / 'none'}: no such file or directory\n"


def test_smt_siblings_read_as_lists_or_strings() -> None:
    assert tables._siblings([[0, 1], [2, 3]]) == "(0,1) (2,3)"
    assert tables._siblings(["0-1", "2-3"]) == "(0-1) (2-3)"


def test_report_html_stays_small(one_machine: Path) -> None:
    """About 1.3 kB a cell (its data, its table lines) beside Chart.js and the page's own script and style: at the
    2.5 kB checked here a default plan's 707 cells stay near 2 MB, under the 3 MB report.html may take."""
    from concbench_charts.web import LIBRARY

    cells = sum(len(read_csv(run / "results.csv")[1]) for run in (HOST_A, METRICS))
    page = (one_machine / "report.html").stat().st_size
    assert (page - LIBRARY.stat().st_size - 30_000) / cells < 2_500
