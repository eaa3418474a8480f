#include "bonesim/sim/simulation.hpp"

#include <utility>

#include "bonesim/cells/mineralisation.hpp"
#include "bonesim/cells/osteocytes.hpp"
#include "bonesim/cells/t_cells.hpp"

namespace bonesim {

Simulation make_simulation(BoneLattice lattice, const Config& cfg) {
  Simulation sim;
  const int c = cfg.fields.grid_coarsening;
  sim.fields = make_signalling_fields(field_shape(lattice.shape, c), cfg.fields);
  sim.fields.coarsening = c;
  sim.mechanics = make_mechanics_state(sim.fields.rankl.shape, cfg.mechanics.load_cases.size());
  sim.lattice = std::move(lattice);
  seed_mineral(sim.lattice, cfg.cells.mineralisation, cfg.run.seed);
  if (cfg.cells.enabled) {
    seed_osteocytes(sim.cells, sim.lattice, cfg.cells.osteocytes, cfg.run.seed);
    seed_t_cells(sim.cells, sim.lattice, cfg.cells.t_cells, cfg.run.seed);
  }
  return sim;
}

}  // namespace bonesim
