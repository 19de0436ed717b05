"""report.html in a real browser: Debian's headless Chromium (installed by scripts/test through
scripts/lib/common.sh) loads the page from disk with the network off, runs its scripts, and the DOM it leaves
must hold every section and every chart panel, with no script error. Skipped, with the reason, without chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import synthetic
from build_dir import needs_binary, plan
from conftest import png_size

import plot
from concbench_charts.report import write_report
from concbench_data import load

CHROMIUM = next((path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/test installs it: "
                                                          "apt-get install chromium)")
WIDTH, HEIGHT = 1400, 900


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with a fresh profile, nothing fetched from anywhere."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two made-up machines (tests/scripts/synthetic.py): findings, four workloads, panels side by side."""
    folder = tmp_path_factory.mktemp("browser")
    runs = [synthetic.lab(folder / "a"), synthetic.second_machine(folder / "b")]
    assert plot.main([*map(str, runs), "--out", str(folder / "out")]) == 0
    return folder / "out" / "report.html"


@pytest.fixture(scope="module")
def rendered(report: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    done = chromium(tmp_path_factory.mktemp("profile"), "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def _payload(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="cb-data">(.*?)</script>', page, re.S).group(1))


def test_the_page_loads_without_script_errors(rendered: tuple[str, str]) -> None:
    dom, log = rendered
    html_tag = re.search(r"<html[^>]*>", dom).group(0)  # where the page's error catcher records them
    assert "data-script-errors" not in html_tag, html_tag
    assert "data-charts-rendered" in html_tag  # the page script ran to its end
    assert "Uncaught" not in log, [line for line in log.splitlines() if "Uncaught" in line]


def test_every_chart_panel_is_drawn(report: Path, rendered: tuple[str, str]) -> None:
    dom, _ = rendered
    groups = _payload(report.read_text())["groups"]
    # the first metric (throughput) of each workload: one panel per case and machine
    expected = {name: len(group["panels"]) for name, group in groups.items()}
    assert set(expected) == {"counter", "parallel", "philosophers", "spawn"}
    assert expected["parallel"] == 4  # cpu and io, each on lab and lab-b
    drawn = dict(re.findall(r'<div class="cb-chart" data-group="([^"]+)" data-rendered="(\d+)"', dom))
    assert {name: int(count) for name, count in drawn.items()} == expected
    assert re.search(r'data-charts-rendered="(\d+)"', dom).group(1) == str(sum(expected.values()))
    assert dom.count("<canvas") == sum(expected.values())
    # each workload has its metric switch and a legend button per model it ran
    assert 'data-metric="speedup"' in dom and 'data-model="thread"' in dom and 'data-metric="deadlock"' in dom
    assert "x, not ok: thread at 1, 2 cores: deadlock" in dom  # the philosophers' deadlocked cells, named
    # the heatmap is one more view beside the metrics, hidden until its button is pressed
    assert dom.count('data-view="Speedup heatmap" hidden=""') == len(expected)
    assert len(re.findall(r'<button class="cb-metric" type="button" data-view="Speedup heatmap"', dom)) == len(expected)


def test_every_section_is_present_in_order(rendered: tuple[str, str]) -> None:
    dom, _ = rendered
    ids = re.findall(r'<h2 id="([^"]+)"', dom)
    assert ids == ["findings", "machines", "workload-counter", "workload-parallel", "workload-philosophers",
                   "workload-spawn", "full-tables"]
    for workload in ("counter", "parallel", "philosophers", "spawn"):
        for suffix in ("charts", "fastest-model-per-case", "cells-not-ok"):
            assert f'id="{workload}-{suffix}"' in dom, (workload, suffix)
        assert f'<details id="{workload}-every-cell">' in dom
    assert dom.count('<table class="heatmap">') == 4
    assert "lab-b over lab, same cell" in dom  # the machines compared, in the findings


def test_a_screenshot_at_the_width_a_reader_uses(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "top.png"
    done = chromium(tmp_path / "profile", f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars",
                    f"--screenshot={shot}", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert png_size(shot) == (WIDTH, HEIGHT) and shot.stat().st_size > 20_000  # text, not a blank page


def test_a_script_error_would_be_seen(report: Path, tmp_path: Path) -> None:
    """The check above is real: a page whose chart has no data records the script's error where the test reads it."""
    broken = tmp_path / "broken.html"
    broken.write_text(report.read_text().replace('data-group="spawn"', 'data-group="no-such-workload"', 1))
    dom = chromium(tmp_path / "profile", "--dump-dom", broken.as_uri()).stdout
    assert "no chart data for no-such-workload" in re.search(r"<html[^>]*>", dom).group(0)


CLICKS = """<script>
(function () {
  var node = document.querySelector('.cb-chart[data-group="parallel"]');
  var grid = node.querySelector(".cb-grid"), view = node.querySelector(".cb-view");
  node.querySelector('button[data-view="Speedup heatmap"]').click();
  var heatmap = !view.hidden && grid.hidden;
  node.querySelector('button[data-metric="speedup"]').click();
  var speedup = node.dataset.metric === "speedup" && !grid.hidden && view.hidden;
  node.querySelector('button[data-model="thread"]').click();
  var chart = Chart.getChart(node.querySelector("canvas"));
  var thread = chart.data.datasets.map(function (d, i) { return [d.cbModel, chart.isDatasetVisible(i)]; })
    .filter(function (pair) { return pair[0] === "thread"; });
  var tbb = chart.data.datasets.filter(function (d) { return d.cbModel === "tbb" && d.cbBars; })[0];
  var tip = chart.options.plugins.tooltip.callbacks;
  var item = {dataset: tbb, raw: tbb.data[tbb.data.length - 1]};
  document.documentElement.dataset.clicks = JSON.stringify({
    heatmap: heatmap, speedup: speedup, threadHidden: thread.length > 0 && thread.every(function (p) { return !p[1]; }),
    title: chart.options.plugins.title.text, label: tip.label(item), after: tip.afterLabel(item)});
})();
</script></body>"""


def test_the_controls_work(report: Path, tmp_path: Path) -> None:
    """A reader's clicks, made by a script added to a copy of the page: the heatmap view, a metric, a model hidden
    in every panel, and what hovering a point shows (the tooltip's text)."""
    page = tmp_path / "clicked.html"
    page.write_text(report.read_text().replace("</body>", CLICKS, 1))
    dom = chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    html_tag = re.search(r"<html[^>]*>", dom).group(0)
    assert "data-script-errors" not in html_tag, html_tag
    clicks = json.loads(re.search(r'data-clicks="([^"]+)"', html_tag).group(1).replace("&quot;", '"'))
    assert clicks["heatmap"] and clicks["speedup"] and clicks["threadHidden"], clicks
    assert clicks["title"] == "lab: cpu"  # two machines: each panel names its machine
    assert re.fullmatch(r"tbb: 1\.86 \[1\.8\d–1\.9\d\]", clicks["label"])  # speedup at 2 cores: 186 / 100, interval
    assert clicks["after"] == "3 repetitions, cv 0.00820"  # synthetic.py writes cv to 4 decimals: 0.0082


# Where each h2 starts on the page as laid out at WIDTH (a script added to a copy of it, as docs/img/screenshots.py).
SECTIONS = ("<script>document.documentElement.dataset.sections = JSON.stringify(Array.from("
            "document.querySelectorAll('h2')).map(function (h) { return [h.id, h.getBoundingClientRect().top + "
            "window.scrollY]; }));</script></body>")


def section_heights(page: Path, work: Path) -> dict[str, float]:
    """Each h2 section's height in pixels at WIDTH x HEIGHT, from its heading to the next one (the last left out)."""
    measured = work / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", SECTIONS, 1), encoding="utf-8")
    done = chromium(work / "profile", f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars", "--dump-dom",
                    measured.as_uri())
    html_tag = re.search(r"<html[^>]*>", done.stdout).group(0)
    assert "data-script-errors" not in html_tag, html_tag
    tops = json.loads(re.search(r'data-sections="([^"]+)"', html_tag).group(1).replace("&quot;", '"'))
    return {name: following - top for (name, top), (_, following) in zip(tops, tops[1:])}


@needs_binary
def test_every_workload_section_of_the_default_plan_fits_two_screens(tmp_path: Path) -> None:
    """At 1400 x 900, each workload's section of a default-plan report takes at most two screens (issue 20: counter
    and prodcons, 12 cases each, took 2.4 when their fastest-model table had a line per case and core count). The
    cells are the binary's own default plan on 2 CPUs (`--list --cores 1,2`), the figures made up and the statuses
    as a real run gives them (synthetic.default_plan): a section's length comes from its cases, cells and cells not
    ok, not from the figures. Measured on the page without its PNG charts, which report.html does not show."""
    cells = plan(["--cores", "1,2"])
    run = synthetic.default_plan(tmp_path / "run", cells)
    write_report(load([run]), tmp_path / "out", [str(run)], draw=False)
    page = tmp_path / "out" / "report.html"
    assert page.stat().st_size < 3_000_000  # one self-contained page: every link within it
    assert not re.search(r'(?:src|href)="(?!#)', page.read_text(encoding="utf-8"))
    heights = section_heights(page, tmp_path)
    workloads = list(dict.fromkeys(cell[0] for cell in cells))
    screens = {name: round(px / HEIGHT, 2) for name, px in heights.items() if name.startswith("workload-")}
    assert sorted(screens) == sorted(f"workload-{w}" for w in workloads)
    assert max(screens.values()) <= 2, screens
    assert screens["workload-prodcons"] > 1.5, screens  # 12 panels, their table and 21 cells not ok: a real measure
