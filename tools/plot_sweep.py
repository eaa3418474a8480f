#!/usr/bin/python3
"""Draws a sweep's sensitivity (tornado plots) and its runs (scatter plots) to PNG.

    tools/plot_sweep.py SWEEP_DIR [-o OUT_DIR] [--metrics a,b] [--alpha 0.05]

Reads SWEEP_DIR/summary.csv and SWEEP_DIR/sensitivity.csv (written by `bonesim sweep`,
docs/SWEEPS.md) and writes into OUT_DIR (default SWEEP_DIR):
  tornado.png  one panel per metric: the partial rank correlation (PRCC) of each
               parameter, sorted by size; bars with p >= alpha are drawn hollow;
  scatter.png  one panel per metric and numeric parameter: the metric of every ok run
               against the parameter's value (log axis for a parameter spanning more
               than a decade).
A missing or malformed file is an error (exit 1, one line naming the file). Uses
matplotlib's Agg backend (no display needed).
"""
import argparse
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FIXED = ["run_id", "status", "exit_code", "wall_s", "seed"]


class SweepError(Exception):
    pass


def number(text):
    try:
        return float(text)
    except ValueError:
        return math.nan


def read_csv(path, required):
    if not os.path.isfile(path):
        raise SweepError(f"{path}: no such file (run `bonesim sweep` or --collect first)")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
        header = rows[0].keys() if rows else []
    missing = [c for c in required if rows and c not in header]
    if not rows or missing:
        raise SweepError(f"{path}: expected a header with {', '.join(required)} and rows")
    return rows


def read_sweep(sweep_dir):
    """(parameters, metrics, ok rows, sensitivity rows) of a sweep directory."""
    summary = read_csv(os.path.join(sweep_dir, "summary.csv"), FIXED + ["error"])
    sens = read_csv(os.path.join(sweep_dir, "sensitivity.csv"),
                    ["metric", "parameter", "prcc", "p_value", "runs"])
    columns = list(summary[0].keys())
    metrics = list(dict.fromkeys(r["metric"] for r in sens))
    parameters = [c for c in columns if c not in FIXED + ["error"] + metrics]
    ok = [r for r in summary if r["status"] == "ok"]
    return parameters, metrics, ok, sens


def tornado(sens, metrics, alpha, path):
    per_metric = max(1, len(sens) // max(1, len(metrics)))
    fig, axes = plt.subplots(len(metrics), 1, squeeze=False,
                             figsize=(7, 0.6 + len(metrics) * (0.8 + 0.35 * per_metric)))
    for ax, metric in zip(axes[:, 0], metrics):
        rows = [r for r in sens if r["metric"] == metric and not math.isnan(number(r["prcc"]))]
        rows.sort(key=lambda r: abs(number(r["prcc"])))
        values = [number(r["prcc"]) for r in rows]
        significant = [number(r["p_value"]) < alpha for r in rows]
        colors = ["tab:red" if v > 0 else "tab:blue" for v in values]
        ax.barh(range(len(rows)), values, color=[c if s else "none" for c, s in
                                                 zip(colors, significant)],
                edgecolor=colors)
        ax.set_yticks(range(len(rows)), [r["parameter"] for r in rows], fontsize=8)
        ax.set_xlim(-1, 1)
        ax.axvline(0, color="k", lw=0.8)
        runs = rows[0]["runs"] if rows else "0"
        ax.set_title(f"{metric}: PRCC ({runs} runs; hollow: p >= {alpha})", fontsize=9)
    axes[-1, 0].set_xlabel("partial rank correlation coefficient")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def scatter(ok, parameters, metrics, path):
    numeric = [p for p in parameters if ok and all(not math.isnan(number(r[p])) for r in ok)]
    if not numeric:
        numeric = parameters[:1]
    fig, axes = plt.subplots(len(metrics), len(numeric),
                             figsize=(2.8 * len(numeric) + 0.5, 2.3 * len(metrics) + 0.5),
                             squeeze=False)
    for i, metric in enumerate(metrics):
        for j, param in enumerate(numeric):
            ax = axes[i, j]
            xs = [number(r[param]) for r in ok]
            ys = [number(r[metric]) for r in ok]
            ax.plot(xs, ys, "o", ms=3, alpha=0.7)
            finite = [x for x in xs if x > 0 and not math.isnan(x)]
            if len(finite) == len(xs) and finite and max(finite) > 10 * min(finite):
                ax.set_xscale("log")
            if i == len(metrics) - 1:
                ax.set_xlabel(param, fontsize=8)
            if j == 0:
                ax.set_ylabel(metric, fontsize=8)
            ax.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir")
    parser.add_argument("-o", "--output", help="output directory (default: SWEEP_DIR)")
    parser.add_argument("--metrics", help="comma-separated metrics (default: all)")
    parser.add_argument("--alpha", type=float, default=0.05, help="significance level")
    args = parser.parse_args(argv)
    try:
        parameters, metrics, ok, sens = read_sweep(args.sweep_dir)
        if args.metrics:
            wanted = args.metrics.split(",")
            unknown = [m for m in wanted if m not in metrics]
            if unknown:
                raise SweepError(f"{args.sweep_dir}: no metric {', '.join(unknown)} "
                                 f"(have {', '.join(metrics)})")
            metrics = wanted
        sens = [r for r in sens if r["metric"] in metrics]
        out = args.output or args.sweep_dir
        os.makedirs(out, exist_ok=True)
        tornado(sens, metrics, args.alpha, os.path.join(out, "tornado.png"))
        scatter(ok, parameters, metrics, os.path.join(out, "scatter.png"))
    except SweepError as e:
        print(f"plot_sweep.py: error: {e}", file=sys.stderr)
        return 1
    print(f"{os.path.join(out, 'tornado.png')}, {os.path.join(out, 'scatter.png')}: "
          f"{len(metrics)} metrics, {len(parameters)} parameters, {len(ok)} ok runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
