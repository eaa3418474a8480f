#!/usr/bin/env bash
# bonesim sweep end to end on tiny runs (docs/SWEEPS.md):
#   sweep_test.sh BONESIM WORK_DIR [MPIRUN]
# locally with --jobs 2; again (every run skipped); under mpirun -np 2 (identical summary);
# as a SLURM array whose tasks are run by hand, then --collect (identical summary); with
# an invalid, a failing and a crashing run (the others complete, exit 1); interrupted and run again
# (finished runs are not redone).
set -euo pipefail
bin=$1
work=$2
mpirun=${3:-}
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() { echo "sweep_test: FAIL: $*" >&2; exit 1; }
# summary.csv without its wall_s column (4), which differs from run to run.
stable() { cut -d, -f1-3,5- "$1"; }

cat > base.yaml <<'EOF'
run:
  days: 8
  dt_days: 0.5
  seed: 3
  output: {metrics_interval_days: 2, lattice_interval_days: 1000, fields_interval_days: 1000,
           cells_interval_days: 1000, checkpoint_interval_days: 1000, thickness_interval_days: 4}
lattice:
  voxel_size_um: 20
  synthetic: {size_voxels: [40, 40, 40], bv_tv: 0.25, tb_th_um: 100}
cells: {precursors: {supply_per_mm2_per_day: 2.0}}
EOF
cat > sweep.yaml <<'EOF'
base: base.yaml
output: out_local
parameters:
  - {key: cells.precursors.fusion_per_day, values: [0.2, 0.8]}
  - {key: cells.osteoclasts.lifespan_days, from: 7, to: 21, count: 2}
  - {key: cells.t_cells.rankl_pM_per_day, distribution: log_uniform, low: 1000, high: 100000}
samples: 2
metrics:
  - {name: bv_tv_end, column: bv_tv}
  - {name: osteoclasts_max, column: osteoclasts, reduce: max}
  - {name: resorbed_mean, column: resorbed_mm3_per_day, reduce: mean, from_day: 2}
EOF

# 1. Locally, two runs at a time.
"$bin" -q sweep sweep.yaml --jobs 2 > local.out || fail "local sweep exited $?"
[ "$(grep -c ',ok,' out_local/summary.csv)" = 8 ] || fail "not 8 ok runs: $(cat out_local/summary.csv)"
head -1 out_local/summary.csv | grep -q '^run_id,status,exit_code,wall_s,seed,cells.precursors.fusion_per_day,cells.osteoclasts.lifespan_days,cells.t_cells.rankl_pM_per_day,bv_tv_end,osteoclasts_max,resorbed_mean,error$' \
  || fail "summary header: $(head -1 out_local/summary.csv)"
grep -q '^osteoclasts_max,cells.precursors.fusion_per_day,0\.9' out_local/sensitivity.csv \
  || fail "osteoclasts_max should rise with fusion: $(cat out_local/sensitivity.csv)"
h5ls out_local/summary.h5/runs | grep -q 'bv_tv_end' || fail "summary.h5 has no /runs/bv_tv_end"
h5ls out_local/summary.h5/sensitivity | grep -q 'prcc' || fail "summary.h5 has no /sensitivity/prcc"
[ -f out_local/runs/run_000003/config.yaml ] || fail "a run's effective config is missing"

# 2. Again: nothing to do.
cp -p out_local/runs/run_000000/sweep_run.yaml record_before.yaml
"$bin" sweep sweep.yaml > again.out 2>&1 || fail "second sweep exited $?"
grep -q '8 of 8 runs ok (0 started here, 8 completed before)' again.out || fail "rerun redid runs: $(cat again.out)"
cmp -s record_before.yaml out_local/runs/run_000000/sweep_run.yaml || fail "a finished run was redone"

# 3. Under MPI: the same summary.
if [ -n "$mpirun" ] && "$mpirun" --allow-run-as-root --oversubscribe -np 2 true > /dev/null 2>&1; then
  # OpenMPI leaks at MPI_Finalize (its own and its plugins' allocations): LeakSanitizer
  # is off for these ranks only; the sweep's own code runs under it everywhere else.
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    "$mpirun" --allow-run-as-root --oversubscribe -np 2 -x ASAN_OPTIONS "$bin" -q sweep sweep.yaml \
    -o out_mpi || fail "mpirun sweep exited $?"
  diff <(stable out_local/summary.csv) <(stable out_mpi/summary.csv) || fail "MPI summary differs"
  diff out_local/sensitivity.csv out_mpi/sensitivity.csv || fail "MPI sensitivity differs"
else
  echo "sweep_test: mpirun not usable here; the MPI part was not run" >&2
fi

