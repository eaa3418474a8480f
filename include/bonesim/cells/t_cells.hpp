// T cells: a random walk through marrow with resting and activated states; activated
// cells make RANKL (docs/MODEL.md, "Cells: T cells"; Eghbali-Fatourechi 2003, Cenci 2000).
#pragma once

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/cells_config.hpp"

namespace bonesim {

// Day 0: each marrow voxel holds a T cell with probability density x voxel volume,
// activated with the steady-state probability a / (a + d) of the switching rates.
void seed_t_cells(CellPopulations& cells, const BoneLattice& l, const TCellConfig& cfg,
                  std::uint64_t seed);

// One step: Poisson(move_per_day dt) hops, each to a random face neighbour if it is
// marrow inside the grid, then a state switch. Cells do not interact, so each cell's
// update depends only on its own random stream: parallel and thread-count independent.
void update_t_cells(TCells& t, const BoneLattice& l, const TCellConfig& cfg, const StepClock& c);

}  // namespace bonesim
