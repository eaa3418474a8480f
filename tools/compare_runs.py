#!/usr/bin/python3
"""Compare two bonesim runs' HDF5 outputs dataset by dataset.

  compare_runs.py RUN_A RUN_B [--rtol R] [--atol A] [--ignore-attr NAME ...]

RUN_A and RUN_B are run directories (run.h5 and every snapshots/*.h5 and
checkpoints/*.h5 are compared; run.h5's external links are compared as links, their
targets as the snapshot files they name) or two .h5 files. Each difference is printed
on one line with the file, the dataset or attribute path and the largest absolute and
relative difference. Values a and b are equal when |a - b| <= atol + rtol |b| (NaN
equals NaN); the default tolerance 0 asks for identical values.

Every dataset is compared on its own grid: /fields may be coarser than /lattice
(fields.grid_coarsening, docs/OUTPUT_LAYOUT.md), and runs with different coarsenings
show as differences in @fields_coarsening, the /fields attributes and the /fields
dataset shapes, not as values compared voxel by voxel.

Provenance attributes (started_utc, host, command_line, provenance_yaml) are ignored,
and so is any attribute named with --ignore-attr.

Exit status: 0 equal within tolerance, 1 different, 2 usage error.
"""
import argparse
import os
import re
import sys

import h5py
import numpy as np

PROVENANCE_ATTRS = {"started_utc", "host", "command_line", "provenance_yaml"}
SNAPSHOT_NAME = re.compile(r"step_[0-9]{8}\.h5$")


class Comparison:
    def __init__(self, rtol, atol, ignore):
        self.rtol, self.atol, self.ignore = rtol, atol, ignore
        self.differences = 0
        self.datasets = 0

    def report(self, where, what):
        self.differences += 1
        print(f"{where}: {what}")

    def values(self, where, a, b):
        """Numeric or string arrays a, b (already the same shape)."""
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            self.report(where, f"shape {a.shape} != {b.shape}")
            return
        numeric = np.issubdtype(a.dtype, np.number) and np.issubdtype(b.dtype, np.number)
        if not numeric:
            if not np.array_equal(a, b):
                self.report(where, "values differ")
            return
        if a.size == 0:
            return
        fa, fb = a.astype(np.float64), b.astype(np.float64)
        both_nan = np.isnan(fa) & np.isnan(fb)
        if self.rtol == 0 and self.atol == 0:
            # Bit-identical request: compare the stored values, not their float64 images.
            bad = (a != b) & ~both_nan
        else:
            with np.errstate(invalid="ignore"):
                bad = ~(np.abs(fa - fb) <= self.atol + self.rtol * np.abs(fb)) & ~both_nan
        if not bad.any():
            return
        with np.errstate(invalid="ignore", divide="ignore"):
            diff = np.abs(fa - fb)[bad]
            rel = diff / np.abs(fb)[bad]
        finite = rel[np.isfinite(rel)]
        self.report(where, f"max abs diff {np.nanmax(diff):.6g}, max rel diff "
                    f"{(finite.max() if finite.size else float('inf')):.6g} "
                    f"({int(bad.sum())} of {a.size} values differ)")

    def attrs(self, where, a, b):
        names_a = {n for n in a.attrs if n not in self.ignore}
        names_b = {n for n in b.attrs if n not in self.ignore}
        for n in sorted(names_a ^ names_b):
            self.report(f"{where} @{n}", "only in " + ("A" if n in names_a else "B"))
        for n in sorted(names_a & names_b):
            va, vb = a.attrs[n], b.attrs[n]
            if isinstance(va, (str, bytes)) or isinstance(vb, (str, bytes)):
                if va != vb:
                    self.report(f"{where} @{n}", "strings differ")
            else:
                self.values(f"{where} @{n}", va, vb)

    def dataset(self, where, a, b):
        self.datasets += 1
        if a.shape != b.shape or a.dtype != b.dtype:
            self.report(where, f"{a.dtype}{list(a.shape)} != {b.dtype}{list(b.shape)}")
            return
        self.values(where, a[...], b[...])

    def files(self, label, path_a, path_b):
        with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
            self.group(label, fa, fb)

    def group(self, label, ga, gb):
        self.attrs(f"{label}:{ga.name}", ga, gb)
        names_a, names_b = set(ga.keys()), set(gb.keys())
        for n in sorted(names_a ^ names_b):
            self.report(f"{label}:{ga.name.rstrip('/')}/{n}", "only in " +
                        ("A" if n in names_a else "B"))
        for n in sorted(names_a & names_b):
            where = f"{label}:{ga.name.rstrip('/')}/{n}"
            la, lb = ga.get(n, getlink=True), gb.get(n, getlink=True)
            if isinstance(la, h5py.ExternalLink) or isinstance(lb, h5py.ExternalLink):
                # The targets are compared as files of their own.
                same = (isinstance(la, h5py.ExternalLink) and isinstance(lb, h5py.ExternalLink)
                        and (la.filename, la.path) == (lb.filename, lb.path))
                if not same:
                    self.report(where, "external links differ")
                continue
            oa, ob = ga[n], gb[n]
            if isinstance(oa, h5py.Group) and isinstance(ob, h5py.Group):
                self.group(label, oa, ob)
            elif isinstance(oa, h5py.Dataset) and isinstance(ob, h5py.Dataset):
                self.attrs(where, oa, ob)
                self.dataset(where, oa, ob)
            else:
                self.report(where, "a group in one run, a dataset in the other")


