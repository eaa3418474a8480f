// What the cells make for the signalling fields (docs/MODEL.md, "Cells: signals"):
// production per voxel, pM/day, summed cell by cell in a fixed order.
#pragma once

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/cells_config.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/mechanics/mechanosensing.hpp"

namespace bonesim {

struct CellSources {
  Field<float> rankl;  // osteocytes, osteoblast precursors, activated T cells
  Field<float> opg;    // osteocytes, active osteoblasts
  SignallingSources view() const { return {.rankl = &rankl, .opg = &opg}; }
};

CellSources make_cell_sources(const GridShape& field_grid);

// Osteocytes signal into the marrow next to their voxel (osteocyte_outlet), their RANKL
// and OPG scaled by osteocyte_response() to the strain of their own voxel when
// `stimulus` is given; other cells into their own voxel; each into the field voxel
// holding that voxel, divided by the field voxel's volume in lattice voxels (coarsening^3).
void compute_cell_sources(const CellPopulations& cells, const CellsConfig& cfg,
                          const BoneLattice& l, int coarsening, CellSources& out,
                          const StrainStimulus* stimulus = nullptr);

}  // namespace bonesim
