#!/usr/bin/python3
"""Runs the calibration scenarios at a small size and reports them against published numbers.

    tools/validation_report.py --bonesim build/bonesim -o REPORT_DIR [--size 64] [--quick]
        [--only homeostasis,denosumab] [--set KEY=VALUE ...] [--threads N] [--reuse]
        [--strict]

Runs each scenario of CALIBRATION and DIRECTIONAL whose config exists
(configs/<name>.yaml) into REPORT_DIR/runs/<name> at size^3 voxels (snapshots and
checkpoints only at the start and end), draws figures into REPORT_DIR/figures/ and
writes REPORT_DIR/index.html: per figure the model's values next to the published ones
(TARGETS, with sources from biology.md sections 2-4 and docs/MODEL.md sections 7-9),
and a summary table. The directional scenarios have no published curve: they are drawn
against homeostasis (tools/plot_scenarios.py) with the expected direction of change.
--quick runs at 56^3 (the smallest cube the synthetic bone allows is 54^3) and skips
the immobilisation scenario (mechanics, the slowest): homeostasis, denosumab and
denosumab_stop take about 2 minutes on 2 cores, each directional config adds one run.
--set is passed to every run (e.g. --set run.days=400 for a smoke test: windows past
the end show "no data"). --reuse keeps a run directory whose metrics.csv exists.
Exit status: 0 when the report is written and every run succeeded, 1 otherwise, 3 with
--strict when a checked quantity lies outside its published range.
"""
import argparse
import html
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass

import plot_scenarios as ps  # sets matplotlib's Agg backend
from plot_scenarios import MetricsError, Run
from matplotlib.patches import Rectangle

# --- Published numbers -------------------------------------------------------------------
SRC_HISTO = "biology.md §2 (iliac / trabecular histomorphometry)"
SRC_DMAB = "biology.md §3: phase-2 and FREEDOM data, serum CTX, 60 mg every 6 months"
SRC_BMD = "biology.md §3: lumbar spine / total hip DXA; FREEDOM 3 years [memory]"
SRC_STOP = "biology.md §3: Cummings et al. 2018, J Bone Miner Res 33:190"
SRC_DISUSE = ("docs/MODEL.md §8: spaceflight -2.2 to -2.7 %/month (Lang et al. 2004, "
              "J Bone Miner Res 19:1006); bed rest about -1 %/month")
SRC_RELOAD = ("docs/MODEL.md §8: astronauts' trabecular hip vBMD not recovered a year after "
              "landing (Lang et al. 2006, J Bone Miner Res 21:1224)")
SRC_TEXTBOOK = "biology.md §6 (textbook bone physiology): direction only, no published curve"


@dataclass(frozen=True)
class Target:
    scenario: str
    key: str  # what the scenario's analysis measures
    quantity: str
    low: float  # the published range; None: qualitative, no pass/fail
    high: float
    unit: str
    published: str  # as the source puts it
    source: str


