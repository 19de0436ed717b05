#!/usr/bin/env python3
"""concbench's CPython peer: runs the cells of the models python-threads, python-asyncio and python-generators
over the peer protocol (docs/models.md, "External models: the peer protocol"): JSON lines on stdin and stdout,
one `cell`, then one `run` at a time. Diagnostics go to stderr (the cell's log). Python 3.7+."""

import json
import os
import platform
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from peer_common import Cell, Deadlock, Unsupported  # noqa: E402

MODELS = {"python-threads": "peer_threads", "python-asyncio": "peer_asyncio", "python-generators": "peer_generators"}


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def receive():
    line = sys.stdin.readline()
    return json.loads(line) if line else None


def start(message):
    """The cell's body and mapping, or an answer that ends the exchange."""
    if not isinstance(message, dict) or message.get("type") != "cell" or message.get("protocol") != 1:
        return None, {"type": "error", "reason": "expected a `cell` message of protocol 1, got {!r}".format(message)}
    cell = Cell(message)
    if cell.model not in MODELS:
        return None, {"type": "unsupported", "reason": "this peer runs " + ", ".join(sorted(MODELS))}
    try:
        module = __import__(MODELS[cell.model])
        return module.make(cell), None
    except Unsupported as e:
        return None, {"type": "unsupported", "reason": str(e)}


def run_once(body, index):
    start_ns = time.perf_counter_ns()
    result, workers = body.run(index)
    elapsed = time.perf_counter_ns() - start_ns
    return {"type": "result", "elapsed_ns": elapsed, "workers": workers, "result": result}


def main():
    try:
        made, refusal = start(receive())
    except Exception as e:  # a cell this peer cannot read
        traceback.print_exc()
        send({"type": "error", "reason": "{}: {}".format(type(e).__name__, e)})
        return 1
    if refusal:
        send(refusal)
        return 0
    body, mapping = made
    send({"type": "ready", "versions": {"python_version": platform.python_version(),
                                         "python_implementation": platform.python_implementation().lower()}})
    while True:
        message = receive()
        if message is None:
            return 0
        if message.get("type") != "run":
            send({"type": "error", "reason": "expected `run`, got {!r}".format(message)})
            return 1
        try:
            answer = run_once(body, int(message["run"]))
            answer["mapping"] = mapping
            send(answer)
        except Deadlock as e:
            send({"type": "deadlock", "reason": str(e), "metrics": e.metrics})
            sys.stdout.flush()
            os._exit(0)  # the deadlocked tasks can never be joined
        except Exception as e:
            traceback.print_exc()
            send({"type": "error", "reason": "{}: {}".format(type(e).__name__, e)})
            return 1


if __name__ == "__main__":
    sys.exit(main())
