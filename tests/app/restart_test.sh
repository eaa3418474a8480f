#!/usr/bin/env bash
# Checkpoint and exact restart, end to end:
#  1. a run stopped part-way (--stop-at-day, and Ctrl-C) and resumed is bit-identical,
#     in every HDF5 dataset and in metrics.csv, to the same run done in one go;
#  2. a run killed with SIGKILL leaves run.h5, run.xdmf and metrics.csv readable up to
#     the last complete snapshot, and can be resumed.
# Usage: restart_test.sh BONESIM PYTHON SOURCE_DIR
set -uo pipefail
bin="$1"
py="$2"
src="$3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { if "$@"; then ok; else bad "$*"; fi; }

cat >"$work/run.yaml" <<YAML
run:
  days: 6
  dt_days: 0.5
  seed: 11
  output:
    metrics_interval_days: 1
    lattice_interval_days: 1
    cells_interval_days: 0.5
    checkpoint_interval_days: 2
    fields_interval_days: 1
lattice:
  synthetic: {size_voxels: [64, 60, 56]}
fields:   # non-zero fields, so their restart is tested too
  rankl: {boundary: {all: fixed, fixed_value_pM: 5}}
  opg: {boundary: {x_min: fixed, y_max: periodic, y_min: periodic, fixed_value_pM: 100}}
mechanics:   # solved at days 0, 2 and 4: the stops at 2.5 and 4 fall between solves
  enabled: true
  interval_days: 2
  load_cases: [{axis: z}, {axis: x, lateral: confined}]
interventions:
  - {type: load, start_day: 3, end_day: 5, load_factor: 0.2}
YAML

check "$bin" run "$work/run.yaml" -q -o "$work/whole"
check "$bin" run "$work/run.yaml" -q -o "$work/parts" --stop-at-day 2.5
check test -f "$work/parts/checkpoints/step_00000005.h5"
check "$bin" run -q --resume "$work/parts" --stop-at-day 4
check "$bin" run -q --resume "$work/parts"
check cmp "$work/whole/metrics.csv" "$work/parts/metrics.csv"
# config_yaml differs in run.output.directory only; every dataset must be equal.
check "$py" "$src/tools/compare_runs.py" --ignore-attr config_yaml "$work/whole" "$work/parts"

# Ctrl-C part-way, then resume: the same result again.
"$bin" run "$work/run.yaml" -q -o "$work/sigint" --set run.days=400 &
pid=$!
for _ in $(seq 1 300); do
  [ -n "$(ls "$work/sigint/snapshots" 2>/dev/null | sed -n 4p)" ] && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] && ok || bad "Ctrl-C exit status $status, expected 130"
check test -n "$(ls "$work/sigint/checkpoints")"
check "$bin" run -q --resume "$work/sigint" --set run.days=6
check cmp "$work/whole/metrics.csv" "$work/sigint/metrics.csv"

# SIGKILL at an arbitrary moment: what is on disk stays readable, and resumable.
"$bin" run "$work/run.yaml" -q -o "$work/killed" --set run.days=4000 \
  --set run.output.checkpoint_interval_days=1 &
pid=$!
for _ in $(seq 1 300); do
  [ -n "$(ls "$work/killed/snapshots" 2>/dev/null | sed -n 6p)" ] && break
  sleep 0.1
done
sleep 0.$((RANDOM % 10))
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "$py" "$src/tests/app/killed_run_check.py" "$work/killed"
# Resume from the newest checkpoint that survived, run 2 more days, and compare with
# a run that went to the same day in one go.
# (a kill during a checkpoint write leaves a step_N.h5.tmp.PID beside them: not one)
step=$(ls "$work/killed/checkpoints" | grep -E '^step_[0-9]{8}\.h5$' | tail -n 1 |
  sed 's/^step_0*//; s/\.h5$//')
days=$(( ${step:-0} / 2 + 2 ))
check "$bin" run -q --resume "$work/killed" --set run.days=$days
check "$bin" run "$work/run.yaml" -q -o "$work/ref" --set run.days=$days \
  --set run.output.checkpoint_interval_days=1
check cmp "$work/ref/metrics.csv" "$work/killed/metrics.csv"
check "$py" "$src/tools/compare_runs.py" --ignore-attr config_yaml "$work/ref" "$work/killed"

echo "restart_test: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
