"""The report's fidelity view (issue 19, item 5): gil beside python-threads and coroutine beside python-asyncio and
python-generators, cell by cell, with their ratio, from a made-up run whose figures give known ratios."""

from __future__ import annotations

from pathlib import Path

import synthetic

import plot

ADDS = "adds=100000"
GIL = ADDS + ";gil_interval_us=5000"


def _peers_run(folder: Path) -> Path:
    cell = synthetic._cell
    return synthetic.write_run(folder, "lab", "1111111111111111", [
        cell("counter", "atomic", "sequential", 1, 2, "adds=1000000", 1000),  # the C++ models' own default size
        cell("counter", "atomic", "thread", 1, 2, "adds=1000000", 900),
        cell("counter", "atomic", "gil", 1, 2, GIL, 400),
        cell("counter", "atomic", "gil", 2, 2, GIL, 380),
        cell("counter", "atomic", "coroutine", 1, 2, ADDS, 1000),
        cell("counter", "atomic", "python-threads", 1, 2, ADDS, 100),
        cell("counter", "atomic", "python-threads", 2, 2, ADDS, 95),
        cell("counter", "atomic", "python-asyncio", 1, 2, ADDS, 250),
        cell("counter", "atomic", "python-generators", 1, 2, ADDS, None, status="failed", reason="checksum"),
    ])


def test_the_report_sets_each_model_beside_its_interpreter(tmp_path: Path) -> None:
    run = _peers_run(tmp_path / "run")
    assert plot.main([str(run), "--out", str(tmp_path / "out")]) == 0
    markdown = (tmp_path / "out" / "report.md").read_text()
    section = markdown.split("## The GIL and coroutine models beside CPython")[1].split("\n## ")[0]
    header = ("| workload | case | cores | gil | python-threads | gil / python-threads | coroutine | python-asyncio "
              "| coroutine / python-asyncio | python-generators |")  # a column with no figure at all is left out
    assert header in section
    # 400 / 100 and 380 / 95: the same 4× at both core counts; 1000 / 250; a failed peer cell gives no ratio
    assert "| counter | atomic, adds=100000 | 1 | 400 | 100 | 4.00 | 1.00 k | 250 | 4.00 | failed |" in section
    assert "| counter | atomic, adds=100000 | 2 | 380 | 95.0 | 4.00 |  |  |  |  |" in section
    assert section.count("| counter |") == 2  # the C++ models' own size (adds=1000000) has no peer: not a line
    csv = (tmp_path / "out" / "tables" / "fidelity.csv").read_text().splitlines()
    assert len(csv) == 3 and csv[0].startswith("workload,case,cores,gil,python-threads,gil / python-threads")
    # the peers' case is collapsed in its workload section, the C++ models' own in the open
    assert "atomic, adds=100000: in counter: the peers' cases" not in markdown
    assert "And 1 case at the quick sizes the peers ran: in counter: the peers' cases" in markdown


def test_no_peer_no_fidelity_view(tmp_path: Path) -> None:
    run = synthetic.lab(tmp_path / "run")
    assert plot.main([str(run), "--out", str(tmp_path / "out")]) == 0
    assert "beside CPython" not in (tmp_path / "out" / "report.md").read_text()
    assert not (tmp_path / "out" / "tables" / "fidelity.csv").exists()
