// Osteocytes: cells inside bone voxels (docs/MODEL.md, "Cells: osteocytes").
#pragma once

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/cells_config.hpp"

namespace bonesim {

// Day 0: each bone voxel holds an osteocyte with probability density x voxel volume
// (Mullender et al. 1996: ~20 000 lacunae per mm^3 of human cancellous bone), drawn per
// voxel so the result does not depend on the thread count. Ids from cells.next_id.
void seed_osteocytes(CellPopulations& cells, const BoneLattice& l, const OsteocyteConfig& cfg,
                     std::uint64_t seed);

// Osteocytes whose voxel is no longer bone were resorbed with it: they die.
void remove_resorbed_osteocytes(Osteocytes& ocy, const BoneLattice& l);

// The marrow voxel an osteocyte signals to: its first marrow face neighbour in the fixed
// order -x +x -y +y -z +z, or none (-1 in [0]) when it lies deeper than one voxel.
Voxel osteocyte_outlet(const BoneLattice& l, const Voxel& v);

}  // namespace bonesim
