"""The docs stay true to the code: every relative link in README.md and docs/ resolves, no absolute path
of the machine the docs were written on, and every option a command line in the docs passes to one of the
project's commands exists in that command's --help."""

from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from build_dir import BINARY, needs_binary
from conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`|```[a-z]*\n(.*?)```", re.S)
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9_-]*)")
PYTHON = "/usr/bin/python3"

# The project's commands as the docs spell them, and how to ask each for its options.
COMMANDS: dict[str, list[str]] = {
    "concbench": [str(BINARY), "--help"],
    "scripts/plot.py": [PYTHON, str(ROOT / "scripts/plot.py"), "--help"],
    "scripts/compare.py": [PYTHON, str(ROOT / "scripts/compare.py"), "--help"],
    "scripts/gil_fidelity.py": [PYTHON, str(ROOT / "scripts/gil_fidelity.py"), "--help"],
    "scripts/tour": [str(ROOT / "scripts/tour"), "--help"],
    "scripts/ab": [str(ROOT / "scripts/ab"), "--help"],
}
# Spellings of the same commands (the installed package's names, a build directory's binary).
ALIASES = {"build/release/concbench": "concbench", "concbench-plot": "scripts/plot.py",
           "concbench-compare": "scripts/compare.py", "concbench-tour": "scripts/tour"}


def _links(path: Path) -> list[str]:
    text = CODE.sub("", path.read_text())  # a link inside code is an example, not a link
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(path: Path) -> None:
    for target in _links(path):
        file = target.split("#", 1)[0]
        if not file:
            continue  # a section of the same page
        assert (path.parent / file).exists(), f"{path.relative_to(ROOT)}: dead link {target}"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_no_absolute_path_of_a_development_machine(path: Path) -> None:
    for pattern in (r"/work/", r"/root/", r"/home/[a-z]", r"/tmp/lead"):  # this project's machines
        found = re.search(pattern, path.read_text())
        assert found is None, f"{path.relative_to(ROOT)}: machine path {found.group(0)!r} in the docs"


def _command_lines(path: Path):
    """(command, rest of the line) for every line in code that runs one of the project's commands."""
    for inline, block in CODE.findall(path.read_text()):
        for line in (inline or block).splitlines():
            for word in re.split(r"[\s|;&()$]+", line):
                name = ALIASES.get(word.removeprefix("./"), word.removeprefix("./"))
                if name in COMMANDS:
                    yield name, line.split(word, 1)[1]
                    break


@lru_cache(maxsize=None)
def _help(command: str) -> str:
    proc = subprocess.run(COMMANDS[command], capture_output=True, text=True, timeout=60)
    return proc.stdout + proc.stderr


@needs_binary
@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_option_the_docs_pass_to_a_command_exists(path: Path) -> None:
    for command, rest in _command_lines(path):
        help_text = _help(command)
        for option in OPTION.findall(rest.split("#", 1)[0]):
            if option.startswith("--benchmark_"):
                continue  # passed to Google Benchmark, checked by the binary (docs/runner.md)
            assert option in help_text, f"{path.relative_to(ROOT)}: `{command} ... {option}` is not in its --help"
