# Shared by scripts/run and scripts/test: find the tree, install what is missing, build a preset.
# Sourced, not run.

CONCBENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Debian 12 packages concbench needs to build, run, chart and test (scripts/run and scripts/test).
CONCBENCH_PACKAGES=(
  g++ cmake ninja-build git ccache
  libbenchmark-dev libboost-fiber-dev libboost-context-dev libtbb-dev libfmt-dev libcli11-dev
  nlohmann-json3-dev libgtest-dev
  python3 python3-pandas python3-matplotlib python3-scipy python3-pytest
  python3-yaml libbenchmark-tools
  golang-go  # the go model's peer (peers/go), built by CMake when Go is installed
  ansible-core  # scripts/fleet runs fleet/playbook.yml
)
# What only the tests need (scripts/test): a user who runs the suite does not install a browser.
CONCBENCH_TEST_PACKAGES=(
  chromium  # tests/scripts/test_report_browser.py renders report.html headless
  python3-pytest-xdist  # scripts/test runs pytest on every CPU
)

say() { printf '%s\n' "$*" >&2; }

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s\n' "$pkg"
  done
}

# Installs missing packages with apt when run as root; otherwise says exactly what to install.
ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "concbench: not a Debian-based system; install the equivalents of: ${CONCBENCH_PACKAGES[*]}"
    return 0
  fi
  local missing
  local wanted=("${CONCBENCH_PACKAGES[@]}")
  [ "${1:-}" = test ] && wanted+=("${CONCBENCH_TEST_PACKAGES[@]}")
  mapfile -t missing < <(missing_packages "${wanted[@]}")
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "concbench: missing Debian packages: ${missing[*]}"
    say "concbench: install them with: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "concbench: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Debian's interpreter, which sees the python3-* packages (a pyenv `python3` on PATH does not).
script_python() {
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}

# build_preset PRESET [TARGET...]: configure (once) and build with CMakePresets.json.
build_preset() {
  local preset="$1"; shift
  local targets=()
  for target in "$@"; do targets+=(--target "$target"); done
  (cd "$CONCBENCH_ROOT" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" "${targets[@]}")
}
