"""A lint of .github/workflows/*.yml (Debian has no actionlint): valid YAML, expressions that parse, none
pasted into a shell script (GitHub's script-injection pattern), a concurrency group, and uploads guarded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

yaml = pytest.importorskip("yaml", reason="python3-yaml (in scripts/lib/common.sh's package list)")

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_pasted_into_a_shell_script(path: Path) -> None:
    for job, step in _steps(_load(path)):
        script = step.get("run", "")
        assert "${{" not in script, f"{path.name}: job {job}, step {step.get('name')!r}: pass it through env:"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_expression_is_closed_and_balanced(path: Path) -> None:
    text = path.read_text()
    assert text.count("${{") == len(EXPRESSION.findall(text)), f"{path.name}: an unclosed ${{{{"
    for expression in EXPRESSION.findall(text):
        assert expression.strip(), f"{path.name}: an empty expression"
        assert expression.count("(") == expression.count(")"), f"{path.name}: unbalanced ( ) in {expression!r}"
        assert expression.count("'") % 2 == 0, f"{path.name}: an unclosed string in {expression!r}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_runs_of_one_branch_do_not_measure_side_by_side(path: Path) -> None:
    group = _load(path).get("concurrency", {})
    assert isinstance(group, dict) and "github.ref" in group.get("group", ""), f"{path.name}: no concurrency group"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_uploads_of_build_outputs_are_guarded(path: Path) -> None:
    # An upload whose files exist only after a successful build says when it runs, so a failed build
    # reports the build, not an empty-path error.
    for job, step in _steps(_load(path)):
        if not step.get("uses", "").startswith("actions/upload-artifact"):
            continue
        files = " ".join(_strings(step.get("with", {}).get("path", "")))
        if "build/" in files or "env." in files:
            assert "if" in step, f"{path.name}: job {job}, step {step.get('name')!r} uploads without a guard"