def run_files(run_dir):
    """Relative paths of the HDF5 files of a run directory (temporaries left out)."""
    files = []
    if os.path.isfile(os.path.join(run_dir, "run.h5")):
        files.append("run.h5")
    for sub in ("snapshots", "checkpoints"):
        d = os.path.join(run_dir, sub)
        if os.path.isdir(d):
            files += [f"{sub}/{n}" for n in sorted(os.listdir(d)) if SNAPSHOT_NAME.match(n)]
    return files


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Exit status: 0 equal within tolerance, 1 different, 2 usage error.")
    parser.add_argument("run_a", help="run directory or .h5 file")
    parser.add_argument("run_b", help="run directory or .h5 file")
    parser.add_argument("--rtol", type=float, default=0.0, help="relative tolerance (0)")
    parser.add_argument("--atol", type=float, default=0.0, help="absolute tolerance (0)")
    parser.add_argument("--ignore-attr", action="append", default=[], metavar="NAME",
                        help="attribute to ignore (repeatable)")
    args = parser.parse_args()  # exits with 2 on usage errors
    if args.rtol < 0 or args.atol < 0:
        parser.error("tolerances must not be negative")

    a_dir, b_dir = os.path.isdir(args.run_a), os.path.isdir(args.run_b)
    if a_dir != b_dir:
        parser.error("give two run directories or two .h5 files")
    for p in (args.run_a, args.run_b):
        if not os.path.exists(p):
            parser.error(f"{p}: no such file or directory")

    cmp = Comparison(args.rtol, args.atol, PROVENANCE_ATTRS | set(args.ignore_attr))
    try:
        if a_dir:
            files_a, files_b = run_files(args.run_a), run_files(args.run_b)
            if not files_a and not files_b:
                parser.error("no HDF5 outputs (run.h5, snapshots/, checkpoints/) in either run")
            for f in sorted(set(files_a) ^ set(files_b)):
                cmp.report(f, "only in " + ("A" if f in files_a else "B"))
            for f in sorted(set(files_a) & set(files_b)):
                cmp.files(f, os.path.join(args.run_a, f), os.path.join(args.run_b, f))
        else:
            cmp.files(os.path.basename(args.run_a), args.run_a, args.run_b)
    except OSError as e:
        print(f"compare_runs.py: {e}", file=sys.stderr)
        return 2
    print(f"compare_runs.py: {cmp.datasets} datasets compared, {cmp.differences} differences"
          f" (rtol {args.rtol:g}, atol {args.atol:g})", file=sys.stderr)
    return 1 if cmp.differences else 0


if __name__ == "__main__":
    sys.exit(main())
