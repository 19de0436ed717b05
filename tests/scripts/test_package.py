"""The package (cmake/Packaging.cmake): installed into a temporary prefix (no root needed), the .tar.gz's
contents, and where root and dpkg allow it, the .deb installed with apt, run from /tmp and purged.
All of it packs the build scripts/test already made (build/release, or CONCBENCH_TEST_BUILD_DIR): cpack
only copies and compresses, a few seconds. CONCBENCH_SKIP_DEB_TEST=1 skips the system-wide install."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from build_dir import BINARY, BUILD_DIR, ROOT, TINY

CPACK_CONFIG = BUILD_DIR / "CPackConfig.cmake"
DEB_DEPENDS = ["libbenchmark1debian", "libboost-fiber1.74.0", "libboost-context1.74.0", "libtbb12", "libfmt9",
               "python3-pandas", "python3-matplotlib", "python3-scipy"]

pytestmark = pytest.mark.skipif(not (BINARY.is_file() and CPACK_CONFIG.is_file()),
                                reason=f"{BUILD_DIR} has no concbench or no CPackConfig.cmake (scripts/test builds it)")


def run(*args: object, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300, **kwargs)
    assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def tiny_run(concbench: Path | str, cwd: Path, *extra: str) -> Path:
    """One tiny run; returns its report directory (the last line concbench prints)."""
    proc = run(concbench, *TINY, "--cores", "1", *extra, cwd=cwd)
    report = Path(proc.stdout.strip().splitlines()[-1])
    return report if report.is_absolute() else cwd / report


def cpack(generator: str, into: Path) -> Path:
    run("cpack", "--config", CPACK_CONFIG, "-G", generator, "-B", into)
    [package] = [p for p in into.iterdir() if p.name.endswith((".deb", ".tar.gz"))]
    return package


def test_installed_into_a_prefix_it_runs_and_charts_from_any_directory(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    run("cmake", "--install", BUILD_DIR, "--prefix", prefix)
    work = tmp_path / "work"
    work.mkdir()
    version = run(prefix / "bin" / "concbench", "--version", cwd=work).stdout
    assert version.startswith("concbench ") and "(git " in version and "flags: " in version and "-march=native" not in version

    report = tiny_run(prefix / "bin" / "concbench", work)  # no --out: reports/ under the current directory
    assert report.parent == work / "reports" and (report / "results.csv").is_file()
    run(prefix / "bin" / "concbench-plot", report, "--out", tmp_path / "chart", cwd=tmp_path)
    assert (tmp_path / "chart" / "report.md").is_file()
    compared = run(prefix / "bin" / "concbench-compare", report, report, cwd=tmp_path).stdout
    assert compared.startswith("### concbench comparison: 0 regressions")
    assert "HOSTS_FILE" in run(prefix / "bin" / "concbench-fleet", "--help").stdout

    if (BUILD_DIR / "concbench-peer-go").exists():  # the installed concbench finds the installed go peer
        go_report = tiny_run(prefix / "bin" / "concbench", work, "--models", "go", "--out", str(tmp_path / "go"))
        with (go_report / "results.csv").open() as f:
            go_rows = [r for r in csv.DictReader(f) if r["model"] == "go"]
        assert go_rows and {(r["status"], r["verified"]) for r in go_rows} == {("ok", "true")}

    # Nothing installed points into the source tree, and the wrappers left no byte code beside the scripts.
    for path in prefix.rglob("*"):
        if path.is_file() and path.suffix in {"", ".py"} and path.name != "concbench":  # wrappers and scripts
            assert str(ROOT) not in path.read_text(errors="replace"), path
    assert not list(prefix.rglob("__pycache__"))


def test_the_tarball_holds_the_binary_the_scripts_and_the_docs(tmp_path: Path) -> None:
    tarball = cpack("TGZ", tmp_path)
    with tarfile.open(tarball) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for expected in ["bin/concbench", "bin/concbench-plot", "bin/concbench-compare", "bin/concbench-fleet",
                     "bin/concbench-tour", "share/concbench/scripts/tour.py",
                     "share/concbench/scripts/plot.py", "share/concbench/scripts/compare.py",
                     "share/concbench/scripts/fleet", "share/concbench/scripts/concbench_data/load.py",
                     "share/doc/concbench/README.md", "share/doc/concbench/fleet.md",
                     "share/doc/concbench/csv-schema.md", "share/concbench/peers/python/concbench_peer.py"]:
        assert expected in names, expected
    # The go model's peer travels beside the binary when the build had Go (cmake/GoPeer.cmake).
    assert ("bin/concbench-peer-go" in names) == (BUILD_DIR / "concbench-peer-go").exists()


def test_packing_refuses_a_build_tuned_to_this_cpu() -> None:
    script = ROOT / "cmake" / "check_portable.cmake"
    refused = subprocess.run(["cmake", "-DCPACK_CONCBENCH_CXX_FLAGS=-O3 -march=native", "-P", str(script)],
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "refusing to package" in refused.stderr
    assert subprocess.run(["cmake", "-DCPACK_CONCBENCH_CXX_FLAGS=-O3 -DNDEBUG", "-P", str(script)]).returncode == 0


def deb_test_skip_reason() -> str | None:
    if os.environ.get("CONCBENCH_SKIP_DEB_TEST") == "1":
        return "CONCBENCH_SKIP_DEB_TEST=1"
    if os.geteuid() != 0 or shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        return "installing the .deb needs root, apt-get and dpkg-deb"
    installed = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "concbench"], capture_output=True, text=True)
    if "installed" in installed.stdout:
        return "a concbench package is already installed on this machine; the test would replace it"
    return None


@pytest.mark.skipif(deb_test_skip_reason() is not None, reason=str(deb_test_skip_reason()))
def test_the_deb_installs_with_its_dependencies_runs_from_tmp_and_purges_cleanly(tmp_path: Path) -> None:
    deb = cpack("DEB", tmp_path)
    depends = run("dpkg-deb", "-f", deb, "Depends").stdout
    declared = {item.strip().split(" ")[0] for item in depends.split(",")}
    assert set(DEB_DEPENDS) <= declared, depends
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", deb, env=env)
        assert shutil.which("concbench") == "/usr/bin/concbench"
        work = tmp_path / "work"
        work.mkdir()
        report = tiny_run("/usr/bin/concbench", work, "--out", str(tmp_path / "pkgrun"))
        assert report.parent == tmp_path / "pkgrun" and (report / "machine.json").is_file()
        # Called directly, not through the wrapper: Python writes byte code beside the script (as root).
        run("/usr/bin/python3", "/usr/share/concbench/scripts/plot.py", report, cwd=work)
        assert (report / "report.md").is_file()
    finally:
        purged = subprocess.run(["apt-get", "purge", "-y", "-qq", "concbench"], capture_output=True, text=True, env=env)
    assert purged.returncode == 0, purged.stderr
    assert not Path("/usr/share/concbench").exists() and not Path("/usr/share/doc/concbench").exists()
    assert not list(Path("/usr/bin").glob("concbench*"))
