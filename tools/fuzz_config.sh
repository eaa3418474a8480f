#!/usr/bin/env bash
# Fuzzes the config loader with libFuzzer (clang, ASan + UBSan) for a while.
#   tools/fuzz_config.sh [--seconds N] [--build-dir DIR]
# Exit status 0: no crash found. Crashing inputs are left in DIR/crashes/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=30
build="$here/build-fuzz"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    *) echo "fuzz_config.sh: unknown option '$1' (expected --seconds N or --build-dir DIR)" >&2; exit 2 ;;
  esac
done
command -v clang++ >/dev/null || { echo "fuzz_config.sh: clang++ not found (tools/install_deps.sh installs it)" >&2; exit 1; }

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DBONESIM_FUZZ=ON -DBONESIM_BUILD_TESTS=OFF -DBONESIM_BUILD_BENCH=OFF \
  -DBONESIM_WITH_VTK=OFF >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
cmake --build "$build" --target config_fuzz >"$build.build.log" 2>&1 || { tail -n 40 "$build.build.log"; exit 1; }

corpus="$build/corpus"
mkdir -p "$corpus" "$build/crashes"
cp "$here"/configs/*.yaml "$corpus"/
"$build/tests/fuzz/config_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -dict="$here/tests/fuzz/config.dict" -artifact_prefix="$build/crashes/" -print_final_stats=1 \
  "$corpus" 2>"$build/fuzz.log" || { tail -n 40 "$build/fuzz.log"; exit 1; }
grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz.log" | sed 's/^/fuzz_config.sh: /'
echo "fuzz_config.sh: no crash in ${seconds}s"
