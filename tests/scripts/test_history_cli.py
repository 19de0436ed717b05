"""concbench-history changes, judge, report, export and calibrate on synthetic histories.

Each commit is one synthetic run (test_compare.write_run: 5 repetitions of known means, 1% noise,
seeded), added with a made-up sha and commit time, so every test knows the true history.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Sequence

import pytest
from history_runs import add_commits, run_cli, sha
from test_compare import CPU_SEQ, IO_THREAD, Cell, samples, write_run

from concbench_history.cli import default_commit_url

ROOT = Path(__file__).resolve().parents[2]
MACHINE = "e8bde9fc975e6aba"
MEANS = {CPU_SEQ: 30000.0, IO_THREAD: 7500.0}

# github-action-benchmark, tool customBiggerIsBetter: an array of its BenchmarkResult (src/extract.ts:
# name: string; value: number; range?: string; unit: string; extra?: string).
GAB_SCHEMA = {
    "type": "array",
    "items": {"type": "object", "required": ["name", "unit", "value"], "additionalProperties": False,
              "properties": {"name": {"type": "string"}, "unit": {"type": "string"}, "value": {"type": "number"},
                             "range": {"type": "string"}, "extra": {"type": "string"}}},
}
# Bencher Metric Format, the JSON schema Bencher documents (https://bencher.dev/bmf.json, draft-07).
BENCHER_SCHEMA = {
    "type": "object",
    "patternProperties": {".+": {
        "type": "object",
        "patternProperties": {".+": {
            "type": "object", "required": ["value"],
            "properties": {"value": {"type": "number"}, "lower_value": {"type": "number"},
                           "upper_value": {"type": "number"}}}}}},
}
TYPES = {"object": dict, "array": list, "string": str, "number": (int, float)}


def validate(document: object, schema: dict, where: str = "$") -> list[str]:
    """The JSON Schema keywords the two documented schemas use: type, required, properties,
    patternProperties, additionalProperties (false) and items. Returns the problems found."""
    expected = TYPES[schema["type"]]
    if not isinstance(document, expected) or isinstance(document, bool):
        return [f"{where}: not a {schema['type']}"]
    problems = []
    if isinstance(document, dict):
        problems += [f"{where}: {name} missing" for name in schema.get("required", []) if name not in document]
        for name, value in document.items():
            rules = [schema["properties"][name]] if name in schema.get("properties", {}) else []
            rules += [rule for pattern, rule in schema.get("patternProperties", {}).items() if re.search(pattern, name)]
            if not rules and schema.get("additionalProperties") is False:
                problems.append(f"{where}: {name} not allowed")
            for rule in rules:
                problems += validate(value, rule, f"{where}.{name}")
    if isinstance(document, list):
        for index, item in enumerate(document):
            problems += validate(item, schema["items"], f"{where}[{index}]")
    return problems


def test_the_validator_catches_what_the_schemas_forbid() -> None:
    assert validate([{"name": "a", "unit": "u", "value": "1"}], GAB_SCHEMA) == ["$[0].value: not a number"]
    assert validate([{"name": "a", "value": 1, "stddev": 2}], GAB_SCHEMA) == ["$[0]: unit missing",
                                                                              "$[0]: stddev not allowed"]
    assert validate({"b": {"throughput": {"lower_value": 1}}}, BENCHER_SCHEMA) == ["$.b.throughput: value missing"]
    assert validate({"b": {"throughput": 3}}, BENCHER_SCHEMA) == ["$.b.throughput: not a object"]


def commit_runs(tmp: Path, levels: Sequence[float], *, cells: Sequence[Cell] = (CPU_SEQ, IO_THREAD),
                slowed: Sequence[Cell] = (CPU_SEQ,), machine_id: str = MACHINE, name: str = "c") -> list[list[Path]]:
    """One synthetic run per commit: each cell at its mean, the `slowed` cells times the commit's level."""
    runs = []
    for number, level in enumerate(levels, start=1):
        values = {cell: samples(MEANS[cell] * (level if cell in slowed else 1.0), runs=1, noise=0.01,
                                seed=number * 31 + i) for i, cell in enumerate(cells)}
        runs.append([write_run(tmp / f"{name}{number:02d}", values, machine_id=machine_id)])
    return runs


def new_history(tmp: Path, levels: Sequence[float], **options) -> Path:
    db = tmp / "history.sqlite"
    add_commits(db, commit_runs(tmp, levels, **options))
    return db