TARGETS = [
    Target("homeostasis", "eroded_depth", "mean eroded depth E.De, end of run", 40, 60, "µm",
           "about 40-60 µm, right-skewed", SRC_HISTO + ": J Bone Miner Res 10:1537 (1995); "
           "range [memory]"),
    Target("homeostasis", "wall_thickness", "completed wall thickness W.Th, end of run", 50, 60,
           "µm", "50-60 µm (59.4 ± 5.9 in 85 adults, 49.7 ± 8.7 in 36)", SRC_HISTO),
    Target("homeostasis", "reversal", "reversal (first osteoid − last resorption per pit), end",
           7, 14, "days", "1-2 weeks (reversal / mineralisation lag about 8-12 days)",
           SRC_HISTO + ": Bone Miner 1991; Martinez-Reina 2019"),
    Target("homeostasis", "formation", "formation period of completed pits, end of run", 60, 120,
           "days", "69-100 days (2-4 months)", SRC_HISTO + "; docs/MODEL.md §7"),
    Target("homeostasis", "resorption_site", "resorption at a site (volume-weighted pit span)",
           14, 35, "days", "2-5 weeks (cortical BMU: 27 days)", SRC_HISTO + ": Bone Miner 1991"),
    Target("homeostasis", "oc_lifespan", "osteoclast lifespan (mean age of the living, years 2-3)",
           7, 25, "days", "about 2 weeks (days to about 25 days)", SRC_HISTO + ": reviews"),
    Target("homeostasis", "drift", "BV/TV drift, years 2-3 (least-squares slope)", -1, 1,
           "% (absolute BV/TV) per year", "≤ 1 % absolute per year (steady state)",
           "docs/MODEL.md §7"),
    Target("homeostasis", "turnover", "bone resorbed per year, years 2-3", 5, 15, "% of bone",
           "about 10 % per year", SRC_HISTO + ": skeletal turnover"),
    Target("homeostasis", "formed", "bone formed per year, years 2-3", 5, 15, "% of bone",
           "about 10 % per year (formation keeps up)", SRC_HISTO + ": skeletal turnover"),
    Target("denosumab", "ctx_w1_4", "resorption marker, weeks 1-4 after injection", 11, 19,
           "% of baseline", "about 11-19 %", SRC_DMAB),
    Target("denosumab", "ctx_w8_16", "resorption marker, weeks 8-16 after injection", 13, 16,
           "% of baseline", "about 13-16 %", SRC_DMAB),
    Target("denosumab", "ctx_w24", "resorption marker, weeks 24-26 (before the next dose)", 20, 30,
           "% of baseline", "about 20-30 % at week 24", SRC_DMAB),
    Target("denosumab", "bmd_w24", "BMD proxy 24 weeks after the first dose", 102, 103,
           "% of baseline", "+3 % spine, +2 % hip", SRC_BMD),
    Target("denosumab", "bmd_w48", "BMD proxy 48 weeks after the first dose", 102.5, 104.5,
           "% of baseline", "+4.5 % spine, +2.5 % hip", SRC_BMD),
    Target("denosumab", "bmd_w96", "BMD proxy 96 weeks after the first dose", 103.5, 106.5,
           "% of baseline", "+6.5 % spine, +3.5 % hip", SRC_BMD),
    Target("denosumab", "bmd_w144", "BMD proxy 144 weeks after the first dose", 106.0, 109.2,
           "% of baseline", "+9.2 % spine, +6.0 % hip (3 years)", SRC_BMD),
    Target("denosumab_stop", "stop_ctx_peak", "peak resorption marker once the drug is gone "
           "(30-day mean)", None, None, "% of baseline", "overshoots the pretreatment level",
           SRC_STOP),
    Target("denosumab_stop", "stop_bmd_off", "BMD proxy when the next dose would have been due",
           None, None, "% of baseline", "the treatment's gain", SRC_STOP),
    Target("denosumab_stop", "stop_bmd_end", "BMD proxy at the end of the run", None, None,
           "% of baseline", "the gain is lost fast", SRC_STOP),
    Target("immobilization", "disuse_loss", "BV/TV loss during disuse", 1.0, 2.7,
           "% of BV/TV per month", "about 1 %/month (bed rest) to 2.2-2.7 %/month (spaceflight)",
           SRC_DISUSE),
    Target("immobilization", "recovery", "loss recovered by the end of the run (reloaded)", 0, 100,
           "% of the loss", "partial", SRC_RELOAD),
]
TARGET = {t.key: t for t in TARGETS}
# (name, expected change against homeostasis): column -> +1 up / -1 down.
DIRECTIONAL = [
    ("estrogen_deficiency", {"bv_tv": -1, "resorption_marker_mm3_per_day": +1}),
    ("pth_continuous", {"bv_tv": -1, "resorption_marker_mm3_per_day": +1}),
    ("pth_intermittent", {"bv_tv": +1, "formation_marker_mm3_per_day": +1}),
    ("glucocorticoid", {"bv_tv": -1, "formation_marker_mm3_per_day": -1}),
    ("opg_fc", {"bv_tv": +1, "resorption_marker_mm3_per_day": -1}),
]
CALIBRATION = ["homeostasis", "denosumab", "denosumab_stop", "immobilization"]
SLOW = {"immobilization"}  # mechanics: left out with --quick
QUICK_SIZE, DEFAULT_SIZE = 56, 64
NO_SNAPSHOTS = [f"run.output.{k}_interval_days=100000"
                for k in ("lattice", "fields", "cells", "checkpoint")]
DAYS_PER_MONTH = 365.0 / 12


@dataclass
class Result:
    target: Target
    value: float
    note: str = ""  # e.g. "injection 2 (days 554-575)"
    ran: bool = True  # False: the scenario was skipped or failed

    def within(self):
        if not self.ran:
            return "not run"
        if self.target.low is None:
            return "n/a (qualitative)"
        if math.isnan(self.value):
            return "no data"
        return "yes" if self.target.low <= self.value <= self.target.high else "no"


