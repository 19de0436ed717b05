"""scripts/mutate: its list follows the code (every snippet found exactly once) and bad lists are refused.
Running the mutations takes minutes of rebuilds: that is done by hand (docs/testing.md), not here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MUTATE = ROOT / "scripts" / "mutate"
import importlib.util  # noqa: E402
from importlib.machinery import SourceFileLoader  # noqa: E402

_loader = SourceFileLoader("mutate", str(MUTATE))  # the script has no .py suffix
_spec = importlib.util.spec_from_loader("mutate", _loader)
mutate = importlib.util.module_from_spec(_spec)
sys.modules["mutate"] = mutate  # dataclasses look their module up there
_loader.exec_module(mutate)


def test_every_mutation_fits_today_s_code() -> None:
    proc = subprocess.run([sys.executable, str(MUTATE), "--list"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert "stale" not in proc.stdout
    assert len(proc.stdout.splitlines()) >= 10


def test_a_mutation_whose_snippet_is_gone_is_stale() -> None:
    m = mutate.Mutation(name="x", why="y", file="f", find=["a", "b"], replace=["", ""], ctest="T")
    assert m.stale("a b") == ""
    assert "occurs 0 times" in m.stale("a only")
    assert "occurs 2 times" in m.stale("a a b")


@pytest.mark.parametrize("text, error", [
    ('[[mutation]]\nname = "x"\nwhy = "y"\nfile = "f"\nfind = "a"\nreplace = "b"\n', "names no test"),
    ('[[mutation]]\nname = "x"\nwhy = "y"\nfile = "f"\nfind = ["a", "b"]\nreplace = "c"\nctest = "T"\n',
     "2 find but 1 replace"),
    ('[[mutation]]\nname = "x"\nwhy = "y"\nfile = "f"\nfind = "a"\nreplace = "b"\nctest = "T"\n' * 2,
     "duplicate mutation names"),
    ('[[mutation]]\nname = "x"\nfile = "f"\nfind = "a"\nreplace = "b"\nctest = "T"\n', "missing"),
    ("not toml [", "Expected"),
    ("", "no mutations"),
])
def test_a_bad_list_is_refused_with_the_reason(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "mutations.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=error):
        mutate.load(path)


def test_an_unknown_mutation_name_exits_2() -> None:
    proc = subprocess.run([sys.executable, str(MUTATE), "--only", "no-such-mutation"], capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "mutate: unknown mutation(s): no-such-mutation"
