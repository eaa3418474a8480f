// The mechanics of the bone lattice as the model uses it (docs/MODEL.md section 8):
// element moduli from the lattice, the habitual load cases solved by voxel finite
// elements (voxel_fe.hpp) when due, and their strain energy density combined per element.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "bonesim/config/interventions_config.hpp"
#include "bonesim/config/mechanics_config.hpp"
#include "bonesim/core/grid.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

// What the last solve found for one load case.
struct LoadCaseState {
  // Displacement of the element centre (mean of its 8 nodes), x, y, z (um); 0 in marrow.
  std::array<Field<float>, 3> displacement_um;
  double apparent_modulus_MPa = 0;
};

// Part of the state: what the last solve found, on the signalling fields' grid.
struct MechanicsState {
  Field<float> sed_MPa;  // combined SED of the habitual load cases (MPa)
  Field<float> strain;   // effective strain sqrt(2 SED / E) (-)
  // One per mechanics.load_cases entry (one by default, as in the default config).
  std::vector<LoadCaseState> cases = std::vector<LoadCaseState>(1);
  double solved_day = -1;        // day of the last solve, -1 = never
  double bone_at_solve_um3 = 0;  // mineralised bone volume then (um^3)
  std::int64_t iterations = 0;   // CG iterations of the last solve, all cases
};

MechanicsState make_mechanics_state(const GridShape& field_grid, std::size_t load_cases);

// Modulus of each element (MPa): the mean over its c^3 lattice voxels of
// tissue_modulus x bone^exponent (docs/MODEL.md, "Mechanics").
Field<float> element_moduli(const BoneLattice& l, int c, const MechanicsConfig& cfg);

// Mineralised bone volume of the lattice (um^3), summed in a fixed order.
double bone_volume_um3(const BoneLattice& l);

// True before the first solve, cfg.interval_days after the last one, and once the bone
// volume has moved by more than cfg.bone_change_fraction since the last solve.
bool mechanics_due(const MechanicsState& m, const MechanicsConfig& cfg, double day,
                   double bone_um3);

// Solves every load case on the lattice's current bone and stores the combined SED, the
// effective strain and each case's apparent modulus and displacement. Each case starts
// from its displacement of the last solve (each node the mean of the stored
// element-centre values around it, a stress-controlled case brought back to the strain
// it is solved at): a function of the state alone, so a restart from a checkpoint solves
// exactly as the uninterrupted run.
void solve_bone_mechanics(MechanicsState& m, const BoneLattice& l, int c,
                          const MechanicsConfig& cfg, double day, double bone_um3);

// Factor on the habitual load at `day`: the product of the load_factor of every
// intervention of type load active then ([start_day, end_day)).
double load_factor(const std::vector<InterventionConfig>& interventions, double day);

}  // namespace bonesim