@dataclass
class Figure:
    png: str
    caption: str
    results: list


def fmt(v, digits=1):
    return "no data" if v is None or math.isnan(v) else f"{v:.{digits}f}"


# --- The run's effective config (config.yaml as bonesim writes it) ------------------------
def read_config(run_dir):
    """{dotted.key: value} and {dotted.list: [{key: value}]} of a run's config.yaml."""
    flat, lists, stack = {}, {}, []  # stack: (indent, key)
    item, item_indent = None, -1
    with open(os.path.join(run_dir, "config.yaml")) as f:
        for raw in f:
            line = raw.split(" #")[0].rstrip()
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip())
            text = line.strip()
            if item is not None and indent <= item_indent and not text.startswith("- "):
                item = None
            if text.startswith("- "):
                path = ".".join(k for _, k in stack)
                item, item_indent = {}, indent
                lists.setdefault(path, []).append(item)
                text, indent = text[2:], indent + 2
            key, _, value = text.partition(":")
            value = parse_value(value.strip())
            if item is not None and indent > item_indent:
                item[key.strip()] = value
                continue
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, key.strip()))
            if value != "":
                flat[".".join(k for _, k in stack)] = value
    return flat, lists


def parse_value(s):
    if s.startswith("[") and s.endswith("]"):
        return [parse_value(x.strip()) for x in s[1:-1].split(",") if x.strip()]
    try:
        return float(s)
    except ValueError:
        return s


def doses(lists, kind="denosumab"):
    """Days of every injection of the config's interventions of that type."""
    days = []
    for iv in lists.get("interventions", []):
        if iv.get("type") == kind:
            days += [iv["start_day"] + k * iv["interval_days"] for k in range(int(iv["doses"]))]
    return sorted(days)


def sample(flat):
    """(total volume mm^3, size text) of the lattice."""
    h = flat.get("lattice.voxel_size_um", 20.0) / 1000.0
    n = flat.get("lattice.synthetic.size_voxels", [0, 0, 0])
    return n[0] * n[1] * n[2] * h ** 3, "x".join(str(int(x)) for x in n)


def window_mean(run, column, t_from, t_to):
    """Mean over the rows with day in [t_from, t_to]; NaN when the run ends before t_to."""
    return run.mean(column, t_from, t_to) if run.last_day() >= t_to else math.nan


def at_end(run, column):
    return run.columns[column][-1] if run.has(column) else math.nan


def slope_per_year(run, column, t_from, t_to):
    """Least-squares slope of a column against time in years over [t_from, t_to]."""
    t, v = run.series(column, t_from, t_to)
    if len(t) < 3 or run.last_day() < t_from + 180:
        return math.nan
    t = [x / ps.DAYS_PER_YEAR for x in t]
    tm, vm = sum(t) / len(t), sum(v) / len(v)
    return (sum((a - tm) * (b - vm) for a, b in zip(t, v)) /
            sum((a - tm) ** 2 for a in t))


def band(ax, target, label=True):
    ax.axhspan(target.low, target.high, color="tab:green", alpha=0.15,
               label="published range" if label else None)


def savefig(fig, axes, figdir, png, title=None, legend=True):
    ps.finish(fig, axes, os.path.join(figdir, png), title=title, legend=legend)
    return png


