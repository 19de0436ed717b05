"""concbench's history: every run in one SQLite file, change points per cell and machine, a dashboard.

    concbench-history add REPORT_DIR...      store runs (idempotent; one transaction)
    concbench-history changes                E-Divisive means change points per cell and machine
    concbench-history report --out DIR       one self-contained HTML page, PNG and SVG charts
    concbench-history judge REPORT_DIR       a run against the latest stable segment of its history
    concbench-history export REPORT_DIR      github-action-benchmark or Bencher (BMF) JSON

docs/ci.md explains the method and the store; `cli` is the command line (scripts/history).
"""


class HistoryError(Exception):
    """Bad input or a database this program cannot use. str(error) is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
