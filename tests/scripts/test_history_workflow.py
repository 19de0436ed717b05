"""The history parts of .github/workflows/bench.yml: pushes to main append to the history branch, pull
requests are judged against it (docs/ci.md: "In CI")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="python3-yaml (in scripts/lib/common.sh's package list)")

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "bench.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def step(job: dict, text: str) -> dict:
    [found] = [s for s in job["steps"] if text in s.get("run", "")]
    return found


def test_pushes_to_main_run_the_history_job_and_pull_requests_the_bench_job(workflow: dict) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"] == {"branches": ["main"]} and "pull_request" in triggers
    assert workflow["jobs"]["history"]["if"] == "github.event_name == 'push'"
    assert workflow["jobs"]["bench"]["if"] == "github.event_name != 'push'"


def test_the_history_job_is_the_only_writer_and_one_at_a_time(workflow: dict) -> None:
    history = workflow["jobs"]["history"]
    assert history["permissions"] == {"contents": "write"} and workflow["permissions"] == {"contents": "read"}
    assert history["concurrency"] == {"group": "concbench-history", "cancel-in-progress": False}
    assert history["container"] == "debian:12"


def test_the_history_job_adds_the_pooled_rounds_and_pushes_the_branch(workflow: dict) -> None:
    history = workflow["jobs"]["history"]
    run = step(history, "scripts/refresh-baseline")["run"]
    assert "--binary build/release/concbench" in run and "CONCBENCH_RUN=" in run
    added = step(history, "scripts/history add")["run"]
    assert 'scripts/history add --db "$db" "$CONCBENCH_RUN"' in added
    assert re.search(r'scripts/history changes --db "\$db".*\n.*tee -a "\$\{GITHUB_STEP_SUMMARY', added)
    assert "scripts/history report" in added and "--commit-url" in added
    for fmt in ("github-action-benchmark", "bencher"):
        assert f"scripts/history export --format {fmt}" in added
    branch = step(history, "git worktree add")["run"]
    assert "origin/concbench-history" in branch and "--orphan concbench-history" in branch
    push = step(history, "git push")["run"]
    assert "git add history.sqlite" in push and "git push origin HEAD:concbench-history" in push


def test_pull_requests_are_judged_against_the_history(workflow: dict) -> None:
    bench = workflow["jobs"]["bench"]
    fetch = step(bench, "git fetch --depth 1 origin concbench-history")
    assert "git show FETCH_HEAD:history.sqlite" in fetch["run"] and "CONCBENCH_HISTORY=" in fetch["run"]
    judge = step(bench, "scripts/history judge")
    assert '"$CONCBENCH_BENCH_DIR/B"' in judge["run"] and 'tee -a "${GITHUB_STEP_SUMMARY' in judge["run"]
    assert "--allow-inconclusive" in judge["run"]  # a young history's suspect cells: ab's comparison tests them
    assert "!cancelled()" in judge["if"]  # judged even when ab found a regression
    names = [s.get("name", "") for s in bench["steps"]]
    assert names.index(fetch["name"]) > names.index(step(bench, "scripts/ab")["name"])


def test_every_script_the_history_steps_run_exists_and_is_executable(workflow: dict) -> None:
    steps = workflow["jobs"]["history"]["steps"] + workflow["jobs"]["bench"]["steps"]
    scripts = {m for s in steps for m in re.findall(r"scripts/[\w./-]+", s.get("run", ""))}
    assert {"scripts/history", "scripts/refresh-baseline", "scripts/run"} <= scripts
    for script in scripts:
        assert (ROOT / script).is_file() and (ROOT / script).stat().st_mode & 0o111, script
