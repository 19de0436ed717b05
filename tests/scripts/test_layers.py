"""The C++ code's layers (README.md, Layout): every quoted include is a path from the repository root that
exists, no file includes a layer above its own, and no two headers share a file name."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("app", "benchmarks", "harness", "tests/cpp")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# Each layer and the layers it may include (itself included). models and report stand side by side.
MAY_INCLUDE: dict[str, set[str]] = {
    "harness/stats": {"harness/stats"},
    "harness/core": {"harness/core", "harness/stats"},
    "harness/models": {"harness/models", "harness/core", "harness/stats"},
    "harness/report": {"harness/report", "harness/core", "harness/stats"},
    "benchmarks": {"benchmarks", "harness/models", "harness/core", "harness/stats"},
    "app": {"app", "benchmarks", "harness/models", "harness/report", "harness/core", "harness/stats"},
}


def _layer(path: str) -> str | None:
    return next((layer for layer in sorted(MAY_INCLUDE, key=len, reverse=True) if path.startswith(layer + "/")),
                None)


def _sources() -> list[Path]:
    return sorted(p for d in SOURCES for p in (ROOT / d).rglob("*") if p.suffix in (".cpp", ".hpp"))


def _includes(path: Path) -> list[str]:
    return INCLUDE.findall(path.read_text())


def test_every_quoted_include_is_a_path_from_the_root_that_exists() -> None:
    bad = [f"{p.relative_to(ROOT)}: {inc}" for p in _sources() for inc in _includes(p) if not (ROOT / inc).is_file()]
    assert bad == []


def test_no_file_includes_a_layer_above_its_own() -> None:
    bad = []
    for path in _sources():
        own = _layer(str(path.relative_to(ROOT)))
        if own is None:  # tests stand above every layer
            continue
        for inc in _includes(path):
            target = _layer(inc)
            if target is not None and target not in MAY_INCLUDE[own]:
                bad.append(f"{path.relative_to(ROOT)} ({own}) includes {inc} ({target})")
    assert bad == []


def test_every_source_file_is_in_a_layer() -> None:
    assert [str(p.relative_to(ROOT)) for p in _sources()
            if not str(p.relative_to(ROOT)).startswith("tests/") and _layer(str(p.relative_to(ROOT))) is None] == []


def test_no_two_headers_share_a_file_name() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in _sources():
        if path.suffix == ".hpp":
            by_name[path.name].append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in by_name.items() if len(paths) > 1} == {}


def test_the_layer_check_sees_the_code() -> None:
    # A check over no files passes vacuously: make sure every layer has sources and includes.
    layers = {_layer(str(p.relative_to(ROOT))) for p in _sources()}
    assert set(MAY_INCLUDE) <= layers
    assert sum(len(_includes(p)) for p in _sources()) > 300
