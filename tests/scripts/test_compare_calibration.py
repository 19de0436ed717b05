"""scripts/calibrate_compare.py analyse on a small synthetic recording with a known slowdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_compare import CPU_SEQ, IO_THREAD, samples, write_run

import calibrate_compare as cc

ROUNDS = 10


def recording(tmp: Path, quiet_busy: list[float] | None = None) -> Path:
    """variants A, A2 (same means) and S10 (parallel/cpu 10% slower), one run directory per round."""
    entries = []
    for round_ in range(1, ROUNDS + 1):
        for label, factor in (("A", 1.0), ("A2", 1.0), ("S10", 1 / 1.1)):
            run = write_run(tmp / "rounds" / f"r{round_:03d}-{label}", {
                CPU_SEQ: samples(35000 * factor, runs=1, reps=3, seed=round_ * 7 + len(label)),
                IO_THREAD: samples(7500, runs=1, reps=3, seed=round_ * 11 + len(label)),
            })
            busy = quiet_busy[round_ - 1] if quiet_busy else None
            entries.append({"round": round_, "side": label, "run_dir": str(run), "exit": 0,
                            "loadavg_before": "0.50 0.40 0.30", "waited_s": 2.0, "busy_before": busy})
    manifest = {"command": ["calibrate_compare.py", "record"], "plan_args": ["--quick"], "target": "parallel/cpu",
                "slowdowns": [10], "rounds": ROUNDS, "repetitions": 3,
                "variants": {"A": [], "A2": [], "S10": ["--inject-slowdown", "parallel/cpu=10"]},
                "started": "2026-11-25T14:00:00Z", "finished": "2026-11-25T14:10:00Z", "seconds": 600,
                "quiet_gate": {"max_busy": 0.25, "samples": 2, "timeout_s": 600} if quiet_busy else None,
                "runs": entries}
    (tmp / "manifest.json").write_text(json.dumps(manifest))
    return tmp


def test_analyse_counts_alarms_and_detections(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    directory = recording(tmp_path)
    status = cc.main(["analyse", str(directory), "--rounds-per-run", "5", "--units", "run", "--thresholds", "5",
                      "--format", "json"])
    assert status == 0
    (row,) = json.loads(capsys.readouterr().out)["grid"]
    assert (row["rounds"], row["reps"], row["unit"], row["runs"]) == (5, 3, "run", 2)  # 10 rounds: 2 blocks of 5
    assert row["aa_regression_alarms"] == 0
    assert row["detect_10"] == 2 and row["other_flagged_10"] == 0


def test_analyse_markdown_marks_settings_that_meet_the_target(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cc.main(["analyse", str(recording(tmp_path)), "--rounds-per-run", "5", "--units", "run"]) == 0
    out = capsys.readouterr().out
    assert "| 5 | 3 | run | 5% | 0.05 | 0/2 (0%, 0–66) |" in out and out.rstrip().endswith("| yes |")


def test_rounds_the_quiet_gate_gave_up_on_are_left_out(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    directory = recording(tmp_path, quiet_busy=[0.0] * 5 + [1.0] + [0.0] * 4)
    manifest, runs = cc.load_recording(directory)
    assert (manifest["complete_rounds"], manifest["unquiet_rounds"], len(runs["A"])) == (9, 1, 9)
    _, runs = cc.load_recording(directory, keep_unquiet=True)
    assert len(runs["A"]) == 10
