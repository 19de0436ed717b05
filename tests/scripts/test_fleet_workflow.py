"""The fleet workflow .github/workflows/fleet.yml: a matrix of runner kinds, one report artifact per
machine, and a merge job whose shell step, run here on two real fixture runs, draws one report."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import HOST_A, HOST_A_NAME, HOST_B, HOST_B_NAME, ROOT

yaml = pytest.importorskip("yaml", reason="python3-yaml (in scripts/lib/common.sh's package list)")

WORKFLOW = ROOT / ".github" / "workflows" / "fleet.yml"


def jobs() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())["jobs"]


def test_every_runner_kind_uploads_its_own_report_and_the_merge_waits_for_all() -> None:
    run = jobs()["run"]
    runners = [entry["runner"] for entry in run["strategy"]["matrix"]["include"]]
    assert "ubuntu-latest" in runners and "ubuntu-24.04-arm" in runners
    assert run["strategy"]["fail-fast"] is False
    uploads = [s for s in run["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert any(s["with"]["name"] == "concbench-report-${{ matrix.name }}" for s in uploads)
    build = next(s["run"] for s in run["steps"] if "cpack" in s.get("run", ""))
    assert "-march=native" not in build and "CONCBENCH_BUILD_TESTS=OFF" in build
    merge = jobs()["merge"]
    assert merge["needs"] == "run" and merge["if"] == "always()"


def test_the_merge_step_draws_one_report_from_every_machine_and_summarises_it(tmp_path: Path) -> None:
    step = next(s["run"] for s in jobs()["merge"]["steps"] if "scripts/plot.py" in s.get("run", ""))
    (tmp_path / "scripts").symlink_to(ROOT / "scripts")
    for name, run in (("x86_64-4cpu", HOST_A), ("arm64-4cpu", HOST_B)):
        target = tmp_path / "machines" / f"concbench-report-{name}"
        shutil.copytree(run, target)
        (target / "exit-status").write_text("exit 0\n")
    summary = tmp_path / "summary.md"
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", step], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = summary.read_text()
    assert "- x86_64-4cpu: exit 0" in text and "- arm64-4cpu: exit 0" in text
    report = (tmp_path / "merged" / "report.md").read_text()
    assert "# concbench report" in text and report in text
    assert "concbench-report-x86\\_64-4cpu" in report and "concbench-report-arm64-4cpu" in report  # Markdown-escaped
    machines = report.split("## Machines", 1)[1].split("\n\n")[1].splitlines()[0]  # the table's header row
    assert HOST_A_NAME.replace("_", "\\_") in machines and HOST_B_NAME.replace("_", "\\_") in machines
