#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), builds bonesim and runs the whole
# test suite: unit, validation, regression, command-line and fuzz tests.
#   tools/test.sh [ctest arguments...]     e.g. tools/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
