#!/usr/bin/env python3
"""A test-only peer that goes wrong in the way CONCBENCH_TEST_PEER names (tests/scripts/test_external_peers.py):
  malformed   answers the cell with a line that is not JSON
  wrong-field answers each run without `elapsed_ns`
  silent      never answers the cell
  crash       answers the cell, then dies by SIGKILL at the first run
  lie         answers counter runs with a wrong total (a broken peer body)
  error       answers the first run with `error`
  unsupported answers the cell with `unsupported`"""

import json
import os
import signal
import sys
import time

MODE = os.environ.get("CONCBENCH_TEST_PEER", "")


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


cell = json.loads(sys.stdin.readline())
if MODE == "silent":
    time.sleep(3600)
if MODE == "malformed":
    sys.stdout.write("ready, I think\n")
    sys.stdout.flush()
    sys.exit(0)
if MODE == "unsupported":
    send({"type": "unsupported", "reason": "the test peer refuses"})
    sys.exit(0)
send({"type": "ready", "versions": {"test_peer": MODE}})
tasks, adds = cell["tasks"], int(cell["params"].get("adds", "0"))
for line in sys.stdin:
    if MODE == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    if MODE == "error":
        send({"type": "error", "reason": "the test peer failed on purpose"})
        continue
    total = tasks * adds - (1 if MODE == "lie" else 0)
    answer = {"type": "result", "elapsed_ns": 1000, "workers": 1, "result": {"total": str(total)}}
    if MODE == "wrong-field":
        del answer["elapsed_ns"]
    send(answer)