STEP = [1.0] * 7 + [0.9] * 5  # CPU_SEQ 10% slower from commit 8 on


@pytest.fixture(scope="module")
def step_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history of STEP (read-only: tests that add to a history make their own)."""
    return new_history(tmp_path_factory.mktemp("step"), STEP)


@pytest.fixture(scope="module")
def stable_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10 commits, no change (read-only)."""
    return new_history(tmp_path_factory.mktemp("stable"), [1.0] * 10)


def changes_json(capsys: pytest.CaptureFixture, db: Path, *extra: object) -> dict:
    status, out, err = run_cli(capsys, "changes", "--db", db, "--format", "json", *extra)
    assert status == 0, err
    return json.loads(out)


# ---------------------------------------------------------------------------------------------
# changes


def test_changes_finds_the_step_in_the_slowed_cell_only(tmp_path: Path, capsys: pytest.CaptureFixture,
        step_db: Path) -> None:
    db = step_db
    document = changes_json(capsys, db)
    [change] = document["changes"]
    assert (change["workload"], change["variant"], change["model"], change["sha"]) == ("parallel", "cpu", "sequential",
                                                                                     sha(8))
    assert change["previous_sha"] == sha(7) and change["commit_time"] == "2026-11-01T08:00:00Z"
    assert -11 < change["change_pct"] < -9 and change["p_value"] <= 0.01
    assert document["series"] == 2 and document["runs"] == 12 and document["smaller_shifts"] == 0


def test_changes_as_markdown_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture,
        step_db: Path) -> None:
    db = step_db
    status, out, _ = run_cli(capsys, "changes", "--db", db, "--commit-url", "https://example.org/{sha}")
    assert status == 0
    assert out.startswith("### concbench history: 1 change(s) in 2 series (1 machine(s), 12 commits, ordered 12 by "
                          "--commit-time; 12 run(s))")
    row = next(line for line in out.splitlines() if line.startswith("| parallel/cpu"))
    assert f"[{sha(8)[:12]}](https://example.org/{sha(8)})" in row and re.search(r"\| -(9\.\d|10\.\d)% \| 0\.0", row)
    status, out, _ = run_cli(capsys, "changes", "--db", db, "--format", "csv")
    header, line = out.splitlines()
    assert header.startswith("machine_id,host,workload,variant,model,cores,tasks,params,sha,previous_sha,commit_time")
    assert line.startswith(f"{MACHINE},vm,parallel,cpu,sequential,1,8,")


def test_the_threshold_hides_small_significant_shifts(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = new_history(tmp_path, [1.0] * 7 + [0.97] * 5)  # 3% with 1% noise: found, but below 5%
    document = changes_json(capsys, db)
    assert document["changes"] == [] and document["smaller_shifts"] == 1
    [change] = changes_json(capsys, db, "--threshold", "2")["changes"]
    assert change["sha"] == sha(8)


def test_filters_by_cell_and_machine(tmp_path: Path, capsys: pytest.CaptureFixture,
        step_db: Path) -> None:
    db = step_db
    assert changes_json(capsys, db, "--cell", "parallel/io")["changes"] == []
    assert len(changes_json(capsys, db, "--cell", "parallel sequential cores=1")["changes"]) == 1
    assert changes_json(capsys, db, "--machine", MACHINE[:6], "--cell", "thread")["series"] == 1
    assert changes_json(capsys, db, "--machine", "vm")["series"] == 2


@pytest.mark.parametrize("argv, message", [
    (["--cell", "parallel/nope"], "no cell matches 'parallel/nope' in the history (cells: parallel/cpu sequential "
                                  "cores=1 tasks=8 items=64;work=10000; parallel/io thread cores=2 tasks=8 "
                                  "items=64;wait_us=1000)"),
    (["--machine", "ffff"], f"no machine 'ffff' in the history (machines: vm ({MACHINE}))"),
], ids=["cell", "machine"])
def test_a_filter_that_matches_nothing_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                              argv: list[str], message: str) -> None:
    db = new_history(tmp_path, [1.0] * 3)
    for command in ("changes", "report"):
        status, out, err = run_cli(capsys, command, "--db", db, *argv, "--out", tmp_path / "o") \
            if command == "report" else run_cli(capsys, command, "--db", db, *argv)
        assert (status, out, err) == (2, "", f"concbench-history: error: {message}\n")


