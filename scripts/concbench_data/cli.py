"""What every concbench script does with bad input: one line on stderr, exit code 2."""
from __future__ import annotations

import sys


def report_error(prog: str, message: str) -> int:
    """Writes `prog: error: message` on one line (whitespace folded) and returns the bad-input exit code."""
    sys.stderr.write(f"{prog}: error: {' '.join(message.split())}\n")
    return 2
