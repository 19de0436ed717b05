"""scripts/fleet against localhost through a throw-away sshd (tests/scripts/sshd.py): two "hosts"
(localhost twice, different --cores) merge into one report; a failing or hung host is skipped."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

from build_dir import BINARY, ROOT, TINY, needs_binary
from sshd import local_sshd  # noqa: F401  (a fixture)

FLEET = ROOT / "scripts" / "fleet"


def fleet(sshd, hosts: str, tmp_path: Path, *args: object, binary: Path = BINARY) -> subprocess.CompletedProcess:
    (tmp_path / "hosts").write_text(hosts)
    env = {**os.environ, "HOME": str(sshd.home)}
    return subprocess.run([str(FLEET), str(tmp_path / "hosts"), "--out", str(tmp_path / "fleet"), "--ssh-config",
                           str(sshd.ssh_config), "--binary", str(binary), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def host_statuses(out: Path) -> dict[str, str]:
    return {line.split("\t")[0]: line.split("\t")[1] for line in (out / "fleet.tsv").read_text().splitlines()}


def rows(run: Path) -> list[dict[str, str]]:
    with (run / "results.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@needs_binary
def test_two_localhost_runs_with_different_cores_make_one_merged_report(local_sshd, tmp_path: Path) -> None:
    proc = fleet(local_sshd, "# two runs on one machine\nlocalhost --cores 1\nlocalhost --cores 2  # all of it\n",
                 tmp_path, "--", *TINY)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "fleet"
    assert proc.stdout.strip() == str(out)
    assert host_statuses(out) == {"1-localhost": "ok", "2-localhost": "ok"}
    runs = {label: list((out / "hosts" / label).iterdir()) for label in ("1-localhost", "2-localhost")}
    assert all(len(found) == 1 for found in runs.values()), runs
    thread_cores = {label: {r["cores"] for r in rows(found[0]) if r["model"] == "thread"} for label, found in runs.items()}
    assert thread_cores == {"1-localhost": {"1"}, "2-localhost": {"2"}}
    # Each run recorded its per-host options and the fleet's shared ones.
    assert "--cores\n2\n" in (runs["2-localhost"][0] / "plan.args").read_text()
    report = (out / "report.md").read_text()
    for found in runs.values():  # the merged report names both runs
        assert found[0].name in report
    assert (out / "report.html").is_file() and list((out / "charts").glob("*.png"))
    assert not list((out / "logs").glob("*.stdout")) and not list((out / "logs").glob("*.status"))


@needs_binary
def test_an_unreachable_host_is_reported_and_skipped_and_the_others_are_kept(local_sshd, tmp_path: Path) -> None:
    # Port 1 on loopback: connection refused.
    proc = fleet(local_sshd, "localhost --cores 1\n127.0.0.1:1\n", tmp_path, "--", *TINY)
    assert proc.returncode == 1
    out = tmp_path / "fleet"
    assert host_statuses(out) == {"1-localhost": "ok", "2-127.0.0.1": "unreachable"}
    assert "fleet: 2-127.0.0.1: unreachable" in proc.stderr
    assert (out / "report.md").is_file() and len(list((out / "hosts" / "1-localhost").iterdir())) == 1


def test_a_host_past_the_timeout_is_stopped_there_and_skipped(local_sshd, tmp_path: Path) -> None:
    hung = tmp_path / "hung-concbench"
    hung.write_text("#!/bin/sh\nexec sleep 30\n")  # never prints a report
    hung.chmod(0o755)
    proc = fleet(local_sshd, "localhost\n", tmp_path, "--timeout", 1, binary=hung)
    assert proc.returncode == 1
    assert host_statuses(tmp_path / "fleet") == {"1-localhost": "timeout"}
    assert "fleet: no host gave a report" in proc.stderr
    # The remote `timeout` ended the sleep and the run's temporary directory is gone.
    left = subprocess.run(["pgrep", "-f", f"{hung.name}|concbench-fleet\\..*/concbench"], capture_output=True, text=True)
    assert left.stdout == ""
    assert not [p for p in Path("/tmp").glob("concbench-fleet.*") if (p / "concbench").read_bytes() == hung.read_bytes()]


@pytest.mark.parametrize("args, message", [
    ([], "fleet: error: usage: fleet HOSTS_FILE"),
    (["/nonexistent/hosts"], "fleet: error: /nonexistent/hosts: cannot read the hosts file"),
    (["--timeout", "soon", "/dev/null"], "fleet: error: --timeout must be a whole number of seconds, got soon"),
    (["--bogus"], "fleet: error: unknown option --bogus"),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    proc = subprocess.run([str(FLEET), *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.startswith(message) and len(proc.stderr.strip().splitlines()) == 1
