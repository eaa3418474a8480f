"""Opens a bonesim run directory with ParaView's own readers and checks what users see.

    xvfb-run -a pvpython paraview_check.py RUN_DIR OUT_PNG

run.xdmf through XDMFReader (ParaView's XDMF 2 reader: Xdmf3ReaderS/T read our
3DCoRectMesh but turn the Polyvertex cell sets into point sets without cells) and,
when the run wrote them, vtk/*.pvd through PVDReader. Expectations come from the
snapshot files (h5py): the lattice's grid from the root attributes, the fields' own
grid (coarser with fields.grid_coarsening > 1) from the /fields group's attributes;
array names, cell counts = grid size, bounds = origin + [0, n h], time steps =
snapshot days, the lattice arrays on run.xdmf's "lattice" image and the field arrays
on its "fields" image, every cell inside the voxel floor((p - origin) / h) as
ParaView locates it, XDMF and VTK agreeing on values.
Then renders the bone surface to OUT_PNG and checks the picture is not blank.
Exit status 0 = all checks passed; otherwise every failure is printed, one a line.
"""
import glob
import math
import os
import re
import sys

import h5py
import numpy as np
from paraview import servermanager
from paraview.simple import (CellDatatoPointData, Contour, ExtractBlock,
                             GetActiveViewOrCreate, PVDReader, Render, SaveScreenshot, Show,
                             XDMFReader)
from vtkmodules.vtkCommonDataModel import vtkCompositeDataSet
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import reference
from vtkmodules.vtkIOImage import vtkPNGReader

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def leaves(data):
    """The datasets inside a (possibly multiblock) output."""
    if not data.IsA("vtkCompositeDataSet"):
        return [data]
    out, it = [], data.NewIterator()
    it.InitTraversal()
    while not it.IsDoneWithTraversal():
        out.append(it.GetCurrentDataObject())
        it.GoToNextItem()
    return out


def fetch(reader, time):
    reader.UpdatePipeline(time)
    return servermanager.Fetch(reader)


def geometry(attrs):
    """A voxel grid from grid_size, voxel_size_um, origin_um attributes."""
    return {"n": np.array(attrs["grid_size"], int), "h": float(attrs["voxel_size_um"]),
            "origin": np.array(attrs["origin_um"], float)}


def read_snapshots(run):
    """Root attributes and contents of every snapshots/step_*.h5, by day. The lattice's
    grid is n, h, origin; the fields' is fields_grid (None without /fields)."""
    snaps = []
    for path in sorted(glob.glob(os.path.join(run, "snapshots", "step_*.h5"))):
        with h5py.File(path, "r") as f:
            a = f.attrs
            fields_grid = None
            if "fields" in f:
                missing = [k for k in ("grid_size", "voxel_size_um", "origin_um")
                           if k not in f["fields"].attrs]
                if check(not missing, f"{path}: /fields attributes {missing} missing"):
                    fields_grid = geometry(f["fields"].attrs)
            snaps.append({
                "file": path, "day": float(a["day"]), "step": int(a["step"]),
                "h": float(a["voxel_size_um"]), "origin": np.array(a["origin_um"], float),
                "n": np.array(a["grid_size"], int),
                "lattice": bool(a.get("lattice", "lattice" in f)),
                "lattice_names": sorted(f["lattice"].keys()) if "lattice" in f else [],
                "fields": bool(a.get("fields", "fields" in f)),
                "field_names": sorted(f["fields"].keys()) if "fields" in f else [],
                "fields_grid": fields_grid,
                "populations": {p: int(f["cells"][p]["id"].shape[0])
                                for p in (f["cells"].keys() if "cells" in f else [])},
            })
    return snaps


def cell_arrays(data):
    cd = data.GetCellData()
    return sorted(cd.GetArrayName(i) for i in range(cd.GetNumberOfArrays()))


def grid_of(snap, part):
    """The voxel grid of a part of a snapshot: the lattice's (root attributes) or the
    fields' (/fields attributes)."""
    return snap if part == "lattice" else snap["fields_grid"]