# --- Scenarios ----------------------------------------------------------------------------
def analyse_homeostasis(run, cfg, figdir):
    volume, _ = sample(cfg[0])
    bone = run.first("bv_tv") * volume  # mm^3 of bone at day 0
    years_2_3 = (365.0, 1095.0 - 1e-6)
    per_year = 365.0 / bone * 100  # mm^3/day -> % of the bone per year
    pits = [("eroded_depth", "eroded_depth_um"), ("wall_thickness", "wall_thickness_um"),
            ("reversal", "reversal_days"), ("formation", "formation_days"),
            ("resorption_site", "pit_resorption_days_by_volume")]
    histo = [Result(TARGET[k], at_end(run, c)) for k, c in pits]
    lifespan = window_mean(run, "osteoclast_age_days", 365, min(1095, run.last_day()))
    histo.append(Result(TARGET["oc_lifespan"], lifespan))
    fig, axes = ps.panel_grid(6)
    for ax, (k, c), r in zip(axes, pits + [("oc_lifespan", "osteoclast_age_days")], histo):
        band(ax, r.target, ax is axes[0])
        ps.plot_column(ax, run, c, label="model", color="tab:blue")
        if math.isnan(r.value):
            pass
        elif k == "oc_lifespan":
            ax.hlines(r.value, 365, run.last_day(), color="k", lw=2, label="model, value used")
        else:
            ax.plot([run.last_day()], [r.value], "ko", label="model, value used")
        ax.set_ylabel(ps.LABELS[c])
    f1 = Figure(savefig(fig, axes, figdir, "homeostasis_histomorphometry.png",
                        "homeostasis: pits and osteoclasts"),
                "Histomorphometry of the pits in the lattice (each row analyses every pit "
                "present) and the osteoclasts' mean age; the values used are the last row's "
                "(the mean over years 2-3 for the lifespan).", histo)

    drift = slope_per_year(run, "bv_tv", 365, 1095) * 100
    resorbed = window_mean(run, "resorbed_mm3_per_day", *years_2_3) * per_year
    formed = window_mean(run, "formed_mm3_per_day", *years_2_3) * per_year
    rest = [Result(TARGET["drift"], drift), Result(TARGET["turnover"], resorbed),
            Result(TARGET["formed"], formed)]
    fig, axes = ps.panel_grid(2)
    ps.plot_column(axes[0], run, "bv_tv", label="model")
    t, v = run.series("bv_tv", 365, 1095)
    if t and not math.isnan(drift):
        mid_t, mid_v = sum(t) / len(t), sum(v) / len(v)
        ends = [t[0], t[-1]]
        axes[0].plot(ends, [mid_v + drift / 100 * (x - mid_t) / 365 for x in ends], "k-", lw=2,
                     label=f"years 2-3 fit: {drift:+.2f} % (absolute) per year")
    axes[0].set_ylabel(ps.LABELS["bv_tv"])
    axes[0].legend(loc="lower left", fontsize="small")
    band(axes[1], TARGET["turnover"])
    for col, name, c in (("resorption_marker_mm3_per_day", "resorbed", "tab:red"),
                         ("formation_marker_mm3_per_day", "formed", "tab:blue")):
        t, v = run.series(col)
        axes[1].plot(t, [x * per_year for x in v], color=c, lw=0.8, label=f"{name} (7-day mean)")
    for val, c in ((resorbed, "tab:red"), (formed, "tab:blue")):
        if not math.isnan(val):
            axes[1].hlines(val, *years_2_3, color=c, lw=2.5)
    axes[1].set_ylabel("% of the bone per year")
    axes[1].legend(loc="upper right", fontsize="small")
    f2 = Figure(savefig(fig, axes, figdir, "homeostasis_bvtv_turnover.png",
                        "homeostasis: BV/TV and turnover", legend=False),
                "BV/TV with its least-squares slope over years 2-3, and the bone resorbed and "
                "formed per year (thick lines: means over years 2-3 of the daily volumes).", rest)
    return [f1, f2]


