#!/usr/bin/env python3
"""Times spawn/skynet (1,000,000 leaves, fan-out 10) on the go peer beside the standalone Go skynet of
main.go, on the same CPUs with GOMAXPROCS = cores (docs/performance.md, "The go peer's skynet beside a plain
Go skynet"). Each side runs in RUNS fresh processes; the figure is the median.
  reference: one tree per process, its own time of the tree.
  peer:      concbench-peer-go spoken to over the peer protocol, as the runner does: per process a cold first
             run (comparable to the reference's one tree) and WARM more runs (what the runner's repetitions
             time after its warm-up: the row's real_time is the peer's elapsed_ns).
Usage: compare.py [--peer PATH] [--reference PATH (else built here with go)] [--cores 1,2] [--runs 5] [--warm 3]"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LEAVES, NODES, SUM = 1_000_000, 1_111_111, 499_999_500_000
GO_ENV = {"GOPROXY": "off", "GOFLAGS": "", "GOENV": "off", "GOWORK": "off", "GOTOOLCHAIN": "local",
          "CGO_ENABLED": "0"}


def build_reference(into: Path) -> Path:
    program = into / "skynet-reference"
    env = {**os.environ, **GO_ENV, "HOME": str(into), "GOCACHE": str(into / "cache"), "GOPATH": str(into / "path")}
    subprocess.run(["go", "build", "-trimpath", "-o", str(program), "./skynet_reference"], cwd=HERE.parent, env=env,
                   check=True)
    return program


def on_cores(cores: int):
    cpus = sorted(os.sched_getaffinity(0))[:cores]
    return {"preexec_fn": lambda: os.sched_setaffinity(0, cpus), "env": {**os.environ, "GOMAXPROCS": str(cores)}}


def reference_ns(program: Path, cores: int) -> int:
    out = subprocess.run([str(program)], capture_output=True, text=True, check=True, **on_cores(cores)).stdout.split()
    assert int(out[0]) == SUM, out
    return int(out[1])


def peer_ns(peer: Path, cores: int, warm: int) -> list[int]:
    """One peer process: its runs' elapsed_ns, the cold first one first."""
    cell = {"type": "cell", "protocol": 1, "model": "go", "workload": "spawn", "variant": "skynet", "cores": cores,
            "tasks": NODES, "params": {"leaves": str(LEAVES)}}
    requests = [cell] + [{"type": "run", "run": r} for r in range(1, warm + 2)]
    text = "".join(json.dumps(m) + "\n" for m in requests)
    out = subprocess.run([str(peer)], input=text, capture_output=True, text=True, check=True,
                         **on_cores(cores)).stdout.splitlines()
    answers = [json.loads(line) for line in out[1:]]
    assert all(a["type"] == "result" and a["result"]["sum"] == str(SUM) for a in answers), answers
    return [a["elapsed_ns"] for a in answers]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer", type=Path, default=ROOT / "build" / "werror" / "concbench-peer-go")
    parser.add_argument("--cores", default=",".join(str(c) for c in sorted({1, len(os.sched_getaffinity(0))})))
    parser.add_argument("--reference", type=Path, help="main.go already built (on a machine without Go)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=3)
    args = parser.parse_args()
    if not os.access(args.peer, os.X_OK):
        print(f"compare.py: {args.peer} is not an executable (build concbench with Go installed)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        reference = args.reference or build_reference(Path(scratch))
        print("cores  reference ms  peer cold ms  peer warm ms  cold/ref  warm/ref")
        for cores in (int(c) for c in args.cores.split(",")):
            ref, cold, warm = [], [], []
            for _ in range(args.runs):  # interleaved, so a change in the machine's load falls on both
                ref.append(reference_ns(reference, cores))
                runs = peer_ns(args.peer, cores, args.warm)
                cold.append(runs[0])
                warm.append(statistics.median(runs[1:]))
            r, c, w = (statistics.median(x) / 1e6 for x in (ref, cold, warm))
            print(f"{cores:5}  {r:12.1f}  {c:12.1f}  {w:12.1f}  {c / r:8.2f}  {w / r:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