def test_reading_a_history_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for command in ("changes", "report", "calibrate"):
        status, out, err = run_cli(capsys, command, "--db", tmp_path / "none.sqlite")
        assert (status, out) == (2, "")
        assert err == (f"concbench-history: error: {tmp_path / 'none.sqlite'}: no history here; add runs first: "
                       "concbench-history add REPORT_DIR\n")
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: COMMAND"),
    (["add"], "the following arguments are required: REPORT_DIR"),
    (["changes", "--threshold", "-1"], "argument --threshold: invalid threshold (0 <= PCT < 100) value: '-1'"),
    (["changes", "--significance", "0"], "argument --significance: invalid significance (0 < P <= 0.5) value: '0'"),
    (["changes", "--min-size", "1"], "argument --min-size: invalid min-size (2..1000) value: '1'"),
    (["export", "x"], "the following arguments are required: --format"),
    (["nope"], "argument COMMAND: invalid choice: 'nope' (choose from 'add', 'changes', 'report', 'judge', 'export', "
               "'calibrate')"),
], ids=["nothing", "add-nothing", "threshold", "significance", "min-size", "export-format", "command"])
def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture, argv: list[str], message: str) -> None:
    status, out, err = run_cli(capsys, *argv)
    assert (status, out) == (2, "")
    assert err == f"concbench-history: error: {message} (see --help)\n"


# ---------------------------------------------------------------------------------------------
# judge


def judged(capsys: pytest.CaptureFixture, db: Path, *runs: Path, extra: Sequence[str] = ()) -> tuple[int, dict]:
    status, out, err = run_cli(capsys, "judge", "--db", db, "--format", "json", *extra, *runs)
    assert status in (0, 1, 3), err
    document = json.loads(out)
    return status, {(c["variant"], c["model"]): c for c in document["cells"]} | {"document": document}


def pr_run(tmp: Path, level: float, name: str = "pr", machine_id: str = MACHINE, cells=(CPU_SEQ, IO_THREAD)) -> Path:
    """A pull request's run: 3 rounds of 3 repetitions, CPU_SEQ at `level` of its mean."""
    return write_run(tmp / name, {cell: samples(MEANS[cell] * (level if cell == CPU_SEQ else 1.0), runs=3, reps=3,
                                                noise=0.01, seed=99 + i) for i, cell in enumerate(cells)},
                     machine_id=machine_id)


def test_judge_flags_a_slower_run_against_a_stable_history(tmp_path: Path, capsys: pytest.CaptureFixture,
        stable_db: Path) -> None:
    db = stable_db
    status, cells = judged(capsys, db, pr_run(tmp_path, 0.8))
    assert status == 1
    slow = cells[("cpu", "sequential")]
    assert slow["verdict"] == "regression" and -21 < 100 * slow["change"] < -19
    assert slow["segment_commits"] == 10 and slow["segment_since"] == sha(1) and slow["n_new"] == 9
    assert cells[("io", "thread")]["verdict"] == "same"
    status, cells = judged(capsys, db, pr_run(tmp_path, 1.0, name="same"))
    assert status == 0 and {cells[k]["verdict"] for k in cells if k != "document"} == {"same"}


