// Osteoclast precursors: RANK+ monocyte-macrophages that arrive from the circulation at
// bone surfaces, wander along them, and fuse into osteoclasts at a rate that rises with
// RANK occupancy (docs/MODEL.md, "Cells: osteoclast precursors"; Boyle, Simonet & Lacey
// 2003; Pivonka et al. 2008 for the occupancy-driven differentiation). The pool is state:
// when RANKL is blocked (denosumab) fusion stops and precursors accumulate.
#pragma once

#include <vector>

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/cells_config.hpp"
#include "bonesim/config/fields_config.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/mechanics/mechanosensing.hpp"

namespace bonesim {

// Arrivals over one step: Poisson(supply x bone surface x dt) in all. Each of
// Poisson(supply x h^2 x 6 N dt) trials picks a random voxel and face (counter-based
// stream per trial); a marrow voxel whose face borders bone receives a precursor, so
// arrivals per marrow-bone face are uniform and their mean is supply x BS x dt. With a
// strain `stimulus`, a face whose bone is in disuse (depth d, disuse_depth()) receives
// (1 + targeting_gain d) times as many (docs/MODEL.md, "Targeted remodelling").
void supply_precursors(CellPopulations& cells, const BoneLattice& l, const PrecursorConfig& cfg,
                       const StepClock& c, const StrainStimulus* stimulus = nullptr);

// One step of every precursor: death (rate 1 / lifespan), a hop to a random surface
// voxel among its 26 neighbours (rate move_per_day), then fusion with probability
// chance(fusion_per_day occ / (occ + half), dt), occ the RANK occupancy of its voxel.
// Fusing precursors leave the pool; their voxels are returned in id order.
std::vector<Voxel> update_precursors(Precursors& p, const BoneLattice& l, const SignallingFields& f,
                                     const FieldsConfig& fields, const PrecursorConfig& cfg,
                                     const StepClock& c);

}  // namespace bonesim
