#pragma once

#include "bonesim/config/config.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

// The day-0 lattice the config asks for: synthetic from run.seed, or a micro-CT image.
BoneLattice make_initial_lattice(const Config& cfg);

}  // namespace bonesim