def analyse_denosumab(run, cfg, figdir):
    days = doses(cfg[1])
    if not days:
        raise MetricsError("the config has no denosumab injections")
    windows = [("ctx_w1_4", 7, 28), ("ctx_w8_16", 56, 112), ("ctx_w24", 168, 181)]
    markers = []
    fig, axes = ps.panel_grid(1, width=11, height=4.2)
    ax = axes[0]
    ps.plot_column(ax, run, "resorption_marker_pct", label="model: CTX proxy", color="tab:red")
    ps.plot_column(ax, run, "formation_marker_pct", label="model: P1NP proxy", color="grey",
                   lw=0.7)
    for k, d in enumerate(days):
        ax.axvline(d, color="k", ls=":", lw=0.8)
        for key, a, b in windows:
            t = TARGET[key]
            v = window_mean(run, "resorption_marker_pct", d + a, d + b)
            markers.append(Result(t, v, f"injection {k + 1} (days {d + a:.0f}-{d + b:.0f})"))
            first = k == 0 and key == "ctx_w1_4"
            ax.add_patch(Rectangle((d + a, t.low), b - a, t.high - t.low, color="tab:green",
                                   alpha=0.35, label="published (CTX)" if first else None))
            if not math.isnan(v):
                ax.hlines(v, d + a, d + b, color="k", lw=2.5,
                          label="model, window mean" if first else None)
    ax.axhline(100, color="grey", ls="--", lw=0.8)
    ax.set_ylim(0, min(250, max(130, ax.get_ylim()[1])))
    ax.set_ylabel("% of baseline")
    f1 = Figure(savefig(fig, axes, figdir, "denosumab_resorption_marker.png",
                        "denosumab 60 mg every 182 days: resorption marker"),
                "CTX proxy (bone resorbed per day, 7-day mean) in % of its mean over the 90 "
                "days before the first dose; dotted lines: injections; green boxes: the "
                "published range in each window of each cycle; black: the model's mean over "
                "the window.", markers)

    bmd = []
    fig, axes = ps.panel_grid(1, width=11, height=4.0)
    ax = axes[0]
    ps.plot_column(ax, run, "bmd_pct", label="model: BMD proxy", color="tab:blue")
    for k, weeks in enumerate((24, 48, 96, 144)):
        t = TARGET[f"bmd_w{weeks}"]
        day = days[0] + 7 * weeks
        v = window_mean(run, "bmd_pct", day - 10, day + 10)
        bmd.append(Result(t, v, f"day {day:.0f} (mean over ±10 days)"))
        ax.vlines(day, t.low, t.high, color="tab:green", lw=6, alpha=0.4)
        ax.plot([day], [t.high], "o", color="tab:green",
                label="published: spine" if k == 0 else None)
        ax.plot([day], [t.low], "s", color="tab:olive", label="published: hip" if k == 0 else None)
        if not math.isnan(v):
            ax.plot([day], [v], "kx", ms=9, mew=2, label="model, mean" if k == 0 else None)
    for d in days:
        ax.axvline(d, color="k", ls=":", lw=0.8)
    ax.axhline(100, color="grey", ls="--", lw=0.8)
    ax.set_ylabel("% of baseline")
    f2 = Figure(savefig(fig, axes, figdir, "denosumab_bmd.png", "denosumab: BMD proxy"),
                "BMD proxy in % of its mean over the 90 days before the first dose, against "
                "the trials' areal BMD (spine and hip; the checked range runs from the hip's "
                "gain to the spine's). A trabecular sample is expected to change faster than "
                "DXA BMD "
                "(biology.md §4); what the proxy counts (primary and secondary "
                "mineralisation) is in docs/MODEL.md §9.", bmd)
    return [f1, f2]


def analyse_denosumab_stop(run, cfg, figdir, continued=None):
    days = doses(cfg[1])
    if not days:
        raise MetricsError("the config has no denosumab injections")
    interval = days[1] - days[0] if len(days) > 1 else 182
    off = days[-1] + interval  # when the next dose would have been due
    end = run.last_day()
    starts = [t for t in run.columns[ps.TIME] if t >= off and t + 30 <= end]
    means = [(run.mean("resorption_marker_pct", t, t + 30), t) for t in starts]
    means = [m for m in means if not math.isnan(m[0])]
    peak, peak_day = max(means) if means else (math.nan, math.nan)
    results = [
        Result(TARGET["stop_ctx_peak"], peak,
               f"days {peak_day:.0f}-{peak_day + 30:.0f}" if means else "run too short"),
        Result(TARGET["stop_bmd_off"], window_mean(run, "bmd_pct", off - 10, off + 10),
               f"day {off:.0f} (mean over ±10 days)"),
        Result(TARGET["stop_bmd_end"], run.mean("bmd_pct", end - 15, end),
               f"day {end:.0f} (mean over the last 15 days)"),
    ]
    runs = [run] + ([continued] if continued else [])
    fig, axes = ps.panel_grid(2, ncols=1, width=11, height=3.4)
    for ax, col in zip(axes, ("resorption_marker_pct", "bmd_pct")):
        for r in runs:
            ps.plot_column(ax, r, col)
        for d in days:
            ax.axvline(d, color="k", ls=":", lw=0.8)
        ax.axvspan(off, end, color="tab:orange", alpha=0.1,
                   label="no drug (from the missed dose)" if ax is axes[0] else None)
        ax.axhline(100, color="grey", ls="--", lw=0.8)
        ax.set_ylabel(ps.LABELS[col])
    if means:
        axes[0].hlines(peak, peak_day, peak_day + 30, color="k", lw=2.5)
    f = Figure(savefig(fig, axes, figdir, "denosumab_stop.png",
                       f"denosumab stopped after {len(days)} injections"),
               "Resorption marker and BMD proxy after the last dose wears off (dotted lines: "
               "injections; shaded: from the day the next dose would have been due). "
               "Qualitative: patients' markers overshoot baseline and BMD is lost fast "
               "(Cummings 2018); black: the model's highest 30-day mean marker.", results)
    return [f]


