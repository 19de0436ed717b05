"""The fleet (fleet/playbook.yml, and scripts/fleet over it) against localhost through a throw-away sshd
(tests/scripts/sshd.py): two "hosts" (localhost twice, different --cores) merge into one report; an
unreachable, failing or hung host is reported and skipped and the others kept; bad input stops it early.
The package is installed on the "remote" the way a user without root would: the .tar.gz, unpacked in
the run's temporary directory there."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from build_dir import BINARY, BUILD_DIR, ROOT, TINY, needs_binary
from sshd import local_sshd  # noqa: F401  (a fixture)

FLEET = ROOT / "scripts" / "fleet"
PLAYBOOK = ROOT / "fleet" / "playbook.yml"
ANSIBLE_PLAYBOOK = shutil.which("ansible-playbook")
needs_ansible = pytest.mark.skipif(ANSIBLE_PLAYBOOK is None, reason="no ansible-playbook (Debian: ansible-core)")
needs_cpack = pytest.mark.skipif(not (BUILD_DIR / "CPackConfig.cmake").is_file(),
                                 reason=f"{BUILD_DIR} has no CPackConfig.cmake (scripts/test builds it)")


def ansible_env(sshd, tmp_path: Path) -> dict[str, str]:
    """The client's HOME in the sshd's directory, and Ansible's files on the "remote" (this machine, as
    this user) under tmp_path rather than in the real home."""
    return {**os.environ, "HOME": str(sshd.home), "ANSIBLE_REMOTE_TMP": str(tmp_path / "remote-tmp"),
            "ANSIBLE_CONFIG": str(ROOT / "fleet" / "ansible.cfg")}


def fleet(sshd, hosts: str, tmp_path: Path, *args: object, binary: Path | None = BINARY,
          command: Path = FLEET) -> subprocess.CompletedProcess:
    (tmp_path / "hosts").write_text(hosts)
    return subprocess.run([str(command), str(tmp_path / "hosts"), "--out", str(tmp_path / "fleet"), "--ssh-config",
                           str(sshd.ssh_config), *(["--binary", str(binary)] if binary else []), *map(str, args)],
                          capture_output=True, text=True, env=ansible_env(sshd, tmp_path), timeout=300)


def playbook(inventory: dict, tmp_path: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    (tmp_path / "inventory.yml").write_text(json.dumps(inventory))  # JSON is YAML
    return subprocess.run([str(ANSIBLE_PLAYBOOK), "-i", str(tmp_path / "inventory.yml"), str(PLAYBOOK),
                           "-e", json.dumps({"fleet_out": str(tmp_path / "fleet")})],
                          capture_output=True, text=True, env=env or {**os.environ, "HOME": str(tmp_path),
                                                        "ANSIBLE_REMOTE_TMP": str(tmp_path / "remote-tmp")}, timeout=300)


def host_statuses(out: Path) -> dict[str, str]:
    return {line.split("\t")[0]: line.split("\t")[1] for line in (out / "fleet.tsv").read_text().splitlines()}


def rows(run: Path) -> list[dict[str, str]]:
    with (run / "results.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The build's .tar.gz (cpack only copies and compresses: seconds) and, unpacked beside it, the
    installed tree whose bin/concbench-fleet runs share/concbench/fleet/playbook.yml."""
    into = tmp_path_factory.mktemp("package")
    subprocess.run(["cpack", "--config", str(BUILD_DIR / "CPackConfig.cmake"), "-G", "TGZ", "-B", str(into)],
                   check=True, capture_output=True, timeout=300)
    [tarball] = into.glob("*.tar.gz")
    with tarfile.open(tarball) as archive:
        archive.extractall(into / "installed")
    return tarball


