// The whole state of a run: plain data that the rules of each step act on.
#pragma once

#include <cstdint>

#include "bonesim/cells/populations.hpp"
#include "bonesim/config/config.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/interventions/pharmacokinetics.hpp"
#include "bonesim/lattice/bone_lattice.hpp"
#include "bonesim/mechanics/bone_mechanics.hpp"
#include "bonesim/sim/markers.hpp"

namespace bonesim {

struct Simulation {
  BoneLattice lattice;
  SignallingFields fields;  // on the lattice's grid
  CellPopulations cells;
  RemodellingTally remodelling;
  MechanicsState mechanics;  // on the fields' grid
  PkState denosumab;         // the patient's denosumab (interventions of type denosumab)
  PkState opg_fc;            // and recombinant OPG-Fc (type opg_fc)
  MarkerState markers;
  std::int64_t step = 0;  // steps completed
  double day = 0.0;       // simulated days completed (= step * dt_days, never accumulated)
};

// The state at day 0 on `lattice`: signalling fields as make_signalling_fields() sets
// them; with cells enabled, osteocytes and T cells seeded (docs/MODEL.md, "Cells").
Simulation make_simulation(BoneLattice lattice, const Config& cfg);

}  // namespace bonesim
