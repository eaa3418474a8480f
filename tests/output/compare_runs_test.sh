#!/bin/sh
# compare_runs_test.sh PYTHON WRITER WORKDIR: tools/compare_runs.py on runs made by
# write_test_run: identical runs -> 0, a perturbed voxel -> 1 (and 0 again within a
# tolerance), bad usage -> 2.
set -u
python=$1 writer=$2 work=$3
tool="$(dirname "$0")/../../tools/compare_runs.py"
rm -rf "$work" && mkdir -p "$work" || exit 1
"$writer" "$work/a" && "$writer" "$work/b" && "$writer" "$work/c" --perturb || exit 1
failed=0
expect() {  # expect STATUS ARGS...
  want=$1
  shift
  "$python" "$tool" "$@" > "$work/out.txt" 2>&1
  got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: compare_runs.py $* exited $got, expected $want"
    cat "$work/out.txt"
    failed=1
  fi
}
expect 0 "$work/a" "$work/b"
expect 1 "$work/a" "$work/c"
grep -q "snapshots/step_00000020.h5:/lattice/bone: max abs diff" "$work/out.txt" ||
  { echo "FAIL: the perturbed dataset is not named"; cat "$work/out.txt"; failed=1; }
expect 0 "$work/a" "$work/c" --atol 0.01
expect 0 "$work/a/snapshots/step_00000000.h5" "$work/c/snapshots/step_00000000.h5"
expect 1 "$work/a/checkpoints/step_00000020.h5" "$work/c/checkpoints/step_00000020.h5"
expect 2 "$work/a"
expect 2 "$work/a" "$work/nonexistent"
expect 2 "$work/a" "$work/a/run.h5"
[ "$failed" -eq 0 ] && echo "compare_runs_test: all passed"
exit "$failed"