@needs_binary
@needs_cpack
@needs_ansible
def test_two_localhost_runs_with_different_cores_make_one_merged_report(local_sshd, package: Path,
                                                                        tmp_path: Path) -> None:
    # The installed concbench-fleet, and the same .tar.gz installed on the "remote" (no root there).
    [installed] = (package.parent / "installed").iterdir()
    proc = fleet(local_sshd, "# two runs on one machine\nlocalhost --cores 1\nlocalhost --cores 2  # all of it\n",
                 tmp_path, "--package", package, "--", *TINY, binary=None, command=installed / "bin" / "concbench-fleet")
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "fleet"
    assert proc.stdout.strip() == str(out)
    assert host_statuses(out) == {"1-localhost": "ok", "2-localhost": "ok"}
    runs = {label: list((out / "hosts" / label).iterdir()) for label in ("1-localhost", "2-localhost")}
    assert all(len(found) == 1 for found in runs.values()), runs
    thread_cores = {label: {r["cores"] for r in rows(found[0]) if r["model"] == "thread"} for label, found in runs.items()}
    assert thread_cores == {"1-localhost": {"1"}, "2-localhost": {"2"}}
    # Each run recorded its per-host options and the fleet's shared ones, and ran the package's binary.
    assert "--cores\n2\n" in (runs["2-localhost"][0] / "plan.args").read_text()
    command_line = json.loads((runs["1-localhost"][0] / "machine.json").read_text())["command_line"]
    assert "/concbench-fleet." in command_line and "/prefix/bin/concbench" in command_line
    report = (out / "report.md").read_text()
    for found in runs.values():  # the merged report names both runs
        assert found[0].name in report
    assert (out / "report.html").is_file() and list((out / "charts").glob("*.png"))
    # The inventory it ran, Ansible's output, and each host's concbench progress.
    assert "1-localhost:" in (out / "inventory.yml").read_text()
    assert "PLAY RECAP" in (out / "logs" / "ansible.log").read_text()
    assert "cells done" in (out / "logs" / "1-localhost.log").read_text()
    assert "fleet: 2 of 2 hosts reported" in proc.stderr
    assert not list(Path(tmp_path / "remote-tmp").glob("ansible-tmp-*"))


@needs_binary
@needs_ansible
def test_an_unreachable_host_is_reported_and_skipped_and_the_others_are_kept(local_sshd, tmp_path: Path) -> None:
    # Port 1 on loopback: connection refused. An option concbench refuses: it exits 2 there.
    proc = fleet(local_sshd, "localhost --cores 1\n127.0.0.1:1\nlocalhost --no-such-option\n", tmp_path,
                 "--timeout", 600, "--", *TINY)
    assert proc.returncode == 1
    out = tmp_path / "fleet"
    assert "concbench_timeout: 600\n" in (out / "inventory.yml").read_text()
    assert proc.stdout.strip() == str(out)
    assert host_statuses(out) == {"1-localhost": "ok", "2-127.0.0.1": "unreachable", "3-localhost": "concbench-exit-2"}
    assert "fleet: 2-127.0.0.1: unreachable" in proc.stderr and "Connection refused" in proc.stderr
    assert "fleet: 3-localhost: concbench-exit-2" in proc.stderr and "--no-such-option" in proc.stderr
    assert (out / "report.md").is_file() and len(list((out / "hosts" / "1-localhost").iterdir())) == 1
    assert not (out / "hosts" / "3-localhost").exists()
    assert "fleet: 1 of 3 hosts reported" in proc.stderr


