"""plot.py end to end: every chart from small fixtures, sizes, reports, several machines, defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import HOST_A, HOST_B, METRICS, png_size, read_csv, set_field, write_csv

import plot

# Pixel sizes follow from the grid (plot.grid_inches / heatmap_inches at plot.DPI = 100):
# panels 5 x 3.5 in, a 2.5 in legend column and a 0.5 in title band.
ONE_ROW_TWO_PANELS = (1250, 400)
TWO_ROWS_TWO_PANELS = (1250, 750)
TWO_ROWS_THREE_PANELS = (1750, 750)


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
    "throughput_prodcons": ONE_ROW_TWO_PANELS,
    "speedup_prodcons": ONE_ROW_TWO_PANELS,
    "efficiency_prodcons": ONE_ROW_TWO_PANELS,
    "latency_prodcons": ONE_ROW_TWO_PANELS,
    "throughput_philosophers": ONE_ROW_TWO_PANELS,
    "speedup_philosophers": ONE_ROW_TWO_PANELS,
    "efficiency_philosophers": ONE_ROW_TWO_PANELS,
    "fairness_philosophers": ONE_ROW_TWO_PANELS,
    "deadlock_philosophers": ONE_ROW_TWO_PANELS,
    # 1 machine x 6 workload cases, 3 models: (1.5 + 6 x 1.25 + 1.25) x (2 + 3 x 0.5) in
    "heatmap_speedup": (1025, 350),
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


def test_cells_not_ok_are_marked_with_their_status(one_machine: Path) -> None:
    svg = (one_machine / "charts" / "throughput_parallel.svg").read_text()
    assert "thread: failed" in svg and "thread: timeout" in svg
    assert "thread: deadlock" in (one_machine / "charts" / "deadlock_philosophers.svg").read_text()


def test_each_model_keeps_its_colour(one_machine: Path) -> None:
    thread = plot.MODEL_COLORS["thread"]
    for stem in ("throughput_parallel", "speedup_prodcons", "latency_prodcons", "fairness_philosophers"):
        assert thread in (one_machine / "charts" / f"{stem}.svg").read_text(), stem
    assert plot.MODEL_COLORS["gil"] in (one_machine / "charts" / "latency_prodcons.svg").read_text()


def test_model_styles_are_fixed_for_known_ids_with_fallbacks() -> None:
    styles = plot.model_styles(["thread", "zz-new", "sequential", "aa-new"])
    assert styles["thread"].color == "#d62728" and styles["sequential"].color == "#3b3b3b"
    assert styles["aa-new"].color == plot.FALLBACK_COLORS[0] and styles["zz-new"].color == plot.FALLBACK_COLORS[1]
    assert set(plot.FALLBACK_COLORS).isdisjoint(plot.MODEL_COLORS.values())
    assert set(plot.MODEL_COLORS) == set(plot.MODEL_MARKERS) and plot.NOT_OK_MARKER not in plot.MODEL_MARKERS.values()


def test_report_tables_list_rows_not_ok(one_machine: Path) -> None:
    markdown = (one_machine / "report.md").read_text()
    not_ok = markdown.split("## Rows not ok")[1].split("## ")[0]
    assert "| parallel | io | thread | 1 | 8 | items=256;wait\\_us=1000 | failed | verification failed" in not_ok
    assert "| timeout | killed by the watchdog after 30 s, the cell's limit |" in not_ok
    assert "| deadlock | no meal eaten for 2 s" in not_ok
    headline = markdown.split("## Headline figures")[1].split("## ")[0]
    assert re.search(r"\| parallel \| io \| thread \|  \| timeout at 2 cores \|.*1 core: failed", headline)
    assert re.search(r"\| parallel \| cpu \| thread \| 1,921,400 at 2 cores \| 1\.89× \\\[[0-9.]+–[0-9.]+\\\] at 2 cores", headline)


def test_report_embeds_every_chart(one_machine: Path) -> None:
    markdown = (one_machine / "report.md").read_text()
    for stem in ONE_MACHINE_CHARTS:
        assert f"(charts/{stem}.png)" in markdown and f"(charts/{stem}.svg)" in markdown
    html = (one_machine / "report.html").read_text()
    assert html.count('src="data:image/png;base64,') == len(ONE_MACHINE_CHARTS)
    assert "charts/" not in html and "http" not in html.replace("http-equiv", "")  # self-contained
    assert "<td>timeout</td>" in html and "Intel(R) Xeon(R) Platinum 8370C" in html


def test_machine_summary_comes_from_machine_json(one_machine: Path) -> None:
    markdown = (one_machine / "report.md").read_text()
    assert "| kernel | 6.1.0-27-cloud-amd64 |" in markdown
    assert "| metadata from | machine.json |" in markdown
    assert "| runs | host-a-20261125T134002Z, host-a-20261125T135518Z |" in markdown


TWO_MACHINE_CHARTS = {
    "throughput_parallel": TWO_ROWS_TWO_PANELS,  # a row per case, a column per machine
    "speedup_parallel": TWO_ROWS_TWO_PANELS,
    "efficiency_parallel": TWO_ROWS_TWO_PANELS,
    "machines_parallel": ONE_ROW_TWO_PANELS,  # both machines on one axis, a panel per case
    "heatmap_speedup": (925, 300),  # 2 x (1.5 + 2 x 1.25) + 1.25 by 2 + 2 x 0.5 in
}


def test_two_machines_side_by_side(two_machines: Path) -> None:
    charts = two_machines / "charts"
    assert {p.stem for p in charts.glob("*.png")} == set(TWO_MACHINE_CHARTS)
    for stem, size in TWO_MACHINE_CHARTS.items():
        assert png_size(charts / f"{stem}.png") == size, stem
    svg = (charts / "throughput_parallel.svg").read_text()
    assert "host-a: cpu" in svg and "host-b: io" in svg
    overlay = (charts / "machines_parallel.svg").read_text()
    assert "host-a thread: timeout" in overlay


def test_two_machines_report(two_machines: Path) -> None:
    markdown = (two_machines / "report.md").read_text()
    assert "|  | host-a | host-b |" in markdown
    assert "| CPU | Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz | AMD EPYC 7763 64-Core Processor |" in markdown
    assert "| host-b | parallel | io | thread | 7,880 at 2 cores | 7.97×" in markdown
    assert "Warning" not in markdown  # same compiler and build type


def test_summary_falls_back_to_csv_columns(copy_run, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = copy_run(HOST_B)
    (run / "machine.json").unlink()
    (run / "repetitions.csv").unlink()
    header, rows = read_csv(run / "results.csv")
    write_csv(run / "results.csv", header, [set_field(header, r, "build_type", "Debug") for r in rows])
    assert _run([HOST_A, run, "--out", tmp_path / "out"]) == 0
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "| metadata from | machine.json | results.csv columns (no machine.json) |" in markdown
    assert "| CPU | Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz | AMD EPYC 7763 64-Core Processor |" in markdown
    assert "Warning: the machines ran different builds" in markdown
    # Without repetitions the speedup has no interval, but the figure is still there.
    assert "| host-b | parallel | cpu | thread | 2,291,700 at 2 cores | 1.90× at 2 cores |" in markdown


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
    assert plot._siblings([[0, 1], [2, 3]]) == "(0,1) (2,3)"
    assert plot._siblings(["0-1", "2-3"]) == "(0-1) (2-3)"
