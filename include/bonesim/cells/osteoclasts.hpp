// Osteoclasts: multinucleated cells that resorb the bone they touch and move along the
// surface with persistence, digging pits and trenches (docs/MODEL.md, "Cells:
// osteoclasts"). OPG and anti-RANKL drugs act on them only through the RANK occupancy.
#pragma once

#include <vector>

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/cells_config.hpp"
#include "bonesim/config/fields_config.hpp"
#include "bonesim/fields/signalling.hpp"

namespace bonesim {

// Fusing precursors (voxels in id order) join the nearest osteoclast within
// fusion_radius that has room for a nucleus, or else found a new osteoclast of
// initial_nuclei. A new osteoclast within bmu_radius of a living one works for that
// one's event (the same BMU); otherwise it starts a new event.
void fuse_into_osteoclasts(CellPopulations& cells, const std::vector<Voxel>& fusing,
                           const BoneLattice& l, const OsteoclastConfig& cfg, const StepClock& c);

// One step of every osteoclast, in id order (a voxel goes to the first that claims it):
// apoptosis at rate (2 / lifespan) / (1 + occ / half) (RANKL promotes survival; Lacey
// et al. 1998, Pivonka 2008), then resorption: capacity nuclei x rate x dt is spent on
// the bone face neighbours of its voxel, best aligned with its heading first, down to
// its depth limit; a resorbed voxel frees coupling factor into the field. With no bone
// left within reach it steps to a neighbouring surface voxel ahead of it.
void update_osteoclasts(Osteoclasts& oc, BoneLattice& l, SignallingFields& f,
                        const FieldsConfig& fields, const OsteoclastConfig& cfg, const StepClock& c,
                        RemodellingTally& tally);

}  // namespace bonesim
