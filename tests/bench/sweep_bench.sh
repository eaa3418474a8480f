#!/usr/bin/env bash
# Sweep overhead and MPI scaling (docs/SWEEPS.md), measured in one run on this machine:
#   tests/bench/sweep_bench.sh BONESIM [WORK_DIR] [RUNS] [DAYS]
# 1. Per-run overhead: RUNS tiny runs (40^3 voxels, DAYS days (20), 1 thread) through
#    `bonesim sweep --jobs 1` against the same runs started one after another with
#    `bonesim run`: (sweep wall - direct wall) / direct wall.
# 2. MPI: the same sweep under `mpirun -np 1` and `-np 2` (1 thread per run): the speed-up.
set -euo pipefail
bin=$(realpath "$1")
work=${2:-/tmp/bonesim_sweep_bench}
runs=${3:-8}
days=${4:-20}
rm -rf "$work"
mkdir -p "$work"
cd "$work"
cat > base.yaml <<YAML
run:
  days: $days
  dt_days: 0.25
  seed: 1
  output: {metrics_interval_days: 5, lattice_interval_days: 1000, fields_interval_days: 1000,
           cells_interval_days: 1000, checkpoint_interval_days: 1000}
lattice:
  synthetic: {size_voxels: [40, 40, 40], bv_tv: 0.25, tb_th_um: 100}
cells: {precursors: {supply_per_mm2_per_day: 2.0}}
YAML
values=$(seq -s, 1 "$runs" | sed 's/\([0-9]*\)/1\1/g')  # 11,12,...: osteoclast lifespans
cat > sweep.yaml <<YAML
base: base.yaml
output: out
parameters:
  - {key: cells.osteoclasts.lifespan_days, values: [$values]}
metrics:
  - {name: bv_tv_end, column: bv_tv}
YAML
now() { date +%s.%N; }
t0=$(now)
for v in $(echo "$values" | tr , ' '); do
  "$bin" -q run base.yaml -o "direct/$v" --overwrite --threads 1 \
    --set "cells.osteoclasts.lifespan_days=$v"
done
t1=$(now)
"$bin" -q sweep sweep.yaml --jobs 1 --threads 1 -o sweep1
t2=$(now)
calc() { awk "BEGIN { print $1 }"; }
direct=$(calc "$t1 - $t0")
swept=$(calc "$t2 - $t1")
printf 'runs: %d tiny runs (40^3, %s days, 1 thread)\n' "$runs" "$days"
printf 'direct (bonesim run, one after another): %.2f s, %.3f s per run\n' "$direct" "$(calc "$direct / $runs")"
printf 'bonesim sweep --jobs 1: %.2f s; overhead %.1f %% of a run\n' "$swept" "$(calc "100 * ($swept - $direct) / $direct")"
if command -v mpirun > /dev/null; then
  mpi=(mpirun --allow-run-as-root --oversubscribe)
  t3=$(now)
  "${mpi[@]}" -np 1 "$bin" -q sweep sweep.yaml --threads 1 -o mpi1
  t4=$(now)
  "${mpi[@]}" -np 2 "$bin" -q sweep sweep.yaml --threads 1 -o mpi2
  t5=$(now)
  one=$(calc "$t4 - $t3")
  two=$(calc "$t5 - $t4")
  printf 'mpirun -np 1: %.2f s; -np 2: %.2f s; speed-up %.2fx\n' "$one" "$two" "$(calc "$one / $two")"
fi