# 4. As a SLURM job array of 3 tasks, run by hand, then --collect.
"$bin" sweep sweep.yaml -o out_slurm --emit-slurm --slurm-tasks 3 > /dev/null || fail "emit-slurm"
grep -q '^#SBATCH --array=0-2$' out_slurm/sweep.sbatch || fail "array line: $(cat out_slurm/sweep.sbatch)"
if bash out_slurm/sweep.sbatch > /dev/null 2>&1; then fail "the script ran outside an array task"; fi
for t in 0 1 2; do
  SLURM_ARRAY_TASK_ID=$t bash out_slurm/sweep.sbatch > "task$t.out" || fail "array task $t exited $?"
done
[ ! -f out_slurm/summary.csv ] || fail "an array task wrote the summary"
"$bin" sweep sweep.yaml -o out_slurm --collect > /dev/null || fail "--collect exited $?"
diff <(stable out_local/summary.csv) <(stable out_slurm/summary.csv) || fail "SLURM summary differs"

# 5. An invalid and a failing run: reported, the others complete, exit 1.
echo "garbage" > bad.mhd
cat > failing.yaml <<EOF
base: base.yaml
output: out_failing
combine: zip
set: ["lattice.image.path=$work/bad.mhd"]
parameters:
  - {key: cells.osteoclasts.lifespan_days, values: [10, -1, 10, 12]}
  - {key: lattice.source, values: [synthetic, synthetic, image, synthetic]}
metrics:
  - {name: bv_tv_end, column: bv_tv}
EOF
set +e
"$bin" -q sweep failing.yaml 2> failing.err
status=$?
set -e
[ "$status" = 1 ] || fail "a sweep with failed runs exited $status, expected 1"
cut -d, -f2 out_failing/summary.csv | tr '\n' ' ' | grep -q '^status ok invalid failed ok $' \
  || fail "statuses: $(cat out_failing/summary.csv)"
grep -q "run_000001,invalid,2,.*cells.osteoclasts.lifespan_days: got '-1', expected a number > 0" out_failing/summary.csv \
  || fail "the invalid run's error: $(cat out_failing/summary.csv)"
grep -q "run_000002,failed,1,.*bad.mhd:1: expected 'Key = Value'" out_failing/summary.csv \
  || fail "the failed run's error: $(cat out_failing/summary.csv)"

# A run that crashes (killed by the kernel past a 2 s CPU limit) is recorded as well.
cat > crashing.yaml <<'EOF2'
base: base.yaml
output: out_crashing
parameters:
  - {key: run.days, values: [8, 2000]}
metrics:
  - {name: bv_tv_end, column: bv_tv}
EOF2
set +e
(ulimit -t 2; "$bin" -q sweep crashing.yaml --threads 1 2> crashing.err)
status=$?
set -e
[ "$status" = 1 ] || fail "a sweep with a crashed run exited $status, expected 1"
grep -q '^run_000000,ok,' out_crashing/summary.csv || fail "crashing sweep: $(cat out_crashing/summary.csv)"
grep -Eq '^run_000001,failed,1[0-9]{2},.*killed by signal [0-9]+' out_crashing/summary.csv \
  || fail "the crashed run's record: $(cat out_crashing/summary.csv)"

# 6. Interrupted after the first run, then run again: the first is not redone.
sed -e 's/days: 8$/days: 40/' base.yaml > slow.yaml
cat > slow_sweep.yaml <<'EOF'
base: slow.yaml
output: out_slow
parameters:
  - {key: cells.osteoclasts.lifespan_days, values: [8, 10, 12, 14]}
metrics:
  - {name: bv_tv_end, column: bv_tv}
EOF
"$bin" -q sweep slow_sweep.yaml --jobs 1 --threads 1 2> slow.err &
pid=$!
for _ in $(seq 600); do
  grep -qs 'status: ok' out_slow/runs/run_000000/sweep_run.yaml && break
  sleep 0.05
done
grep -qs 'status: ok' out_slow/runs/run_000000/sweep_run.yaml || fail "the first slow run never completed"
kill -INT "$pid"
set +e
wait "$pid"
status=$?
set -e
[ "$status" = 130 ] || fail "an interrupted sweep exited $status, expected 130"
[ "$(grep -c ',ok,' out_slow/summary.csv)" -lt 4 ] || fail "every run completed before the interrupt"
cp -p out_slow/runs/run_000000/sweep_run.yaml slow_before.yaml
"$bin" sweep slow_sweep.yaml --jobs 2 > resumed.out 2>&1 || fail "resumed sweep exited $?"
grep -q '4 of 4 runs ok' resumed.out || fail "resumed sweep: $(cat resumed.out)"
cmp -s slow_before.yaml out_slow/runs/run_000000/sweep_run.yaml || fail "the finished run was redone"
echo "sweep_test: all passed"
