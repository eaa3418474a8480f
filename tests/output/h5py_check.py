#!/usr/bin/python3
"""Reads a run directory the way a researcher's script does (h5py + numpy) and checks
it against docs/OUTPUT_LAYOUT.md.

  h5py_check.py RUN_DIR
  h5py_check.py --writer PROGRAM RUN_DIR   (runs `PROGRAM RUN_DIR` first to make it)

Exit status 0 when every check passes; otherwise prints each failure and exits 1.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

LATTICE = {"bone": np.float32, "osteoid": np.float32, "day_last_resorbed": np.float32,
           "day_last_formed": np.float32, "bone_at_day0": np.uint8,
           "resorption_event": np.int32, "resorption_depth": np.uint8,
           "day_first_formed": np.float32, "pit_label": np.int32}
FIELDS = ("rankl", "opg", "rankl_opg", "drug", "rankl_drug", "rankl_rank", "coupling")
ROOT_ATTRS = ("day", "step", "voxel_size_um", "origin_um", "grid_size", "lattice", "fields",
              "cells", "fields_coarsening")
GEOMETRY_ATTRS = ("grid_size", "voxel_size_um", "origin_um")

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def check_snapshot(name, snap):
    missing = [a for a in ROOT_ATTRS if a not in snap.attrs]
    check(not missing, f"{name}: root attributes {missing} missing")
    if missing:
        return
    nx, ny, nz = (int(v) for v in snap.attrs["grid_size"])
    check(np.asarray(snap.attrs["origin_um"]).shape == (3,), f"{name}: origin_um not 3 numbers")
    check(float(snap.attrs["voxel_size_um"]) > 0, f"{name}: voxel_size_um not positive")
    if snap.attrs["lattice"]:
        check("lattice" in snap, f"{name}: lattice flag set but no /lattice")
        for array, dtype in LATTICE.items():
            path = f"lattice/{array}"
            if array not in snap.get("lattice", {}):
                failures.append(f"{name}: /{path} missing")
                continue
            d = snap[path]
            check(d.shape == (nz, ny, nx), f"{name}: /{path} shape {d.shape}, expected "
                  f"{(nz, ny, nx)} ([z][y][x])")
            check(d.dtype == dtype, f"{name}: /{path} dtype {d.dtype}, expected {dtype}")
            check(d.chunks is not None, f"{name}: /{path} not chunked")
            for a in ("units", "description"):
                check(isinstance(d.attrs.get(a), str), f"{name}: /{path} attribute {a} missing")
        bone = snap["lattice/bone"][...]
        check(bool(np.all((bone >= 0) & (bone <= 1))), f"{name}: bone fractions outside 0..1")
        # h5py slicing one z-plane works and agrees with the whole array.
        check(np.array_equal(snap["lattice/bone"][nz // 2], bone[nz // 2]),
              f"{name}: a z-plane read differs from the whole array")
    else:
        check("lattice" not in snap, f"{name}: /lattice present but the lattice flag is 0")
    if snap.attrs["fields"]:
        check_fields(name, snap, (nx, ny, nz))
    else:
        check("fields" not in snap, f"{name}: /fields present but the fields flag is 0")
    if snap.attrs["cells"]:
        for pop_name, pop in snap.get("cells", {}).items():
            n = int(pop.attrs["count"])
            for col_name, col in pop.items():
                check(col.shape[0] == n, f"{name}: /cells/{pop_name}/{col_name} has "
                      f"{col.shape[0]} rows, count says {n}")
                check(isinstance(col.attrs.get("units"), str),
                      f"{name}: /cells/{pop_name}/{col_name} attribute units missing")
            check("id" in pop and pop["id"].dtype == np.uint64,
                  f"{name}: /cells/{pop_name}/id missing or not uint64")
            check("position_um" in pop and pop["position_um"].shape == (n, 3),
                  f"{name}: /cells/{pop_name}/position_um missing or not [n][3]")
            if "position_um" in pop and n:
                p = pop["position_um"][...]
                lo = np.asarray(snap.attrs["origin_um"])
                hi = lo + float(snap.attrs["voxel_size_um"]) * np.array([nx, ny, nz])
                check(bool(np.all((p >= lo) & (p <= hi))),
                      f"{name}: /cells/{pop_name} positions outside the lattice")


def check_fields(name, snap, lattice_n):
    """/fields: its own grid (group attributes), the lattice's coarsened by
    fields_coarsening c: ceil(n / c) voxels of c h from the same origin."""
    if not check("fields" in snap, f"{name}: fields flag set but no /fields"):
        return
    g = snap["fields"]
    missing = [a for a in GEOMETRY_ATTRS if a not in g.attrs]
    if not check(not missing, f"{name}: /fields attributes {missing} missing"):
        return
    c = int(snap.attrs["fields_coarsening"])
    n = tuple(int(v) for v in g.attrs["grid_size"])
    want = tuple(-(-m // c) for m in lattice_n)
    check(c >= 1, f"{name}: fields_coarsening {c}, expected >= 1")
    check(n == want, f"{name}: /fields grid_size {n}, expected {want} (lattice {lattice_n} "
          f"coarsened by {c})")
    check(float(g.attrs["voxel_size_um"]) == c * float(snap.attrs["voxel_size_um"]),
          f"{name}: /fields voxel_size_um {float(g.attrs['voxel_size_um'])}, expected {c} x "
          f"{float(snap.attrs['voxel_size_um'])}")
    check(np.array_equal(g.attrs["origin_um"], snap.attrs["origin_um"]),
          f"{name}: /fields origin_um differs from the lattice's")
    nx, ny, nz = n
    for array in FIELDS:
        path = f"fields/{array}"
        if not check(array in g, f"{name}: /{path} missing"):
            continue
        d = g[array]
        check(d.shape == (nz, ny, nx), f"{name}: /{path} shape {d.shape}, expected "
              f"{(nz, ny, nx)} ([z][y][x] of the fields' grid)")
        check(d.dtype == np.float32, f"{name}: /{path} dtype {d.dtype}, expected float32")
        check(d.chunks is not None, f"{name}: /{path} not chunked")
        for a in ("units", "description"):
            check(isinstance(d.attrs.get(a), str), f"{name}: /{path} attribute {a} missing")
        values = d[...]
        check(bool(np.all(np.isfinite(values))), f"{name}: /{path} has non-finite values")
        check(np.array_equal(d[nz // 2], values[nz // 2]),
              f"{name}: a z-plane of /{path} differs from the whole array")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--writer", help="program that creates RUN_DIR first")
    args = parser.parse_args()
    if args.writer:
        shutil.rmtree(args.run_dir, ignore_errors=True)
        subprocess.run([args.writer, args.run_dir], check=True)

    # Open from another working directory: the external links must resolve beside run.h5.
    run_h5 = os.path.abspath(os.path.join(args.run_dir, "run.h5"))
    os.chdir("/")
    with h5py.File(run_h5, "r") as run:
        for a in ("program", "version", "git_commit", "seed", "config_yaml", "provenance_yaml"):
            check(a in run.attrs, f"run.h5: root attribute {a} missing")
        check(run.attrs.get("program") == "bonesim", "run.h5: program is not 'bonesim'")

        names = sorted(run["snapshots"].keys())
        check(len(names) > 0, "run.h5: no snapshots")
        days = []
        for name in names:
            link = run["snapshots"].get(name, getlink=True)
            check(isinstance(link, h5py.ExternalLink), f"run.h5: /snapshots/{name} not an "
                  "external link")
            snap = run["snapshots"][name]
            check(int(snap.attrs["step"]) == int(name[len("step_"):]),
                  f"{name}: step attribute does not match the name")
            days.append(float(snap.attrs["day"]))
            check_snapshot(name, snap)
        check(all(b > a for a, b in zip(days, days[1:])), f"snapshot days not increasing: {days}")

        csv_path = os.path.join(os.path.dirname(run_h5), "metrics.csv")
        with open(csv_path, newline="") as f:
            rows = list(csv.reader(f))
        header, values = rows[0], np.array(rows[1:], dtype=np.float64)
        check(sorted(run["metrics"].keys()) == sorted(header),
              f"run.h5: /metrics columns {sorted(run['metrics'].keys())} != metrics.csv {header}")
        for i, column in enumerate(header):
            if column in run["metrics"]:
                d = run["metrics"][column]
                check(d.dtype == np.float64, f"/metrics/{column} is {d.dtype}, expected float64")
                check(np.array_equal(d[...], values[:, i], equal_nan=True),
                      f"/metrics/{column} differs from metrics.csv")

    for f in failures:
        print("FAIL:", f)
    print(f"h5py_check: {len(names)} snapshots, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
