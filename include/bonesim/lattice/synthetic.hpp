// Synthetic trabecular bone: a deterministic network of plates and rods.
// Method and sources: docs/MODEL.md, "Synthetic trabecular bone".
#pragma once

#include <cstdint>

#include <vector>

#include "bonesim/config/config.hpp"
#include "bonesim/config/validate.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

// A lattice whose bone hits cfg.bv_tv within 1 % absolute and cfg.tb_th_um within
// 15 %, the same for the same (cfg, voxel size, seed) at any thread count.
// Marks the result as the day-0 state. Throws std::invalid_argument ("key: problem;
// ...") for targets no network can meet (see synthetic_lattice_problems).
BoneLattice generate_synthetic_lattice(const SyntheticLatticeConfig& cfg, double voxel_size_um,
                                       std::uint64_t seed);

}  // namespace bonesim

namespace bonesim {

// Every problem with the targets that can be seen before generating: ranges, and a
// sample too small to hold 1.5 trabecular spacings (estimated). `bonesim check`
// reports these; the generator re-checks the spacing it finally picks.
std::vector<ConfigIssue> synthetic_lattice_problems(const SyntheticLatticeConfig& cfg,
                                                    double voxel_size_um);

}  // namespace bonesim
