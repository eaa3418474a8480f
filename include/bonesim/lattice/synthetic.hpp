// Synthetic trabecular bone: a deterministic network of plates and rods.
// Method and sources: docs/MODEL.md, "Synthetic trabecular bone".
#pragma once

#include <cstdint>

#include "bonesim/config/config.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

// A lattice whose bone hits cfg.bv_tv within 1 % absolute and cfg.tb_th_um within
// 15 %, the same for the same (cfg, voxel size, seed) at any thread count.
// Marks the result as the day-0 state.
BoneLattice generate_synthetic_lattice(const SyntheticLatticeConfig& cfg, double voxel_size_um,
                                       std::uint64_t seed);

}  // namespace bonesim
