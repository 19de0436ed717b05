"""What every concbench script does with bad input: one line on stderr, exit code 2."""
from __future__ import annotations

import argparse
import functools
import sys
from typing import Callable, Sequence


def report_error(prog: str, message: str) -> int:
    """Writes `prog: error: message` on one line (whitespace folded) and returns the bad-input exit code."""
    sys.stderr.write(f"{prog}: error: {' '.join(message.split())}\n")
    return 2


def cli_main(parse_args: Callable[[Sequence[str] | None], argparse.Namespace]
             ) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[Sequence[str] | None], int]]:
    """Makes a script's `main(argv)` from its body over the parsed arguments: where argparse stops, its code is
    the exit code (0 after --help, 2 after a usage error it has already printed)."""
    def decorate(body: Callable[[argparse.Namespace], int]) -> Callable[[Sequence[str] | None], int]:
        @functools.wraps(body)
        def main(argv: Sequence[str] | None = None) -> int:
            try:
                args = parse_args(argv)
            except SystemExit as stop:
                return int(stop.code or 0)
            return body(args)
        return main
    return decorate
