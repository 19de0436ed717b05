"""The example workflow .github/workflows/bench.yml: valid YAML whose steps call scripts that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="python3-yaml (in scripts/lib/common.sh's package list)")

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "bench.yml"


def steps() -> list[dict]:
    document = yaml.safe_load(WORKFLOW.read_text())
    return document["jobs"]["bench"]["steps"]


def test_workflow_is_valid_yaml_with_a_pull_request_trigger() -> None:
    document = yaml.safe_load(WORKFLOW.read_text())
    triggers = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert document["jobs"]["bench"]["container"] == "debian:12"


def test_every_script_a_step_runs_exists_and_is_executable() -> None:
    scripts = {m for step in steps() for m in re.findall(r"scripts/[\w./-]+", step.get("run", ""))}
    assert {"scripts/run", "scripts/ab"} <= scripts
    for script in scripts:
        path = ROOT / script
        assert path.is_file(), script
        assert path.stat().st_mode & 0o111, f"{script} is not executable"


def test_the_comparison_step_posts_the_table_and_keeps_ab_s_exit_status() -> None:
    compare = next(step for step in steps() if "scripts/ab" in step.get("run", ""))
    assert "--baseline reports/baseline" in compare["run"] and "--fallback-rev" in compare["run"]
    assert 'tee -a "${GITHUB_STEP_SUMMARY' in compare["run"]
    document = yaml.safe_load(WORKFLOW.read_text())
    assert document["defaults"]["run"]["shell"] == "bash"  # GitHub adds -eo pipefail: tee keeps the status
