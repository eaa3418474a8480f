#!/usr/bin/python3
"""Checks tools/plot_sweep.py on a sweep of four tiny bonesim runs.

    plot_sweep_check.py --bonesim PATH/TO/bonesim --work DIR

Runs the sweep, draws tornado.png and scatter.png (all metrics, then one with
--metrics), and expects exit status 1 with a one-line error naming the file for a
directory without summary.csv and for an unknown metric. Exit 0 when every check passes.
"""
import argparse
import os
import shutil
import subprocess
import sys

from check_support import check, failures, is_png, run_tool


BASE = """run:
  days: 6
  dt_days: 0.5
  output: {metrics_interval_days: 2, lattice_interval_days: 1000, fields_interval_days: 1000,
           cells_interval_days: 1000, checkpoint_interval_days: 1000}
lattice:
  synthetic: {size_voxels: [40, 40, 40], bv_tv: 0.25, tb_th_um: 100}
cells: {precursors: {supply_per_mm2_per_day: 2.0}}
"""
SWEEP = """base: base.yaml
output: sweep
parameters:
  - {key: cells.precursors.fusion_per_day, values: [0.2, 0.8]}
  - {key: cells.osteoclasts.lifespan_days, values: [7, 21]}
metrics:
  - {name: bv_tv_end, column: bv_tv}
  - {name: osteoclasts_max, column: osteoclasts, reduce: max}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bonesim", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    with open(os.path.join(args.work, "base.yaml"), "w") as f:
        f.write(BASE)
    with open(os.path.join(args.work, "sweep.yaml"), "w") as f:
        f.write(SWEEP)
    subprocess.run([args.bonesim, "-q", "sweep", "sweep.yaml", "--jobs", "2"], cwd=args.work,
                   check=True)
    sweep = os.path.join(args.work, "sweep")
    rc, out, err = run_tool("plot_sweep.py", sweep)
    check(rc == 0 and is_png(os.path.join(sweep, "tornado.png"), 10000)
          and is_png(os.path.join(sweep, "scatter.png"), 10000),
          f"tornado and scatter drawn (exit {rc}, {err.strip()})")
    figs = os.path.join(args.work, "figs")
    rc, out, err = run_tool("plot_sweep.py", sweep, "-o", figs, "--metrics", "osteoclasts_max")
    check(rc == 0 and is_png(os.path.join(figs, "tornado.png"), 5000) and "1 metrics" in out,
          f"--metrics and -o ({out.strip()} {err.strip()})")
    rc, _, err = run_tool("plot_sweep.py", sweep, "--metrics", "nope")
    check(rc == 1 and "no metric nope" in err and err.count("\n") == 1, f"unknown metric: {err}")
    empty = os.path.join(args.work, "not_a_sweep")
    os.makedirs(empty)
    rc, _, err = run_tool("plot_sweep.py", empty)
    check(rc == 1 and "summary.csv: no such file" in err and err.count("\n") == 1,
          f"no summary.csv: {err}")
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
