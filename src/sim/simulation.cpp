#include "bonesim/sim/simulation.hpp"

#include <utility>

namespace bonesim {

Simulation make_simulation(BoneLattice lattice, const Config& cfg) {
  Simulation sim;
  sim.fields = make_signalling_fields(lattice.shape, cfg.fields);
  sim.lattice = std::move(lattice);
  return sim;
}

}  // namespace bonesim