@pytest.fixture(scope="module")
def own_inventory(local_sshd, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One ansible-playbook run over an inventory of one's own, with per-host binaries, packages, options and
    timeouts: a host that prints its options and exits 3, one that exits 0 silently, a .tar.gz that does not
    unpack and a host that hangs past its timeout. Returns the run and its directory."""
    tmp_path = tmp_path_factory.mktemp("own-inventory")
    says_args = script(tmp_path / "says-args", 'echo "concbench args: $*" >&2\nexit 3\n')
    silent = script(tmp_path / "silent", "exit 0\n")  # exits 0 but names no report directory
    hung = script(tmp_path / "hung-concbench", "exec sleep 30\n")  # never prints a report
    (tmp_path / "broken.tar.gz").write_text("not a tarball")
    inventory = {"concbench": {
        "vars": {"ansible_ssh_common_args": f"-F {local_sshd.ssh_config}", "concbench_common_args": "--quick --set a=b"},
        "hosts": {
            "args": {"ansible_host": "localhost", "concbench_binary": str(says_args), "concbench_cores": [1, 2],
                     "concbench_args": ["--models", "thread"]},
            "silent": {"ansible_host": "localhost", "concbench_binary": str(silent)},
            "broken": {"ansible_host": "localhost", "concbench_package": str(tmp_path / "broken.tar.gz")},
            "hung": {"ansible_host": "localhost", "concbench_binary": str(hung), "concbench_timeout": 1},
        }}}
    return playbook(inventory, tmp_path, ansible_env(local_sshd, tmp_path)), tmp_path / "fleet"


@needs_ansible
def test_the_playbook_reports_each_failing_host_and_exits_2(own_inventory) -> None:
    proc, out = own_inventory
    assert proc.returncode == 2, proc.stdout  # Ansible's "a host failed"
    assert host_statuses(out) == {"args": "concbench-exit-3", "silent": "no-report", "broken": "install-failed",
                                  "hung": "timeout"}
    assert "gzip" in (out / "logs" / "broken.log").read_text()  # tar's complaint
    assert "no host gave a report" in proc.stdout and not (out / "report.md").exists()


@needs_ansible
def test_each_host_runs_with_its_own_options_after_the_fleets(own_inventory) -> None:
    said = (own_inventory[1] / "logs" / "args.log").read_text()
    assert "concbench args: --out /tmp/concbench-fleet." in said
    assert said.split("/reports ", 1)[1].startswith("--cores 1,2 --models thread --quick --set a=b\n")


@needs_ansible
def test_a_host_past_the_timeout_is_stopped_there_and_skipped(own_inventory) -> None:
    proc, out = own_inventory
    assert host_statuses(out)["hung"] == "timeout"
    assert (out / "logs" / "hung.log").read_text() == "fleet: stopped by timeout after 1 s\n"
    # The remote `timeout` ended the sleep and the run's temporary directory is gone.
    hung = out.parent / "hung-concbench"
    left = subprocess.run(["pgrep", "-f", f"{hung}|concbench-fleet\\..*/concbench"], capture_output=True, text=True)
    assert left.stdout == ""
    # Other fleets (a test beside this one, an interrupted earlier run) may stand in /tmp too: only a copy of
    # this run's binary (its path is in its own temporary directory, newer than the run) counts.
    assert not [p for p in Path("/tmp").glob("concbench-fleet.*")
                if p.stat().st_mtime >= out.parent.stat().st_ctime and (p / "concbench").is_file()
                and (p / "concbench").read_bytes() == hung.read_bytes()]


@needs_ansible
def test_bad_options_in_the_inventory_stop_the_playbook_before_any_host(tmp_path: Path) -> None:
    inventory = {"concbench": {"hosts": {
        "fine": {"ansible_host": "127.0.0.1", "ansible_port": 1},
        "late": {"ansible_host": "127.0.0.1", "ansible_port": 1, "concbench_timeout": "soon"},
    }}}
    proc = playbook(inventory, tmp_path)
    assert proc.returncode == 2
    assert "late: concbench_timeout must be a whole number of seconds, got soon" in proc.stdout
    assert not (tmp_path / "fleet" / "fleet.tsv").exists()  # nothing ran, no host was tried
    assert "Connection refused" not in proc.stdout


@needs_ansible
def test_the_example_inventory_is_the_docs_and_uses_only_the_playbooks_variables(tmp_path: Path) -> None:
    example = ROOT / "fleet" / "inventory.example.yml"
    body = "".join(line for line in example.read_text().splitlines(keepends=True) if not line.startswith("#"))
    assert f"```yaml\n{body}```" in (ROOT / "docs" / "fleet.md").read_text()
    listed = subprocess.run(["ansible-inventory", "-i", str(example), "--list"],
                            capture_output=True, text=True, timeout=60, check=True,
                            env={**os.environ, "HOME": str(tmp_path)})  # Ansible's ~/.ansible there
    hostvars = json.loads(listed.stdout)["_meta"]["hostvars"]
    assert sorted(hostvars) == ["arm-box", "laptop-1core", "server", "x86-box"]
    documented = PLAYBOOK.read_text().split("\n\n", 1)[0]  # the header
    for host, variables in hostvars.items():
        for name in variables:
            assert name.startswith("ansible_") or f"#   {name} " in documented, (host, name)


@pytest.mark.parametrize("args, message", [
    ([], "fleet: error: usage: fleet HOSTS_FILE"),
    (["/nonexistent/hosts"], "fleet: error: /nonexistent/hosts: cannot read the hosts file"),
    (["--timeout", "soon", "/dev/null"], "fleet: error: --timeout must be a whole number of seconds, got soon"),
    (["--bogus"], "fleet: error: unknown option --bogus"),
    (["/dev/null"], "fleet: error: /dev/null: no hosts in it"),
    (["/dev/null", "--package", "/dev/null"], "fleet: error: --package /dev/null: neither a .deb nor a .tar.gz"),
    (["/dev/null", "--out"], "fleet: error: --out needs a directory"),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    proc = subprocess.run([str(FLEET), *args], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(message) and len(proc.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())  # no run directory made
