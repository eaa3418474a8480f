// Osteoid turning into mineralised bone (docs/MODEL.md, "Cells: mineralisation"):
// after a lag since it was last laid down, osteoid mineralises with a time constant
// (the primary phase of Martinez-Reina & Pivonka 2019, lag 12 days, 10 days).
#pragma once

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/cells_config.hpp"

namespace bonesim {

// Over one step, in every voxel whose osteoid is older than lag_days, the fraction
// 1 - exp(-dt / primary_days) of it becomes bone (all of it below 1e-3).
void mineralise(BoneLattice& l, const MineralisationConfig& cfg, const StepClock& c);

}  // namespace bonesim
