// The whole state of a run: plain data that the rules of each step act on.
#pragma once

#include <cstdint>

#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

struct Simulation {
  BoneLattice lattice;
  std::int64_t step = 0;  // steps completed
  double day = 0.0;       // simulated days completed (= step * dt_days, never accumulated)
};

}  // namespace bonesim
