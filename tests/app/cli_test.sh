#!/usr/bin/env bash
# End-to-end tests of the bonesim command line: exit codes, messages, outputs,
# Ctrl-C. Usage: cli_test.sh BONESIM_BINARY SOURCE_DIR
set -uo pipefail
bin="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect_status WANT CMD...: runs CMD, keeps its stdout+stderr in $out
expect_status() {
  local want="$1"; shift
  out=$("$@" 2>&1); local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "'$*' exited $got, expected $want; output: $out"; fi
}
expect_output() {  # expect_output TEXT: $out contains TEXT
  if grep -qF -- "$1" <<<"$out"; then ok; else bad "output lacks '$1'; got: $out"; fi
}

small="$work/small.yaml"
cat >"$small" <<YAML
run:
  days: 2
  dt_days: 0.5
  output: {directory: $work/out, metrics_interval_days: 1}
lattice:
  synthetic: {size_voxels: [64, 64, 64]}
fields:   # non-zero fields (no cells make them yet)
  rankl: {boundary: {all: fixed, fixed_value_pM: 5}}
  opg: {boundary: {x_min: fixed, fixed_value_pM: 100}}
YAML

expect_status 0 "$bin" --version;            expect_output "bonesim 0."
expect_status 0 "$bin" --help;               expect_output "run"; expect_output "check"
expect_status 0 "$bin" run --help;           expect_output "--set"
expect_status 0 "$bin" check "$src/configs/default.yaml"; expect_output "ok"
expect_status 0 "$bin" config;               expect_output "voxel_size_um: 20"
expect_status 2 "$bin" check "$work/missing.yaml"; expect_output "missing.yaml: cannot open config file"
expect_status 2 "$bin" frobnicate

printf 'run:\n  days: ten\n  dayz: 3\nlatice: {}\n' >"$work/bad.yaml"
expect_status 2 "$bin" check "$work/bad.yaml"
expect_output "bad.yaml:2:9: run.days: got 'ten', expected a number"
expect_output "bad.yaml:3:3: run.dayz: unknown key; did you mean 'run.days'?"
expect_output "bad.yaml:4:1: latice: unknown key; did you mean 'lattice'?"
[ "$(grep -c 'error' <<<"$out")" -eq 3 ] && ok || bad "expected exactly 3 error lines: $out"
expect_status 2 "$bin" check "$small" --set run.dt_dayz=1; expect_output "did you mean 'run.dt_days'?"
expect_status 2 "$bin" check "$small" --set fields.opg.boundary.y_min=periodic
expect_output "fields.opg.boundary.y_max: y_min is periodic, so this face must be periodic too"
expect_status 2 "$bin" check "$small" --set fields.drug.boundary.all=periodic \
  --set 'lattice.synthetic.size_voxels=[64, 66, 64]'
expect_output "fields.drug.boundary.y_min: periodic along y needs an even number of field voxels, the lattice has 66 (33 with grid_coarsening 2)"
# An image's size is known only once it is read: the same rule, checked then.
printf 'ObjectType = Image\nNDims = 3\nDimSize = 8 7 6\nElementSpacing = 20 20 20\nBinaryData = True\nElementType = MET_UCHAR\nElementDataFile = img.raw\n' >"$work/img.mhd"
head -c 336 /dev/zero >"$work/img.raw"
printf 'run: {days: 1}\nlattice: {source: image, image: {path: %s, threshold_method: value, threshold: 1}}\nfields: {coupling: {boundary: {all: periodic}}}\n' "$work/img.mhd" >"$work/img.yaml"
expect_status 2 "$bin" run "$work/img.yaml" -q -o "$work/img_out"
expect_output "img.yaml: fields.coupling.boundary.y_min: periodic along y needs a lattice size divisible by grid_coarsening 2, the lattice has 7"

# A small run: outputs, effective config that loads back, provenance.
expect_status 0 "$bin" run "$small" -q
[ "$(wc -l <"$work/out/metrics.csv")" -eq 4 ] && ok || bad "metrics.csv should have header + 3 rows"
head -1 "$work/out/metrics.csv" | grep -q '^day,step,bv_tv,bs_bv_per_mm,tb_th_um,tb_sp_um,tb_n_per_mm,conn_d_per_mm3' && ok || bad "metrics header"
expect_status 0 "$bin" check "$work/out/config.yaml"
for key in version git_commit seed threads host started_utc command_line; do
  grep -q "^$key:" "$work/out/provenance.yaml" && ok || bad "provenance.yaml lacks $key"
done
# Same config, same seed: the same numbers, at 1 and 2 threads.
expect_status 0 "$bin" run "$small" -q -o "$work/out1" --threads 1
expect_status 0 "$bin" run "$small" -q -o "$work/out2" --threads 2
cmp -s "$work/out1/metrics.csv" "$work/out2/metrics.csv" && ok || bad "metrics differ between 1 and 2 threads"

# Existing runs are never overwritten silently; unwritable outputs are clear errors.
expect_status 1 "$bin" run "$small" -q;  expect_output "already holds a run"
expect_status 0 "$bin" run "$small" -q --overwrite
touch "$work/afile"
expect_status 1 "$bin" run "$small" -q -o "$work/afile/sub"; expect_output "cannot create output directory"

# Ctrl-C: finish the step, keep complete rows, exit 130.
"$bin" run "$small" -q -o "$work/int" --set run.days=2000 --set run.output.metrics_interval_days=0.5 &
pid=$!
for _ in $(seq 1 300); do
  [ -f "$work/int/metrics.csv" ] && [ "$(wc -l <"$work/int/metrics.csv")" -ge 3 ] && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"; status=$?
[ "$status" -eq 130 ] && ok || bad "Ctrl-C exit status $status, expected 130"
awk -F, 'NR == 1 { n = NF } NR > 1 && NF != n { exit 1 }' "$work/int/metrics.csv" && ok || bad "incomplete metrics row after Ctrl-C"
[ "$(tail -c 1 "$work/int/metrics.csv" | od -An -c | tr -d ' ')" = '\n' ] && ok || bad "metrics.csv does not end in a newline"

[ -n "$(ls "$work/int/checkpoints" 2>/dev/null)" ] && ok || bad "no checkpoint after Ctrl-C"

# SIGTERM (what SLURM sends before a time limit): the same, with status 143.
"$bin" run "$small" -q -o "$work/term" --set run.days=2000 &
pid=$!
for _ in $(seq 1 300); do
  [ -f "$work/term/metrics.csv" ] && [ "$(wc -l <"$work/term/metrics.csv")" -ge 3 ] && break
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid"; status=$?
[ "$status" -eq 143 ] && ok || bad "SIGTERM exit status $status, expected 143"
[ -n "$(ls "$work/term/checkpoints" 2>/dev/null)" ] && ok || bad "no checkpoint after SIGTERM"
expect_status 0 "$bin" run -q --resume "$work/term" --set run.days=3
expect_status 2 "$bin" run -q --resume "$work/term" -o "$work/elsewhere"
expect_status 2 "$bin" run -q --resume "$work/afile"; expect_output "afile/config.yaml: cannot open config file"

echo "cli_test: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
