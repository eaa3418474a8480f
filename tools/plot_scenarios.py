#!/usr/bin/python3
"""Draws several runs' BV/TV and clinical markers over time in one PNG.

    tools/plot_scenarios.py RUN_DIR [RUN_DIR ...] -o scenarios.png
        [--columns bv_tv,resorption_marker_pct,formation_marker_pct,bmd_pct]
        [--labels a,b,c] [--years]

One panel per column, each run a labelled line (the run directory's name, or
--labels). Undefined values (`nan`: markers before their baseline window, pit
statistics before the first pit) are left out of the line. A run without a column
has no line in that panel. A RUN_DIR without metrics.csv, or a metrics.csv without a
`day` column, is an error (exit 1, one line naming the file). Uses matplotlib's Agg
backend (no display needed). tools/validation_report.py builds on the helpers here.
"""
import argparse
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from plot_metrics import LABELS as METRIC_LABELS  # noqa: E402
from plot_metrics import TIME, MetricsError, read_metrics  # noqa: E402

# CSV column -> axis label with units (docs/MODEL.md sections 7 and 9); plot_metrics.py
# has the morphometry, fields and mechanics.
LABELS = dict(METRIC_LABELS)
LABELS.update({
    "resorption_marker_pct": "CTX proxy (% of baseline)",
    "formation_marker_pct": "P1NP proxy (% of baseline)",
    "bmd_pct": "BMD proxy (% of baseline)",
    "resorption_marker_mm3_per_day": "CTX proxy: resorbed (mm³/day)",
    "formation_marker_mm3_per_day": "P1NP proxy: formed (mm³/day)",
    "bmd_proxy": "BMD proxy (-)",
    "denosumab_serum_ng_per_mL": "serum denosumab (ng/mL)",
    "osteoclasts": "osteoclasts (-)",
    "osteoclast_age_days": "mean osteoclast age (days)",
    "eroded_depth_um": "mean eroded depth E.De (µm)",
    "wall_thickness_um": "wall thickness W.Th (µm)",
    "reversal_days": "reversal period (days)",
    "formation_days": "formation period (days)",
    "pit_resorption_days_by_volume": "resorption at a site (days)",
    "resorbed_mm3_per_day": "resorbed (mm³/day)",
    "formed_mm3_per_day": "formed (mm³/day)",
})
DEFAULT_COLUMNS = ["bv_tv", "resorption_marker_pct", "formation_marker_pct", "bmd_pct"]
DAYS_PER_YEAR = 365.0  # the model's year (configs count 365 days a year)


class Run:
    """One run directory's metrics: label, path of metrics.csv, {column: [floats]}."""

    def __init__(self, run_dir, label=None):
        self.dir = run_dir
        self.path = os.path.join(run_dir, "metrics.csv")
        if not os.path.isdir(run_dir):
            raise MetricsError(f"{run_dir}: no such run directory")
        if not os.path.isfile(self.path):
            raise MetricsError(f"{self.path}: no such file (not a bonesim run directory?)")
        self.header, self.columns = read_metrics(self.path)
        self.label = label or os.path.basename(os.path.normpath(run_dir)) or run_dir

    def has(self, name):
        return name in self.columns

    def series(self, name, t_from=-math.inf, t_to=math.inf):
        """(days, values) of one column over [t_from, t_to], NaN rows left out."""
        if name not in self.columns:
            return [], []
        kept = [(t, v) for t, v in zip(self.columns[TIME], self.columns[name])
                if t_from <= t <= t_to and not math.isnan(v)]
        return [p[0] for p in kept], [p[1] for p in kept]

    def mean(self, name, t_from, t_to):
        """Mean of a column over the rows with day in [t_from, t_to]; NaN if none."""
        _, v = self.series(name, t_from, t_to)
        return sum(v) / len(v) if v else math.nan

    def last(self, name):
        """The last defined value of a column; NaN if none."""
        _, v = self.series(name)
        return v[-1] if v else math.nan

    def first(self, name):
        _, v = self.series(name)
        return v[0] if v else math.nan

    def last_day(self):
        return self.columns[TIME][-1]


