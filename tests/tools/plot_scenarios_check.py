#!/usr/bin/python3
"""Checks tools/plot_scenarios.py on two short bonesim runs.

    plot_scenarios_check.py --bonesim PATH/TO/bonesim --work DIR

Draws both runs into one PNG (with --labels, --years and an unknown column), then
expects exit status 1 and a one-line error naming the file for a directory without
metrics.csv and for a metrics.csv without a `day` column. Runs the tool with this
interpreter. Exit 0 when every check passes.
"""
import argparse
import os
import shutil
import subprocess
import sys

from check_support import ROOT, check, failures, is_png, run_tool


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bonesim", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    runs = []
    for seed in (1, 2):
        out = os.path.join(args.work, f"seed{seed}")
        # 56^3: default.yaml's synthetic bone needs 1.5 trabecular spacings a side (54^3).
        subprocess.run([args.bonesim, "-q", "run", os.path.join(ROOT, "configs", "default.yaml"),
                        "-o", out, "--overwrite",
                        "--set", "lattice.synthetic.size_voxels=[56,56,56]",
                        "--set", "run.days=10", "--set", f"run.seed={seed}"], check=True)
        runs.append(out)

    png = os.path.join(args.work, "scenarios.png")
    rc, out, err = run_tool("plot_scenarios.py", *runs, "-o", png)
    check(rc == 0 and is_png(png, 20000), f"two runs drawn (exit {rc}, {err.strip()})")
    png2 = os.path.join(args.work, "labelled.png")
    rc, _, err = run_tool("plot_scenarios.py", *runs, "-o", png2, "--labels", "a,b", "--years",
                      "--columns", "bv_tv,osteoclasts,no_such_column")
    check(rc == 0 and is_png(png2, 15000),
          f"--labels, --years, a column no run has ({err.strip()})")
    rc, _, err = run_tool("plot_scenarios.py", *runs, "-o", png2, "--labels", "only_one")
    check(rc != 0, "--labels of the wrong length is an error")

    empty = os.path.join(args.work, "not_a_run")
    os.makedirs(empty)
    bad_png = os.path.join(args.work, "bad.png")
    rc, _, err = run_tool("plot_scenarios.py", runs[0], empty, "-o", bad_png)
    lines = err.strip().splitlines()
    check(rc != 0 and len(lines) == 1 and os.path.join(empty, "metrics.csv") in lines[0],
          f"no metrics.csv: exit {rc}, one line naming the file ({err.strip()!r})")
    check(not os.path.exists(bad_png), "no PNG written on error")

    noday = os.path.join(args.work, "no_day")
    os.makedirs(noday)
    with open(os.path.join(noday, "metrics.csv"), "w") as f:
        f.write("step,bv_tv\n0,0.2\n")
    rc, _, err = run_tool("plot_scenarios.py", runs[0], noday, "-o", bad_png)
    lines = err.strip().splitlines()
    check(rc != 0 and len(lines) == 1 and os.path.join(noday, "metrics.csv") in lines[0]
          and "day" in lines[0], f"no day column: exit {rc}, one line ({err.strip()!r})")

    # The helpers validation_report.py builds on: NaN rows left out, labels from the paths.
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import plot_scenarios as ps
    a, b = ps.load_runs(runs)
    check((a.label, b.label) == ("seed1", "seed2"), f"labels from the directories: {a.label}")
    t, v = a.series("bv_tv")
    check(len(t) == len(a.columns["day"]) and t[-1] == 10, "bv_tv has a value every row")
    check(a.has("resorption_marker_pct") and a.series("resorption_marker_pct") == ([], []),
          "the markers without an intervention are NaN and left out")
    check(abs(a.mean("bv_tv", 0, 10) - sum(v) / len(v)) < 1e-12, "mean over a window")

    if failures:
        print(f"plot_scenarios_check: {len(failures)} check(s) failed")
        return 1
    print("plot_scenarios_check: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
