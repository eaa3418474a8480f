"""Renders the bone surface of a run with resorption pits coloured by the day they were dug.

    tools/pvpython.sh tools/render_pits.py RUN_DIR [--day D] [-o out.png]

Reads RUN_DIR/run.xdmf (ParaView's XDMF 2 reader), or RUN_DIR/vtk/lattice.pvd where the
run has no XDMF, at the snapshot nearest to day D (default: the last). A pit voxel
was bone at day 0 (bone_at_day0 = 1) and is bone no longer; it is drawn as a solid
coloured by lattice/day_last_resorbed, over the bone surface (bone = 0.5) in bone
colour, seen obliquely from the -y side under directional light, with a colour bar
"day resorbed". A run without pits gets the bone surface, the empty colour bar and
the note "no resorption pits yet".
"""
import argparse
import os
import sys

from paraview import servermanager
from paraview.simple import (Calculator, CellDatatoPointData, Contour, ExtractBlock, ExtractSurface,
                             GetActiveViewOrCreate, GetColorTransferFunction, GetScalarBar,
                             Outline, PVDReader, Render, SaveScreenshot,
                             Show, Text, Threshold, XDMFReader)

BONE_COLOUR = [0.90, 0.86, 0.78]  # ivory


def open_lattice(run):
    """A source whose output is the voxel grid with cell data, and its time steps."""
    xdmf = os.path.join(run, "run.xdmf")
    pvd = os.path.join(run, "vtk", "lattice.pvd")
    if os.path.isfile(xdmf):
        reader = XDMFReader(FileNames=[xdmf])
        # Each time step is a spatial collection (lattice + cell populations) whose
        # blocks the reader names lattice, lattice[1], ...: select them by prefix.
        source = ExtractBlock(Input=reader, Selectors=["//*[starts-with(name(),'lattice')]"])
    elif os.path.isfile(pvd):
        reader = source = PVDReader(FileName=pvd)
    else:
        raise SystemExit(f"render_pits: {run}: neither run.xdmf nor vtk/lattice.pvd")
    times = reader.TimestepValues
    times = list(times) if hasattr(times, "__len__") else [times]
    if not times:
        raise SystemExit(f"render_pits: {run}: the run has no lattice snapshot yet")
    return source, times


def render(run, day, out, size):
    source, times = open_lattice(run)
    t = min(times, key=lambda x: abs(x - day)) if day is not None else times[-1]
    view = GetActiveViewOrCreate("RenderView")
    view.ViewSize = size
    view.ViewTime = t
    view.OrientationAxesVisibility = 0
    view.Background = [1, 1, 1]
    try:  # 5.11 uses a palette unless told otherwise
        view.UseColorPaletteForBackground = 0
    except AttributeError:
        pass

    # The bone surface: bone fraction averaged to the voxel corners, contoured at 0.5.
    corners = CellDatatoPointData(Input=source)
    corners.PassCellData = 0
    surface = Contour(Input=corners, ContourBy=["POINTS", "bone"], Isosurfaces=[0.5])
    surface_display = Show(surface, view)
    surface_display.ColorArrayName = [None, ""]
    surface_display.DiffuseColor = BONE_COLOUR
    surface_display.AmbientColor = BONE_COLOUR
    surface_display.Specular = 0.1

    # Pit voxels: bone at day 0, marrow now; their value is the day they were resorbed.
    # (day_last_resorbed of a pit, -1 elsewhere; ExprTk comparisons give 1 or 0.)
    pits_day = Calculator(Input=source, AttributeType="Cell Data", ResultArrayName="pit_day",
                          Function="(bone_at_day0 > 0) * (bone < 0.5) * (day_last_resorbed + 1) - 1")
    pits = Threshold(Input=pits_day, Scalars=["CELLS", "pit_day"], LowerThreshold=0.0,
                     UpperThreshold=1e30, ThresholdMethod="Between")
    pit_faces = ExtractSurface(Input=pits)
    pit_display = Show(pit_faces, view)
    pit_display.ColorArrayName = ["CELLS", "pit_day"]
    lut = GetColorTransferFunction("pit_day")
    lut.ApplyPreset("Inferno (matplotlib)", True)
    lut.RescaleTransferFunction(0.0, max(t, 1.0))
    lut.AutomaticRescaleRangeMode = "Never"
    pit_display.LookupTable = lut
    bar = GetScalarBar(lut, view)
    bar.Title = "day resorbed"
    bar.ComponentTitle = ""
    bar.TitleColor = bar.LabelColor = [0.1, 0.1, 0.1]
    bar.RangeLabelFormat = "%-#.3g"
    bar.Visibility = 1
    pit_faces.UpdatePipeline(t)
    n_pits = servermanager.Fetch(pits).GetNumberOfCells()

    box = Show(Outline(Input=source), view)  # the sample's edges give the cube its shape
    box.DiffuseColor = box.AmbientColor = [0.35, 0.35, 0.35]

    label = Text(Text=f"day {t:g}" + ("" if n_pits else ": no resorption pits yet"))
    label_display = Show(label, view)
    label_display.WindowLocation = "Upper Left Corner"
    label_display.Color = [0.1, 0.1, 0.1]
    label_display.FontSize = 14

    # Oblique view of the cube: from the -y side, above, 30 degrees off the x axis.
    # ParaView's default light kit is directional (parallel) light from the camera.
    view.CameraFocalPoint = [0, 0, 0]
    view.CameraPosition = [1.0, -1.7, 1.2]
    view.CameraViewUp = [0, 0, 1]
    view.ResetCamera()
    view.CameraParallelProjection = 0
    view.CameraViewAngle = 26
    view.ResetCamera()
    Render(view)
    SaveScreenshot(out, view, ImageResolution=size)
    return t, n_pits


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="run directory (holds run.xdmf or vtk/lattice.pvd)")
    parser.add_argument("--day", type=float, help="simulated day (nearest snapshot; default last)")
    parser.add_argument("-o", "--output", help="PNG to write (default RUN/pits_dayD.png)")
    parser.add_argument("--size", type=int, nargs=2, default=[1200, 900], metavar=("W", "H"))
    args = parser.parse_args(argv[1:])
    if not os.path.isdir(args.run):
        raise SystemExit(f"render_pits: {args.run}: no such run directory")
    out = args.output
    t, n_pits = render(args.run, args.day, out or os.path.join(args.run, "pits.png"), args.size)
    if not out:
        out = os.path.join(args.run, f"pits_day{t:g}.png")
        os.replace(os.path.join(args.run, "pits.png"), out)
    print(f"{out}: day {t:g}, {n_pits} pit voxels")
    return 0


if __name__ == "__main__":
    status = main(sys.argv)
    sys.stdout.flush()
    os._exit(status)  # skip teardown: Xvfb may end it with a GLX error and status 1