def analyse_immobilization(run, cfg, figdir):
    loads = [iv for iv in cfg[1].get("interventions", []) if iv.get("type") == "load"]
    if not loads:
        raise MetricsError("the config has no load intervention")
    start, stop = loads[0]["start_day"], loads[0]["end_day"]
    end = run.last_day()
    before = window_mean(run, "bv_tv", start - 15, start)
    after = window_mean(run, "bv_tv", stop - 5, stop + 5)
    loss = (before - after) / before * 100 / ((stop - start) / DAYS_PER_MONTH)
    recovered = (run.mean("bv_tv", end - 20, end) - after) / (before - after) * 100
    results = [Result(TARGET["disuse_loss"], loss, f"days {start:.0f}-{stop:.0f}"),
               Result(TARGET["recovery"], recovered if end > stop + 60 else math.nan,
                      f"day {end:.0f}, {end - stop:.0f} days after reloading")]
    fig, axes = ps.panel_grid(2, ncols=1, width=11, height=3.4)
    ps.plot_column(axes[0], run, "bv_tv", label="model")
    for rate, style in ((TARGET["disuse_loss"].low, "--"), (TARGET["disuse_loss"].high, "-.")):
        if not math.isnan(before):
            axes[0].plot([start, stop], [before, before * (1 - rate / 100 * (stop - start) /
                                                           DAYS_PER_MONTH)],
                         style, color="tab:green", label=f"published: -{rate} %/month")
    axes[0].set_ylabel(ps.LABELS["bv_tv"])
    for col, c in (("resorption_marker_mm3_per_day", "tab:red"),
                   ("formation_marker_mm3_per_day", "tab:blue")):
        ps.plot_column(axes[1], run, col, label=ps.LABELS[col], color=c)
    axes[1].set_ylabel("mm³/day (7-day mean)")
    for ax in axes:
        ax.axvspan(start, stop, color="tab:orange", alpha=0.12)
        ax.legend(loc="lower left", fontsize="small")
    f = Figure(savefig(fig, axes, figdir, "immobilization.png",
                       "immobilisation: 10 % load (shaded), then reloading", legend=False),
               "BV/TV during disuse (shaded) against the published loss rates, and the "
               "resorbed / formed volumes per day.", results)
    return [f]


def analyse_directional(name, expect, run, homeo, figdir):
    end = min(run.last_day(), homeo.last_day())
    a = max(0.0, end - 365)
    results = []
    for col, sign in expect.items():
        h = homeo.mean(col, a, end)
        v = (run.mean(col, a, end) / h - 1) * 100 if h else math.nan
        t = Target(name, f"dir_{col}", f"{ps.LABELS.get(col, col)} vs homeostasis", 0 if sign > 0
                   else -math.inf, math.inf if sign > 0 else 0, "% difference",
                   "higher" if sign > 0 else "lower", SRC_TEXTBOOK)
        results.append(Result(t, v, f"means over days {a:.0f}-{end:.0f}"))
    cols = ["bv_tv", "resorption_marker_mm3_per_day", "formation_marker_mm3_per_day", "bmd_proxy"]
    png = f"{name}.png"
    ps.draw([homeo, run], cols, os.path.join(figdir, png), years=True,
            title=f"{name} vs homeostasis")
    return [Figure(png, f"{name} against homeostasis (tools/plot_scenarios.py).", results)]


# --- Running ------------------------------------------------------------------------------
def run_scenario(args, name, config, out_dir):
    """Runs bonesim; (seconds, command, error message or None)."""
    n = args.size
    cmd = [args.bonesim, "-q", "run", config, "--overwrite", "-o", out_dir,
           "--set", f"lattice.synthetic.size_voxels=[{n},{n},{n}]"]
    for kv in NO_SNAPSHOTS + (args.set or []):
        cmd += ["--set", kv]
    if args.threads is not None:
        cmd += ["--threads", str(args.threads)]
    if args.reuse and os.path.isfile(os.path.join(out_dir, "metrics.csv")):
        return 0.0, cmd, None
    print(f"validation_report: {name} ...", file=sys.stderr, flush=True)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    secs = time.monotonic() - t0
    err = None
    if p.returncode != 0:
        tail = " ".join(p.stdout.strip().splitlines()[-3:])
        err = f"failed: bonesim exited with status {p.returncode}: {tail}"
    return secs, cmd, err


