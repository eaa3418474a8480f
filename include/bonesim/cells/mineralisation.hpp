// Osteoid turning into mineralised bone (docs/MODEL.md, "Cells: mineralisation"):
// after a lag since it was last laid down, osteoid mineralises with a time constant
// (the primary phase of Martinez-Reina & Pivonka 2019, lag 12 days, 10 days) to the
// primary degree of mineralisation, which then rises slowly towards full (secondary
// mineralisation; biology.md section 2).
#pragma once

#include "bonesim/cells/cell_context.hpp"
#include "bonesim/config/cells_config.hpp"

namespace bonesim {

// Over one step: the degree m of every voxel's bone moves by (1 - m)(1 - exp(-rate dt));
// then in every voxel whose osteoid is older than lag_days the fraction
// 1 - exp(-dt / primary_days) of it becomes bone (all of it below 1e-3) at
// primary_degree, and m becomes the volume-weighted mean of old and new bone.
void mineralise(BoneLattice& l, const MineralisationConfig& cfg, const StepClock& c);

// Day 0: each bone voxel's degree is that of bone of age a, 1 - (1 - primary) exp(-rate a),
// with a drawn per voxel from the exponential age distribution of a steady turnover
// (mean 1 / initial_turnover_per_year); key (seed, voxel, 0, kMineralAge).
void seed_mineral(BoneLattice& l, const MineralisationConfig& cfg, std::uint64_t seed);

}  // namespace bonesim
