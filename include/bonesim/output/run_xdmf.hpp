// run.xdmf: an XDMF 2 temporal collection over a run's snapshot files, which
// ParaView 5.11's Xdmf reader opens in one step (docs/OUTPUT_LAYOUT.md).
#pragma once

#include <string>
#include <vector>

#include "bonesim/output/snapshot_info.hpp"

namespace bonesim {

// One time step per snapshot (Time = day), each a spatial collection of
//  - "lattice": a 3DCoRectMesh whose cells are the voxels (node dimensions
//    nz+1 ny+1 nx+1, origin and spacing in um, Z Y X order as XDMF 2 wants), with
//    every /lattice array as cell data;
//  - "fields": the same on the fields' grid (SnapshotInfo::fields_geometry, coarser
//    than the lattice's with fields.grid_coarsening > 1) with every /fields array;
//  - "cells_<population>": a Polyvertex point set at position_um with every column
//    as point data (3-component columns as vectors).
// All use the same coordinates (um, no shift): a cell at p lies inside the mesh
// cell of voxel floor((p - origin) / h). A part missing from a snapshot is taken
// from the most recent earlier snapshot that has it, so the lattice shows at every
// time. `snapshots` must be sorted by step; their `file` is relative to run.xdmf.
std::string run_xdmf(const std::vector<SnapshotInfo>& snapshots);

}  // namespace bonesim
