"""What every Python script of concbench does first: find `concbench_data` beside it, and, when a module it
needs is missing, say in one line which interpreter to use (on Debian the `python3` on PATH may be a pyenv
one without Debian's python3-* packages; /usr/bin/python3 has them) instead of a traceback."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def require(prog: str, *modules: str) -> None:
    """Exit 1 with one line on stderr unless every module imports; charts are drawn to files only."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # concbench_data sits beside the scripts
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as missing:
            sys.stderr.write(
                f"{prog}: error: Python module '{missing.name}' is missing; run this script with an interpreter "
                f"that has {' and '.join(modules)} (/usr/bin/python3 on Debian)\n"
            )
            sys.exit(1)
    if "matplotlib" in modules:
        import matplotlib

        matplotlib.use("Agg")  # files only, never a display