def load_runs(run_dirs, labels=None):
    """Run objects for the directories; MetricsError naming the first bad file."""
    if labels is not None and len(labels) != len(run_dirs):
        raise MetricsError(f"{len(labels)} labels for {len(run_dirs)} run directories")
    runs = [Run(d, labels[i] if labels else None) for i, d in enumerate(run_dirs)]
    names = [r.label for r in runs]
    for r in runs:  # two runs of the same name: tell them apart by path
        if names.count(r.label) > 1:
            r.label = os.path.normpath(r.dir)
    return runs


def time_scale(years):
    return (1.0 / DAYS_PER_YEAR, "time (years)") if years else (1.0, "time (days)")


def plot_column(ax, run, name, years=False, **style):
    """One run's column as a line on ax (nothing when the run lacks the column)."""
    t, v = run.series(name)
    if not t:
        return None
    scale, _ = time_scale(years)
    style.setdefault("marker", "." if len(t) < 40 else None)
    style.setdefault("label", run.label)
    (line,) = ax.plot([x * scale for x in t], v, **style)
    return line


def panel_grid(n, ncols=None, width=4.6, height=3.1, sharex=True):
    """A figure with n panels (unused ones hidden): (fig, flat list of axes)."""
    ncols = ncols or (1 if n == 1 else 2 if n <= 4 else 3)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows),
                             squeeze=False, sharex=sharex)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    for ax in flat[:n]:
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_tick_params(labelbottom=True)
    return fig, flat[:n]


def finish(fig, axes, out, years=False, title=None, legend=True):
    """x labels, title, one legend for the figure (from the first panel with lines), save."""
    _, xlabel = time_scale(years)
    for ax in axes:
        ax.set_xlabel(xlabel)
    height = fig.get_figheight()  # inches: title and legend take fixed room above the panels
    top_in = 0.05
    if title:
        fig.suptitle(title, y=1 - 0.05 / height, va="top", fontsize="medium")
        top_in += 0.3
    if legend:
        for ax in axes:
            handles, labels = ax.get_legend_handles_labels()
            if handles:
                ncol = min(len(labels), 5)
                fig.legend(handles, labels, loc="upper center", frameon=False, ncol=ncol,
                           bbox_to_anchor=(0.5, 1 - top_in / height))
                top_in += 0.3 * math.ceil(len(labels) / ncol)
                break
    fig.tight_layout(rect=(0, 0, 1, 1 - top_in / height))
    fig.savefig(out, dpi=110)
    plt.close(fig)


def draw(runs, columns, out, years=False, title=None):
    """One panel per column, one line per run; a 100 % line on the %-of-baseline ones."""
    fig, axes = panel_grid(len(columns))
    for ax, name in zip(axes, columns):
        drawn = [plot_column(ax, r, name, years) for r in runs]
        if not any(drawn):
            why = "no values" if any(r.has(name) for r in runs) else "in no run"
            ax.text(0.5, 0.5, f"{name}: {why}", transform=ax.transAxes, ha="center",
                    va="center", color="grey")
        elif name.endswith("_pct"):
            ax.axhline(100.0, color="grey", lw=0.8, ls="--")
        ax.set_ylabel(LABELS.get(name, name))
    finish(fig, axes, out, years, title)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", help="bonesim run directory")
    parser.add_argument("-o", "--output", default="scenarios.png", help="PNG to write")
    parser.add_argument("--columns", default=",".join(DEFAULT_COLUMNS),
                        help="metrics.csv columns, one panel each (default: %(default)s)")
    parser.add_argument("--labels", help="comma-separated line labels, one per RUN_DIR")
    parser.add_argument("--years", action="store_true", help="time axis in years, not days")
    parser.add_argument("--title", help="figure title")
    args = parser.parse_args(argv[1:])
    columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    if not columns:
        parser.error("--columns: no column named")
    labels = args.labels.split(",") if args.labels is not None else None
    try:
        draw(load_runs(args.run_dirs, labels), columns, args.output, args.years, args.title)
    except MetricsError as e:
        print(f"plot_scenarios: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"plot_scenarios: {args.output}: {e.strerror}", file=sys.stderr)
        return 1
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
