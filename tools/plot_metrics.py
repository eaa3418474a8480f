#!/usr/bin/python3
"""Plots every metrics.csv column against simulated time, one panel per column.

    tools/plot_metrics.py RUN_DIR/metrics.csv [more.csv ...] -o metrics.png

Several runs are overlaid, each labelled by its run directory. Columns this script
does not know are plotted too, with their CSV name as the label. Uses matplotlib's
Agg backend (no display needed).
"""
import argparse
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# CSV column -> axis label with units (docs/MODEL.md, "Outputs").
LABELS = {
    "bv_tv": "BV/TV (-)",
    "bs_bv_per_mm": "BS/BV (1/mm)",
    "tb_th_um": "Tb.Th (µm)",
    "tb_sp_um": "Tb.Sp (µm)",
    "tb_n_per_mm": "Tb.N (1/mm)",
    "conn_d_per_mm3": "Conn.D (1/mm³)",
    "euler": "Euler number (-)",
    "rankl_pM": "free RANKL in marrow (pM)",
    "opg_pM": "free OPG in marrow (pM)",
    "rankl_opg_pM": "RANKL-OPG in marrow (pM)",
    "drug_pM": "free drug in marrow (pM)",
    "coupling_pM": "coupling factor in marrow (pM)",
    "rank_occupancy": "RANK occupancy (-)",
    "load_factor": "load factor (-)",
    "apparent_modulus_x_MPa": "apparent modulus x (MPa)",
    "apparent_modulus_y_MPa": "apparent modulus y (MPa)",
    "apparent_modulus_z_MPa": "apparent modulus z (MPa)",
    "sed_mean_MPa": "mean SED in bone (MPa)",
    "strain_mean_microstrain": "mean strain in bone (µε)",
    "disuse_fraction": "bone below disuse strain (-)",
}
TIME = "day"
NOT_PLOTTED = {TIME, "step"}


class MetricsError(Exception):
    pass


def read_metrics(path):
    """Header and float columns of one metrics.csv; MetricsError saying what is wrong."""
    if not os.path.isfile(path):
        raise MetricsError(f"{path}: no such file")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or not rows[0]:
        raise MetricsError(f"{path}: empty file, expected a header line")
    header = [h.strip() for h in rows[0]]
    if TIME not in header:
        raise MetricsError(f"{path}:1: no '{TIME}' column in the header {','.join(header)}")
    columns = {h: [] for h in header}
    for line_no, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise MetricsError(f"{path}:{line_no}: {len(row)} values, expected {len(header)}")
        for h, cell in zip(header, row):
            try:
                columns[h].append(float(cell))
            except ValueError:
                raise MetricsError(f"{path}:{line_no}: {h} = '{cell}' is not a number")
    if not columns[TIME]:
        raise MetricsError(f"{path}: header only, no rows yet")
    return header, columns


def run_label(path, paths):
    """The run directory's name, or the file path where two runs share a name."""
    name = os.path.basename(os.path.dirname(os.path.abspath(path))) or path
    names = [os.path.basename(os.path.dirname(os.path.abspath(p))) for p in paths]
    return name if names.count(name) == 1 else path


def plot(paths, out):
    runs = [(p, *read_metrics(p)) for p in paths]
    names = []
    for _, header, _ in runs:
        names += [h for h in header if h not in NOT_PLOTTED and h not in names]
    if not names:
        raise MetricsError(f"{paths[0]}: no metric columns besides {sorted(NOT_PLOTTED)}")
    ncols = 3 if len(names) > 4 else 2
    nrows = math.ceil(len(names) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows), squeeze=False,
                             sharex=True)
    for ax, name in zip(axes.flat, names):
        for path, _, columns in runs:
            if name in columns:
                # Empty cells (Tb.Th between thickness rows, pit statistics before the
                # first pit) are gaps in the data, not in the line.
                kept = [(t, v) for t, v in zip(columns[TIME], columns[name]) if not math.isnan(v)]
                t = [p[0] for p in kept]
                v = [p[1] for p in kept]
                ax.plot(t, v, marker="." if len(t) < 40 else None, label=run_label(path, paths))
        ax.set_ylabel(LABELS.get(name, name))
        ax.grid(True, alpha=0.3)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("time (days)")
        ax.xaxis.set_tick_params(labelbottom=True)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 4), frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", help="metrics.csv of one or more runs")
    parser.add_argument("-o", "--output", default="metrics.png", help="PNG to write")
    args = parser.parse_args(argv[1:])
    try:
        plot(args.csv, args.output)
    except MetricsError as e:
        print(f"plot_metrics: {e}", file=sys.stderr)
        return 1
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