def test_judge_uses_the_latest_segment_not_the_whole_history(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """CPU_SEQ got 20% faster at commit 6: a run at the old level is a regression against the new one."""
    db = new_history(tmp_path, [1.0] * 5 + [1.2] * 6)
    status, cells = judged(capsys, db, pr_run(tmp_path, 1.0))
    assert status == 1
    cell = cells[("cpu", "sequential")]
    assert cell["verdict"] == "regression" and cell["segment_since"] == sha(6) and cell["segment_commits"] == 6
    status, cells = judged(capsys, db, pr_run(tmp_path, 1.2, name="at-new-level"))
    assert status == 0 and cells[("cpu", "sequential")]["verdict"] == "same"


def test_judge_markdown_for_the_job_summary(tmp_path: Path, capsys: pytest.CaptureFixture,
        stable_db: Path) -> None:
    db = stable_db
    status, out, _ = run_cli(capsys, "judge", "--db", db, pr_run(tmp_path, 0.8))
    assert status == 1
    assert out.startswith("### concbench history judgement: 1 regression · 1 same\n")
    assert f"**History** `{db}`: 10 commit(s) of this machine" in out
    assert "| verdict | cell | history items/s | run items/s | change | p (Holm) | segment | note |" in out
    assert re.search(r"\| \*\*regression\*\* \| parallel/cpu sequential cores=1 tasks=8 items=64;work=10000 \| 30k \| "
                     r"2\d\.\dk \| -(19|20|21)\.\d% \| <0\.001 \|", out)
    assert f"| 10 since {sha(1)[:12]} |" in out


def test_judge_with_too_short_a_segment_is_suspect(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = new_history(tmp_path, [1.0] * 2)
    status, cells = judged(capsys, db, pr_run(tmp_path, 0.7))
    assert status == 3
    assert cells[("cpu", "sequential")]["verdict"] == "suspect"
    assert cells[("cpu", "sequential")]["note"] == "only 2 commit(s) in the history"
    assert cells[("io", "thread")]["verdict"] == "inconclusive"
    assert judged(capsys, db, pr_run(tmp_path, 0.7, name="again"), extra=["--allow-inconclusive"])[0] == 0


def test_judge_new_and_missing_cells(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = new_history(tmp_path, [1.0] * 5)
    extra = Cell(variant="cpu", model="thread", cores=1)
    MEANS[extra] = 40000.0
    try:
        run = pr_run(tmp_path, 1.0, cells=(CPU_SEQ, extra))
    finally:
        del MEANS[extra]
    status, cells = judged(capsys, db, run)
    assert status == 0
    assert cells[("cpu", "thread")]["verdict"] == "new"
    assert cells[("io", "thread")]["verdict"] == "missing"
    assert cells[("cpu", "sequential")]["verdict"] == "same"


def test_a_machine_without_history_is_all_new_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = new_history(tmp_path, [1.0] * 5)
    status, cells = judged(capsys, db, pr_run(tmp_path, 0.5, machine_id="0123456789abcdef"))
    assert status == 0
    assert {cells[k]["verdict"] for k in cells if k != "document"} == {"new"}
    assert cells["document"]["warnings"][0].startswith("no history for machine 0123456789abcdef: every cell is `new`")


def test_judging_a_run_already_in_the_history_leaves_it_out(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    runs = commit_runs(tmp_path, [1.0] * 6 + [0.7])
    db = tmp_path / "h.sqlite"
    add_commits(db, runs)
    status, cells = judged(capsys, db, runs[-1][0])
    assert status == 1 and cells[("cpu", "sequential")]["segment_commits"] == 6


# ---------------------------------------------------------------------------------------------
# export


def test_exports_follow_the_documented_schemas(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run = pr_run(tmp_path, 1.0)
    status, out, _ = run_cli(capsys, "export", "--format", "github-action-benchmark", run)
    document = json.loads(out)
    assert status == 0 and validate(document, GAB_SCHEMA) == []
    cpu = next(d for d in document if d["name"] == "parallel/cpu sequential cores=1 tasks=8 items=64;work=10000")
    assert cpu["unit"] == "items/s" and 29000 < cpu["value"] < 31000 and cpu["range"].startswith("± ")
    assert cpu["extra"].startswith(f"machine {MACHINE}; git abc123; 9 repetition(s) from 3 run(s); 95% interval")
    out_file = tmp_path / "bmf.json"
    assert run_cli(capsys, "export", "--format", "bencher", "--out", out_file, run)[0] == 0
    document = json.loads(out_file.read_text())
    assert validate(document, BENCHER_SCHEMA) == [] and len(document) == 2
    metric = document["parallel/cpu sequential cores=1 tasks=8 items=64;work=10000"]["throughput"]
    assert metric["lower_value"] <= metric["value"] <= metric["upper_value"]


def test_export_leaves_out_failed_cells_and_refuses_to_mix_machines(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture) -> None:
    failed = write_run(tmp_path / "failed", {CPU_SEQ: samples(3e4, runs=1), IO_THREAD: samples(7e3, runs=1)},
                       status={IO_THREAD: "failed"})
    status, out, err = run_cli(capsys, "export", "--format", "bencher", failed)
    assert status == 0 and list(json.loads(out)) == ["parallel/cpu sequential cores=1 tasks=8 items=64;work=10000"]
    assert err == ("concbench-history: warning: parallel/io thread cores=2 tasks=8 items=64;wait_us=1000: failed, "
                   "left out (no throughput to export)\n")
    other = pr_run(tmp_path, 1.0, machine_id="0123456789abcdef")
    status, out, err = run_cli(capsys, "export", "--format", "bencher", failed, other)
    assert (status, out) == (2, "")
    assert err == (f"concbench-history: error: {failed}: the runs come from several machines (0123456789abcdef, "
                   f"{MACHINE}); export one machine at a time (a tracker series must not mix machines)\n")


# ---------------------------------------------------------------------------------------------
# report


def test_the_dashboard_is_one_self_contained_page_with_charts(tmp_path: Path, capsys: pytest.CaptureFixture,
        step_db: Path) -> None:
    db = step_db
    out_dir = tmp_path / "dash"
    status, out, _ = run_cli(capsys, "report", "--db", db, "--out", out_dir, "--commit-url",
                             "https://github.com/o/r/commit/{sha}", "--dpi", 50)
    assert status == 0 and out.startswith(f"{out_dir / 'history.html'} (2 chart(s)")
    page = (out_dir / "history.html").read_text()
    assert page.count("<svg") == 2 and page.count('<figure class="chart"') == 2
    # Nothing to fetch: no external script, style sheet or image; the only URLs are the commit links.
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=", page)
    urls = set(re.findall(r"https?://[^\"'<> )]+", page)) - {"http://www.w3.org/2000/svg",
                                                             "http://www.w3.org/1999/xlink"}  # XML namespaces
    assert urls and all(u.startswith("https://github.com/o/r/commit/") for u in urls)
    assert f'<a href="https://github.com/o/r/commit/{sha(8)}">{sha(8)[:12]}</a>' in page
    assert f'xlink:href="https://github.com/o/r/commit/{sha(8)}"' in page  # the change line in the chart links too
    for name in ("machine", "workload", "model"):
        assert f'<select data-filter="{name}">' in page
    assert 'data-workload="parallel" data-model="sequential"' in page
    charts = sorted(p.name for p in (out_dir / "charts").iterdir())
    assert len(charts) == 4 and charts[0].startswith(MACHINE)
    assert {Path(c).suffix for c in charts} == {".png", ".svg"}


def test_the_commit_link_comes_from_the_github_remote(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert default_commit_url(repo) is None
    subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", "git@github.com:owner/name.git"], check=True)
    assert default_commit_url(repo) == "https://github.com/owner/name/commit/{sha}"
    subprocess.run(["git", "-C", str(repo), "remote", "set-url", "origin", "https://example.org/x.git"], check=True)
    assert default_commit_url(repo) is None


# ---------------------------------------------------------------------------------------------
# calibrate


def test_calibrate_measures_false_alarms_and_detection(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = new_history(tmp_path, [1.0] * 24)
    status, out, _ = run_cli(capsys, "calibrate", "--db", db, "--histories", 20, "--permutations", 499, "--at", 8,
                             "--format", "json")
    assert status == 0
    [machine] = json.loads(out)["machines"]
    assert machine["runs"] == 24 and machine["cells"] == 2
    assert machine["aa_histories_with_a_change"]["of"] == 20
    assert machine["aa_histories_with_a_change"]["count"] <= 2
    assert machine["slowdown_found_at_the_commit"]["rate"] >= 0.9  # 1% noise: a 9.1% drop stands out
    assert machine["real_windows_with_a_change"] == {"count": 0, "of": 4, "rate": 0.0, "low": 0.0,
                                                     "high": pytest.approx(0.49, abs=0.01)}
    status, out, _ = run_cli(capsys, "calibrate", "--db", db, "--histories", 5, "--permutations", 99)
    assert status == 0 and "| vm (e8bde9fc975e6aba) | 2 | 24 |" in out
    assert "| vm | parallel/cpu sequential cores=1 tasks=8 items=64;work=10000 | 0." in out  # commit medians: < 1%


def test_calibrate_within_draws_from_the_repetitions_spread(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = new_history(tmp_path, [1.0] * 12)
    status, out, _ = run_cli(capsys, "calibrate", "--db", db, "--histories", 10, "--permutations", 499, "--rounds", 5,
                             "--at", 8, "--spread", "within", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["settings"]["spread"] == "within" and document["settings"]["rounds"] == 5
    [machine] = document["machines"]
    assert machine["aa_histories_with_a_change"]["count"] <= 1
    assert machine["slowdown_found_at_the_commit"]["rate"] >= 0.9
    cell = machine["cells_detail"]["parallel/cpu sequential cores=1 tasks=8 items=64;work=10000"]
    assert 0.5 < cell["spread_pct"] < 2  # of one repetition: write_run's 1% noise
