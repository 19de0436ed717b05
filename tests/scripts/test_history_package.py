"""concbench-history as the package installs it (cmake/Packaging.cmake): a bin/ wrapper beside the others,
the history commands working from any directory on two tiny real runs."""

from __future__ import annotations

import json
from pathlib import Path

import test_package
from build_dir import BUILD_DIR
from history_runs import commit_time, sha
from test_package import run, tiny_run

pytestmark = test_package.pytestmark  # skipped without a built and configured build directory


def test_installed_concbench_history_adds_finds_changes_reports_and_exports(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    run("cmake", "--install", BUILD_DIR, "--prefix", prefix)
    history = prefix / "bin" / "concbench-history"
    work = tmp_path / "work"
    work.mkdir()
    reports = [tiny_run(prefix / "bin" / "concbench", work) for _ in range(2)]
    for number, report in enumerate(reports, start=1):
        added = run(history, "add", report, "--sha", sha(number), "--commit-time", commit_time(number), cwd=work)
        assert "1 run(s) added" in added.stdout
    assert (work / "reports" / "history.sqlite").is_file()  # the default --db, under the current directory
    found = run(history, "changes", cwd=work).stdout
    assert found.startswith("### concbench history: 0 change(s) in 2 series (1 machine(s), 2 commits")
    page = run(history, "report", cwd=work).stdout
    assert page.startswith(str(Path("reports") / "history" / "history.html"))
    exported = json.loads(run(history, "export", "--format", "bencher", reports[0], cwd=work).stdout)
    assert len(exported) == 2 and all("throughput" in v for v in exported.values())
    assert not list(prefix.rglob("__pycache__"))