# --- The report ---------------------------------------------------------------------------
CSS = """body{font-family:sans-serif;max-width:1150px;margin:1em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:3px 7px;
font-size:90%;vertical-align:top}th{background:#eee}td.yes{background:#dfd}td.no{background:#fdd}
img{max-width:100%}.note{background:#ffd;padding:.5em;border-left:4px solid #cc4}
code{font-size:90%}"""


def model_text(r):
    if not r.ran:
        return "not run"
    v = r.value
    digits = 2 if not math.isnan(v) and abs(v) < 10 else 1
    return f"{fmt(v, digits)} {r.target.unit}" if not math.isnan(v) else "no data"


def published_text(t):
    if t.low is None:
        return t.published
    if math.isinf(t.low) or math.isinf(t.high):
        return f"{t.published} (direction only)"
    return f"{t.published}; checked: {t.low:g} to {t.high:g} {t.unit}"


def result_rows(results, with_scenario):
    e = html.escape
    rows = []
    for r in results:
        w = r.within()
        cells = [e(r.target.scenario)] if with_scenario else []
        quantity = r.target.quantity + (f" — {r.note}" if r.note else "")
        cells += [e(quantity), e(model_text(r)), e(published_text(r.target)), e(r.target.source)]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) +
                    f'<td class="{w if w in ("yes", "no") else ""}">{e(w)}</td></tr>')
    head = ["scenario"] if with_scenario else []
    head += ["quantity", "model", "published", "source", "within range"]
    return ("<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>" +
            "\n".join(rows) + "</table>")


