"""The headings other parts of the report link to: one place names them, so a finding's link and the heading it
points at cannot drift apart. Each is unique in a report (its anchor is made from its text)."""

from __future__ import annotations

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


def workload(name: str) -> str:
    return f"Workload: {name}"


def charts(name: str) -> str:
    return f"{name}: charts"


def fastest(name: str) -> str:
    return f"{name}: fastest model per case"


def cells(name: str) -> str:
    return f"{name}: every cell"


def floors(name: str) -> str:
    return f"{name}: against the floors"


def not_ok(name: str) -> str:
    return f"{name}: cells not ok"


def link(text: str, heading: str) -> Link:
    return Link(text, "#" + anchor(heading))
