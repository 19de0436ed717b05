"""The headings other parts of the report link to: one place names them, so a finding's link and the heading it
points at cannot drift apart. Each is unique in a report (its anchor is made from its text)."""

from __future__ import annotations

from typing import Callable

from concbench_data.report import Link, anchor

FINDINGS = "Findings"
MACHINES = "Machines"
WORKLOADS = "Workloads"
TABLES = "Full tables"
ALL_OVERHEAD = "Overhead against the floors"
ALL_NOT_OK = "Rows not ok"
ALL_UNSTABLE = "Unstable cells"
ALL_HEADLINES = "Headline figures"
SUPERSEDED = "Superseded rows"
FIDELITY = "The GIL and coroutine models beside CPython"


def workload(name: str) -> str:
    return f"Workload: {name}"


def _part(title: str) -> Callable[[str], str]:
    """A heading inside a workload's section, named after the workload: `parallel: charts`."""
    return lambda name: f"{name}: {title}"


charts = _part("charts")
fastest = _part("fastest model per case")
fastest_figures = _part("fastest model, every figure")
cells = _part("every cell")
floors = _part("against the floors")
not_ok = _part("cells not ok")
peers = _part("the peers' cases")


def link(text: str, heading: str) -> Link:
    return Link(text, "#" + anchor(heading))