def check_grid(label, image, grid, names):
    """Cell counts, bounds and array names of a voxel grid against a snapshot's grid."""
    if not check(grid is not None, f"{label}: the snapshot has no such grid"):
        return
    n, h, o = grid["n"], grid["h"], grid["origin"]
    check(image.GetNumberOfCells() == int(np.prod(n)),
          f"{label}: {image.GetNumberOfCells()} cells, expected {n[0]}x{n[1]}x{n[2]}")
    bounds = image.GetBounds()
    want = [v for a in range(3) for v in (o[a], o[a] + n[a] * h)]
    check(np.allclose(bounds, want, atol=1e-6 * h),
          f"{label}: bounds {bounds}, expected {want} (voxels must be cells, not points)")
    check(cell_arrays(image) == names,
          f"{label}: cell arrays {cell_arrays(image)}, expected {names}")
    check(image.GetPointData().GetNumberOfArrays() == 0,
          f"{label}: voxel data also appears as point data (half-voxel shift)")


def check_cells_in_voxels(label, image, points, snap):
    """Each cell lies in voxel floor((p - origin) / h), as ParaView finds it."""
    if points.GetNumberOfPoints() == 0:
        return
    p = vtk_to_numpy(points.GetPoints().GetData()).astype(float)
    n, h, o = snap["n"], snap["h"], snap["origin"]
    ijk = np.floor((p - o) / h).astype(int)
    frac = (p - o) / h - ijk
    inside = np.all((ijk >= 0) & (ijk < n), axis=1)
    clear = np.all((frac > 1e-6) & (frac < 1 - 1e-6), axis=1)  # skip cells on a face
    wrong = 0
    for q, want in zip(p[inside & clear], ijk[inside & clear]):
        cell = image.FindCell(q, None, 0, (1e-9 * h) ** 2, reference(0), [0.0] * 3, [0.0] * 8)
        got = [-1, -1, -1]
        if cell >= 0:
            # vtkImageData numbers cells with x fastest
            got = [cell % n[0], (cell // n[0]) % n[1], cell // (n[0] * n[1])]
        wrong += list(got) != list(want)
    check(wrong == 0, f"{label}: {wrong} cells are not in voxel floor((p - origin) / h)")


def image_leaf(data, label):
    images = [b for b in leaves(data) if b.IsA("vtkImageData")]
    check(len(images) == 1, f"{label}: {len(images)} voxel grids, expected 1")
    return images[0] if images else None


def named_images(data):
    """The voxel grids of a run.xdmf time step by grid name ("lattice", "fields")."""
    out = {}
    if not data.IsA("vtkCompositeDataSet"):
        return out
    it = data.NewIterator()
    it.InitTraversal()
    while not it.IsDoneWithTraversal():
        block, meta = it.GetCurrentDataObject(), it.GetCurrentMetaData()
        if block.IsA("vtkImageData"):
            name = meta.Get(vtkCompositeDataSet.NAME()) if meta.Has(
                vtkCompositeDataSet.NAME()) else "(unnamed)"
            # The reader numbers the grid names repeated from step to step: "fields[2]".
            out[re.sub(r"\[[0-9]+\]$", "", name)] = block
        it.GoToNextItem()
    return out


def check_xdmf(run, snaps):
    path = os.path.join(run, "run.xdmf")
    if not check(os.path.isfile(path), f"{path}: missing (bonesim run writes it with every "
                                       "snapshot; HDF5 snapshot output not integrated?)"):
        return
    reader = XDMFReader(FileNames=[path])
    times = list(reader.TimestepValues) if reader.TimestepValues else []
    days = [s["day"] for s in snaps]
    check(np.allclose(times, days) if len(times) == len(days) else False,
          f"run.xdmf: time steps {times}, expected the snapshot days {days}")
    latest = fields = None
    for s in snaps:
        data = fetch(reader, s["day"])
        latest = s if s["lattice"] else latest
        fields = s if s["fields"] else fields  # XDMF shows the most recent of each part
        # Each part on its own image: the lattice arrays on the lattice's grid, the
        # field arrays on the fields' (coarser with fields.grid_coarsening > 1).
        images = named_images(data)
        want = sorted((["lattice"] if latest else []) + (["fields"] if fields else []))
        check(sorted(images) == want, f"run.xdmf day {s['day']}: voxel grids "
                                      f"{sorted(images)}, expected {want}")
        image = images.get("lattice")
        if latest and image:
            check_grid(f"run.xdmf day {s['day']} lattice", image, latest,
                       latest["lattice_names"])
        if fields and "fields" in images:
            check_grid(f"run.xdmf day {s['day']} fields", images["fields"],
                       fields["fields_grid"], fields["field_names"])
        points = [b for b in leaves(data) if not b.IsA("vtkImageData")]
        counts = sorted(b.GetNumberOfPoints() for b in points)
        want = sorted(c for c in s["populations"].values() if c > 0)
        check(counts == want, f"run.xdmf day {s['day']}: point sets of {counts} cells, "
                              f"expected {want}")
        for b in points:
            check(b.GetNumberOfCells() == b.GetNumberOfPoints(),
                  f"run.xdmf day {s['day']}: {b.GetNumberOfCells()} vertices for "
                  f"{b.GetNumberOfPoints()} cells")
            if latest and image:
                check_cells_in_voxels(f"run.xdmf day {s['day']}", image, b, latest)


def pvd_reader(run, name):
    path = os.path.join(run, "vtk", name + ".pvd")
    return PVDReader(FileName=path) if os.path.isfile(path) else None


def check_voxel_series(run, snaps, part, xdmf):
    """vtk/<part>.pvd: time steps, grids and arrays of the snapshots holding that part,
    each array equal to what run.xdmf shows on the same day."""
    part_snaps = [s for s in snaps if s[part]]
    reader = pvd_reader(run, part)
    if not part_snaps:
        return reader
    if not check(reader is not None, f"{run}/vtk/{part}.pvd: missing (run with "
                                     "--set run.output.vtk=true)"):
        return None
    times = list(reader.TimestepValues) if len(part_snaps) > 1 else [reader.TimestepValues]
    want = [s["day"] for s in part_snaps]
    check(len(times) == len(want) and np.allclose(times, want),
          f"{part}.pvd: time steps {times}, expected the {part} snapshot days {want}")
    key = "lattice_names" if part == "lattice" else "field_names"
    for s in part_snaps:
        image = image_leaf(fetch(reader, s["day"]), f"{part}.pvd day {s['day']}")
        if not image:
            continue
        check_grid(f"{part}.pvd day {s['day']}", image, grid_of(s, part), s[key])
        if xdmf is not None:  # both formats show the same numbers, on the same grid
            other = named_images(fetch(xdmf, s["day"])).get(part)
            check(other is not None, f"run.xdmf day {s['day']}: no '{part}' voxel grid")
            if other is not None:
                check(other.GetDimensions() == image.GetDimensions() and
                      np.allclose(other.GetSpacing(), image.GetSpacing()) and
                      np.allclose(other.GetOrigin(), image.GetOrigin()),
                      f"day {s['day']}: {part}.pvd and run.xdmf's '{part}' grid differ "
                      f"({image.GetDimensions()} {image.GetSpacing()} {image.GetOrigin()} vs "
                      f"{other.GetDimensions()} {other.GetSpacing()} {other.GetOrigin()})")
            for name in s[key]:
                a = image.GetCellData().GetArray(name)
                b = other.GetCellData().GetArray(name) if other else None
                check(a is not None and b is not None and
                      np.array_equal(vtk_to_numpy(a), vtk_to_numpy(b)),
                      f"day {s['day']}: '{name}' differs between {part}.pvd and run.xdmf")
    return reader


def check_pvd(run, snaps):
    xdmf = XDMFReader(FileNames=[os.path.join(run, "run.xdmf")]) \
        if os.path.isfile(os.path.join(run, "run.xdmf")) else None
    reader = check_voxel_series(run, snaps, "lattice", xdmf)
    check_voxel_series(run, snaps, "fields", xdmf)
    if reader is None:
        return None
    lattice_snaps = [s for s in snaps if s["lattice"]]
    for pvd in sorted(glob.glob(os.path.join(run, "vtk", "cells_*.pvd"))):
        pop = os.path.basename(pvd)[len("cells_"):-len(".pvd")]
        cells = PVDReader(FileName=pvd)
        cell_snaps = [s for s in snaps if pop in s["populations"]]
        for s in cell_snaps:
            points = fetch(cells, s["day"])
            check(points.GetNumberOfPoints() == s["populations"][pop],
                  f"{os.path.basename(pvd)} day {s['day']}: {points.GetNumberOfPoints()} "
                  f"cells, expected {s['populations'][pop]}")
            latest = [t for t in lattice_snaps if t["day"] <= s["day"]]
            if latest:
                image = image_leaf(fetch(reader, latest[-1]["day"]), "lattice.pvd")
                if image:
                    check_cells_in_voxels(f"{os.path.basename(pvd)} day {s['day']}", image,
                                          points, latest[-1])
    return reader


def render(source, day, out_png):
    """The bone surface (bone = 0.5 on the voxel data averaged to points)."""
    points = CellDatatoPointData(Input=source)
    surface = Contour(Input=points, ContourBy=["POINTS", "bone"], Isosurfaces=[0.5])
    view = GetActiveViewOrCreate("RenderView")
    view.ViewSize = [640, 480]
    view.ViewTime = day
    view.OrientationAxesVisibility = 0
    Show(surface, view)
    view.ResetCamera()
    view.CameraPosition = [1, -1.4, 1.1]  # oblique; ResetCamera then frames the cube
    view.CameraFocalPoint = [0, 0, 0]
    view.CameraViewUp = [0, 0, 1]
    view.ResetCamera()
    Render(view)
    SaveScreenshot(out_png, view, ImageResolution=[640, 480])
    png = vtkPNGReader()
    png.SetFileName(out_png)
    png.Update()
    pixels = png.GetOutput().GetPointData().GetScalars()
    check(pixels is not None and pixels.GetNumberOfTuples() == 640 * 480,
          f"{out_png}: not a 640x480 PNG")
    if pixels is not None:
        rgb = vtk_to_numpy(pixels)[:, :3].astype(int)
        background = rgb[0]
        drawn = np.count_nonzero(np.any(rgb != background, axis=1))
        check(drawn > 0.01 * len(rgb), f"{out_png}: blank ({drawn} pixels drawn)")


def main(argv):
    xdmf_only = "--xdmf-only" in argv  # a run written without vtk/ (run.output.vtk: false)
    argv = [a for a in argv if a != "--xdmf-only"]
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    run, out_png = argv[1], argv[2]
    snaps = read_snapshots(run)
    if not snaps:
        print(f"FAIL: {run}/snapshots/step_*.h5: no snapshots", file=sys.stderr)
        return 1
    check_xdmf(run, snaps)
    lattice = None if xdmf_only else check_pvd(run, snaps)
    source = lattice
    if source is None and os.path.isfile(os.path.join(run, "run.xdmf")):
        # The lattice blocks only (named lattice, lattice[1], ...): the fields grid has
        # no bone to contour.
        source = ExtractBlock(Input=XDMFReader(FileNames=[os.path.join(run, "run.xdmf")]),
                              Selectors=["//*[starts-with(name(),'lattice')]"])
    if source is not None:
        render(source, snaps[-1]["day"], out_png)
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"paraview_check: {len(snaps)} snapshots, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    status = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: under Xvfb, ParaView's render window teardown can end
    # the process with an X error (GLXBadContext) and status 1 after all checks ran.
    os._exit(status)
