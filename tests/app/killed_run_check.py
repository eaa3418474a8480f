#!/usr/bin/python3
"""Checks that a run directory left by a killed run is readable up to its last
complete snapshot: run.h5 opens, every snapshot it links to opens and reads whole,
run.xdmf parses and names only files that exist, metrics.csv has whole rows only."""
import csv
import os
import sys
import xml.etree.ElementTree as ET

import h5py
import numpy as np


def main(run_dir):
    problems = []
    with h5py.File(os.path.join(run_dir, "run.h5"), "r") as f:
        names = sorted(f["snapshots"].keys())
        if not names:
            problems.append("run.h5 links no snapshot")
        days = []
        for name in names:
            snap = f["snapshots"][name]
            days.append(float(snap.attrs["day"]))
            for group in ("lattice", "fields", "cells"):
                if group in snap:
                    snap[group].visititems(
                        lambda _, obj: obj[()] if isinstance(obj, h5py.Dataset) else None)
        if days != sorted(days):
            problems.append(f"snapshot days not increasing: {days}")
        metrics_days = f["metrics"]["day"][()]
    root = ET.parse(os.path.join(run_dir, "run.xdmf")).getroot()
    for item in root.iter("DataItem"):
        if item.get("Format") == "HDF":
            target = item.text.strip().split(":")[0]
            if not os.path.isfile(os.path.join(run_dir, target)):
                problems.append(f"run.xdmf names missing file {target}")
    with open(os.path.join(run_dir, "metrics.csv"), newline="") as fh:
        rows = list(csv.reader(fh))
    if any(len(r) != len(rows[0]) for r in rows[1:]):
        problems.append("metrics.csv has an incomplete row")
    if len(metrics_days) > len(rows) - 1 or not np.array_equal(
            metrics_days, np.array([float(r[0]) for r in rows[1:1 + len(metrics_days)]])):
        problems.append("run.h5 /metrics does not match metrics.csv")
    for p in problems:
        print("killed_run_check:", p)
    print(f"killed_run_check: {len(names)} snapshots, {len(rows) - 1} metrics rows")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
