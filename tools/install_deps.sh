#!/usr/bin/env bash
# Installs, from Debian 12 packages, whatever bonesim needs that is missing.
# Idempotent: packages already installed are left alone and apt is not even
# called when nothing is missing. Run as root (or with sudo available).
#
#   tools/install_deps.sh            # build + test + tools dependencies
#   tools/install_deps.sh --no-viz   # skip ParaView and Xvfb (large)
set -euo pipefail

with_viz=1
for arg in "$@"; do
  case "$arg" in
    --no-viz) with_viz=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install_deps.sh: unknown option '$arg' (expected --no-viz or --help)" >&2; exit 2 ;;
  esac
done

packages=(
  # toolchain
  build-essential cmake ninja-build git pkg-config clang clang-format libclang-rt-14-dev
  # libraries
  libtbb-dev libeigen3-dev libvtk9-dev libhdf5-dev hdf5-tools libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev libopenmpi-dev openmpi-bin zlib1g-dev
  libcli11-dev libspdlog-dev libfmt-dev librandom123-dev
  # python tools
  python3 python3-numpy python3-h5py python3-matplotlib
)
if [ "$with_viz" = 1 ]; then
  packages+=(paraview xvfb xauth)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install_deps.sh: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install_deps.sh: all ${#packages[@]} packages already installed"
else
  echo "install_deps.sh: installing ${#missing[@]} missing packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# pvpython: Debian 12 ships it in python3-paraview, which conflicts with python3-vtk9
# (a dependency of libvtk9-dev). It is unpacked beside the system, in /opt/pvpython,
# where it runs against the installed paraview libraries.
pvpython_dir=/opt/pvpython
if [ "$with_viz" = 1 ] && [ ! -x "$pvpython_dir/usr/bin/pvpython" ]; then
  echo "install_deps.sh: unpacking python3-paraview (pvpython) into $pvpython_dir"
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  if ! (cd "$tmp" && apt-get download -q python3-paraview); then
    "${sudo_cmd[@]}" apt-get update -q
    (cd "$tmp" && apt-get download -q python3-paraview)
  fi
  "${sudo_cmd[@]}" mkdir -p "$pvpython_dir"
  "${sudo_cmd[@]}" dpkg-deb -x "$tmp"/python3-paraview_*.deb "$pvpython_dir"
  rm -rf "$tmp"
fi
