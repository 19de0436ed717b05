"""A throw-away sshd on a loopback port for the fleet tests: its own host key, client key, config and
known_hosts in a temporary directory, stopped and deleted afterwards. Skips (with the reason) where
there is no sshd and it cannot be installed."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")


@dataclass
class LocalSshd:
    port: int
    ssh_config: Path  # for ssh -F: Host localhost -> 127.0.0.1:port with the test's key
    home: Path  # an empty HOME for the client, so nothing touches the real ~/.ssh


def ensure_sshd() -> None:
    """Installs Debian's openssh-server when it is missing and we are root; skips otherwise. The
    package's postinst must not start a system sshd, so a policy-rc.d forbids it for the install."""
    if SSHD.is_file():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("no /usr/sbin/sshd (Debian: openssh-server) and not root to install it")
    policy = Path("/usr/sbin/policy-rc.d")
    made_policy = not policy.exists()
    if made_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        proc = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "openssh-server"],
                              capture_output=True, text=True, env=env, timeout=600)
    finally:
        if made_policy:
            policy.unlink()
    if proc.returncode != 0 or not SSHD.is_file():
        pytest.skip(f"could not install openssh-server: {proc.stderr.strip().splitlines()[-1:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"sshd exited with {server.returncode}: {server.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("sshd did not listen within 10 s")


def keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


@pytest.fixture(scope="module")
def local_sshd():
    ensure_sshd()
    privsep = Path("/run/sshd")  # sshd started by root wants its privilege separation directory
    made_privsep = os.geteuid() == 0 and not privsep.exists()
    with tempfile.TemporaryDirectory(prefix="concbench-sshd-") as tmp:
        root = Path(tmp)
        (root / "home").mkdir()
        keygen(root / "host_key")
        keygen(root / "client_key")
        shutil.copy(root / "client_key.pub", root / "authorized_keys")
        port = free_port()
        (root / "sshd_config").write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {root}/host_key\nPidFile {root}/sshd.pid\n"
            f"AuthorizedKeysFile {root}/authorized_keys\nPubkeyAuthentication yes\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
            "Subsystem sftp internal-sftp\n")
        (root / "ssh_config").write_text(
            f"Host localhost\n  HostName 127.0.0.1\n  Port {port}\n  User {getpass.getuser()}\n"
            f"  IdentityFile {root}/client_key\n  IdentitiesOnly yes\n  UserKnownHostsFile {root}/known_hosts\n"
            "  StrictHostKeyChecking no\n  LogLevel ERROR\n")
        if made_privsep:
            privsep.mkdir(mode=0o755)
        server = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(root / "sshd_config")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            try:
                wait_for_port(port, server)
            except RuntimeError as error:
                if os.geteuid() == 0:
                    raise
                pytest.skip(f"sshd does not start for a non-root user here: {error}")
            yield LocalSshd(port, root / "ssh_config", root / "home")
        finally:
            server.terminate()
            server.wait(timeout=10)
            if made_privsep:
                shutil.rmtree(privsep, ignore_errors=True)