def write_html(path, args, sections, version, sample_text):
    e = html.escape
    for s in sections:  # a skipped or failed scenario still lists its targets
        if not s["figures"] and any(t.scenario == s["name"] for t in TARGETS):
            note = "analysis failed" if "analysis failed" in s["status"] else ""
            s["figures"] = [Figure(None, "", [Result(t, math.nan, note, False) for t in TARGETS
                                              if t.scenario == s["name"]])]
    all_results = [r for s in sections for f in s["figures"] for r in f.results]
    checked = [r for r in all_results if r.within() in ("yes", "no")]
    met = sum(r.within() == "yes" for r in checked)
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>bonesim validation"
           f"</title><style>{CSS}</style></head><body><h1>bonesim validation report</h1>",
           f"<p>{e(time.strftime('%Y-%m-%d %H:%M:%S'))}; {e(version)} (<code>{e(args.bonesim)}"
           f"</code>); {e(sample_text)}{'; --quick' if args.quick else ''}"
           f"{''.join(' --set ' + e(kv) for kv in args.set or [])}.</p>",
           f"<p class='note'>The model is {e(sample_text)} of synthetic trabecular bone, not a "
           "DXA region: its BMD proxy is expected to change faster than areal BMD, and its "
           "markers stand for serum CTX / P1NP only as volumes resorbed / formed per day "
           "(biology.md §4, docs/MODEL.md §9). A sample this small holds a handful of "
           "osteoclasts at a time, so its markers are noisy: the values below are means over "
           "the windows named, and a run with another seed or size moves them. The "
           "published ranges come from biology.md §2-3 and docs/MODEL.md §7-9; a "
           "qualitative target has no pass/fail.</p>",
           f"<h2>Summary</h2><p>{met} of {len(checked)} checked quantities within the "
           "published range.</p>", result_rows(all_results, True)]
    for s in sections:
        out.append(f"<h2 id='{e(s['name'])}'>{e(s['name'])}</h2>")
        if s.get("cmd"):
            out.append(f"<p>{e(s['status'])}: <code>{e(' '.join(s['cmd']))}</code></p>")
        else:
            out.append(f"<p>{e(s['status'])}</p>")
        for f in s["figures"]:
            if f.png is None:
                out.append(result_rows(f.results, False))
                continue
            out.append(f"<figure><img src='figures/{e(f.png)}' alt='{e(f.png)}'>"
                       f"<figcaption>{e(f.caption)}</figcaption></figure>")
            out.append(result_rows(f.results, False))
    out.append("</body></html>")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    return met, len(checked)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bonesim", required=True, help="the bonesim executable")
    parser.add_argument("-o", "--output", required=True, help="report directory")
    parser.add_argument("--size", type=int, help=f"voxels per side (default {DEFAULT_SIZE}, "
                        f"{QUICK_SIZE} with --quick)")
    parser.add_argument("--quick", action="store_true", help="small size, no immobilisation")
    parser.add_argument("--only", help="comma-separated scenario names")
    parser.add_argument("--set", action="append", metavar="KEY=VALUE",
                        help="config override for every run (repeatable)")
    parser.add_argument("--threads", type=int, help="bonesim --threads")
    parser.add_argument("--configs", help="config directory (default: the repository's)")
    parser.add_argument("--reuse", action="store_true", help="keep runs that have metrics.csv")
    parser.add_argument("--strict", action="store_true",
                        help="exit 3 when a checked quantity is out of range")
    args = parser.parse_args(argv[1:])
    args.size = args.size or (QUICK_SIZE if args.quick else DEFAULT_SIZE)
    configs = args.configs or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                           "configs")
    directional = dict(DIRECTIONAL)
    names = CALIBRATION + list(directional)
    wanted = names if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in wanted if n not in names]
    if unknown:
        parser.error(f"--only: unknown scenario {','.join(unknown)} (known: {','.join(names)})")
    if not os.access(args.bonesim, os.X_OK):
        parser.error(f"--bonesim {args.bonesim}: not an executable")
    figdir = os.path.join(args.output, "figures")
    os.makedirs(figdir, exist_ok=True)
    cfg_path = {n: os.path.normpath(os.path.join(configs, n + ".yaml")) for n in names}
    exists = {n: os.path.isfile(cfg_path[n]) for n in names}
    # The directional scenarios are drawn against homeostasis: run it for them.
    to_run = [n for n in names if n in wanted and exists[n] and
              not (args.quick and n in SLOW)]
    if any(n in directional for n in to_run) and "homeostasis" not in to_run:
        to_run.insert(0, "homeostasis")
    sections, runs, failed = [], {}, False
    for n in names:
        s = {"name": n, "figures": []}
        sections.append(s)
        if n not in to_run:
            s["status"] = ("skipped: not in --only" if n not in wanted else
                           f"skipped: {cfg_path[n]} does not exist yet" if not exists[n] else
                           "skipped with --quick (mechanics: the slowest scenario)")
            if n in directional:
                s["status"] += "; a directional scenario (no published curve), drawn " \
                               "against homeostasis when its config exists"
            continue
        out_dir = os.path.join(args.output, "runs", n)
        secs, s["cmd"], err = run_scenario(args, n, cfg_path[n], out_dir)
        s["status"] = err or (f"ran in {secs:.0f} s" if secs else "reused the existing run")
        if err:
            failed = True
            continue
        try:
            runs[n] = (Run(out_dir), read_config(out_dir))
        except (MetricsError, OSError) as ex:
            s["status"], failed = f"failed: {ex}", True
    for s in sections:
        n = s["name"]
        if n not in runs:
            continue
        run, cfg = runs[n]
        try:
            if n in directional:
                if "homeostasis" not in runs:
                    raise MetricsError("no homeostasis run to compare with")
                s["figures"] = analyse_directional(n, directional[n], run,
                                                   runs["homeostasis"][0], figdir)
            elif n == "denosumab_stop":
                cont = runs.get("denosumab", (None,))[0]
                s["figures"] = analyse_denosumab_stop(run, cfg, figdir, cont)
            else:
                s["figures"] = globals()[f"analyse_{n}"](run, cfg, figdir)
        except (MetricsError, KeyError, IndexError, ZeroDivisionError, ValueError) as ex:
            s["status"] += f"; analysis failed: {type(ex).__name__}: {ex}"
            failed = True
    version = subprocess.run([args.bonesim, "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout.strip()
    volume, size = (sample(next(iter(runs.values()))[1][0]) if runs else
                    ((args.size * 0.02) ** 3, f"{args.size}x{args.size}x{args.size}"))
    sample_text = f"a {size} voxel cube ({volume:.1f} mm³)"
    index = os.path.join(args.output, "index.html")
    met, checked = write_html(index, args, sections, version or "bonesim", sample_text)
    for s in sections:
        print(f"{s['name']}: {s['status']}")
        for f in s["figures"]:
            for r in f.results:
                note = f" [{r.note}]" if r.note else ""
                print(f"  {r.target.quantity}{note}: {model_text(r)} "
                      f"(published {published_text(r.target)}) -> {r.within()}")
    print(f"{met} of {checked} checked quantities within range; {index}")
    if failed:
        return 1
    return 3 if args.strict and met < checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
