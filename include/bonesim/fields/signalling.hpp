// The signalling fields and their update over one agent step (docs/MODEL.md,
// "Signalling fields"). Units: pM, days, um.
//
// Each transported species c obeys dc/dt = div(D grad c) - k c + s - binding. One step
// is a Lie split, transport then binding:
//   (a) every mobile species takes one backward-Euler step with its own D (DiffusionSolver).
//       The free species (RANKL L, OPG O, drug Dg) and the coupling factor take their
//       sources and decay there too: (1 + k_X dt - dt div D grad) X* = X + dt s_X, so a
//       source spreads over its decay length sqrt(D / k) within the step, however long
//       the step is against 1 / k (RANKL: 0.1 day against 2-day field steps). The
//       complexes only diffuse here.
//   (b) every voxel takes one backward-Euler step of decay and binding together, binding
//       at equilibrium at the end of the step (binding takes minutes, the step hours).
//       With a_X = 1 + k_X dt, totals a_X X* + complexes after (a):
//         a_L L + a_LO C_LO + a_LD C_LD + a_LR C_LR = a_L L* + C_LO + C_LD + C_LR
//         a_O O + a_LO C_LO = a_O O* + C_LO,   a_D Dg + a_LD C_LD = a_D Dg* + C_LD
//       with C_LO = K_O L O, C_LD = K_D L Dg, C_LR = R_T K_R L / (1 + K_R L). Without
//       binding this returns L = L*, the plain reaction-diffusion step; with it, each
//       complex decays at its own rate. Eliminating O and Dg gives solve_binding()'s
//       equation with rescaled totals and constants, so (b) is one bracketed Newton solve
//       per voxel. Well mixed, a_X X* = X + dt s_X and the steady state (sources = decay)
//       is exact at any dt. react_signalling() is (b) with the sources added in the voxel
//       (a_X X* replaced by X + dt s_X): the well-mixed step.
// Cells read the RANK occupancy, K_A2 L / (1 + K_A2 L), derived from free RANKL.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "bonesim/config/fields_config.hpp"
#include "bonesim/config/validate.hpp"
#include "bonesim/core/grid.hpp"
#include "bonesim/fields/binding.hpp"
#include "bonesim/fields/diffusion_solver.hpp"

namespace bonesim {

// Concentrations per voxel (pM), 28 bytes per voxel in all.
struct SignallingFields {
  Field<float> rankl;       // free soluble RANKL L
  Field<float> opg;         // free OPG O
  Field<float> rankl_opg;   // RANKL-OPG complex C_LO
  Field<float> drug;        // free RANKL-blocking drug Dg (denosumab)
  Field<float> rankl_drug;  // RANKL-drug complex C_LD
  Field<float> rankl_rank;  // RANKL bound to RANK on the voxel's cells C_LR (immobile)
  Field<float> coupling;    // coupling factor (TGF-beta-like), from resorbed matrix
  double pth_pM = 0;        // PTH, systemic: one value for the whole domain
  // Lattice voxels per field voxel along each axis (fields.grid_coarsening): field voxel
  // (I, J, K) covers lattice voxels c I .. c I + c - 1 (and so on), same origin.
  std::int64_t coarsening = 1;
};

// The grid of fields coarsened by c from a lattice grid: sizes rounded up, so the last
// field voxel along an axis may reach beyond the lattice.
GridShape field_shape(const GridShape& lattice, int c);

// A field voxel is bone when all of its lattice voxels (inside the lattice) are: every
// marrow voxel, where cells sit, make and sense signals, lies in a marrow field voxel.
// (A majority rule left cells in "bone" field voxels, whose sources could not diffuse
// and piled up to source / decay there.)
Mask coarsen_bone(const Mask& lattice_bone, int c);

// Production per voxel (pM/day); null = none. Cells fill these (docs/MODEL.md, "Cells").
struct SignallingSources {
  const Field<float>* rankl = nullptr;
  const Field<float>* opg = nullptr;
  const Field<float>* drug = nullptr;
  const Field<float>* coupling = nullptr;
  // >= 0: the free drug is held at this level in every voxel (a blood-borne drug whose
  // marrow level follows the serum: exchange with blood takes hours, the level changes
  // over days), and RANKL binds it there; < 0: the drug is transported like the rest.
  double drug_held_pM = -1;
  // >= 0: free recombinant OPG (OPG-Fc) held at this level in every voxel, binding RANKL
  // at the OPG constant; its complex joins the drug's (`rankl_drug`: RANKL bound to a
  // blocking drug, cleared with its RANKL).
  double opg_fc_held_pM = -1;
};

// The implicit solvers of the transported species, built once per run; call
// set_bone(solvers, bone) whenever the lattice changes. Species whose operators share
// their structure (boundary types, bone / marrow diffusivity ratio) share one solver and
// its work arrays, switched by DiffusionSolver::set_params: with the defaults one solver
// serves all six.
struct SignallingSolvers {
  enum Species { kRankl, kOpg, kRanklOpg, kDrug, kRanklDrug, kCoupling, kCount };
  std::vector<DiffusionSolver> solvers;
  std::array<std::size_t, kCount> solver_of{};   // index into `solvers`
  std::array<DiffusionParams, kCount> params{};  // of each species
};

struct SignallingStats {
  SolveStats rankl, opg, rankl_opg, drug, rankl_drug, coupling;
  double sweep_equivalents() const;  // all species together
};

// Every field zero on grid g (coarsening 1), PTH from the config.
SignallingFields make_signalling_fields(const GridShape& g, const FieldsConfig& cfg);

// The solver parameters of one species: the one place where um^2/s becomes um^2/day and
// the boundary keys become BoundaryConditions.
DiffusionParams diffusion_params(const SpeciesConfig& species, const FieldsConfig& cfg);
BindingConstants binding_constants(const FieldsConfig& cfg);

SignallingSolvers make_signalling_solvers(const Mask& bone, double voxel_size_um,
                                          const FieldsConfig& cfg);
void set_bone(SignallingSolvers& solvers, const Mask& bone);
// Bytes of solver work arrays in all.
std::size_t scratch_bytes(const SignallingSolvers& solvers);

// Step (b) with the sources added in each voxel (no transport): sources, decay and
// binding in every voxel over dt days; dt = 0 with no sources only re-equilibrates. `rank` is the
// RANK per voxel (pM) that cells provide; null = cfg.rank_pM in every marrow voxel and none in
// bone.
void react_signalling(SignallingFields& f, const FieldsConfig& cfg, const Mask& bone,
                      const SignallingSources& sources, double dt_days,
                      const Field<float>* rank = nullptr);

// One step of dt days: (a) then (b) above.
SignallingStats advance_signalling(SignallingFields& f, const FieldsConfig& cfg, const Mask& bone,
                                   const SignallingSources& sources, double dt_days,
                                   SignallingSolvers& solvers, const Field<float>* rank = nullptr);

// Fraction of RANK bound by RANKL at voxel (i, j, k) (-).
inline double rank_occupancy(const SignallingFields& f, const FieldsConfig& cfg, int i, int j,
                             int k) {
  return rank_occupancy(cfg.k_a_rankl_rank_per_pM, double(f.rankl(i, j, k)));
}

// Means over marrow voxels (pM; occupancy -), NaN without marrow. For metrics.csv.
struct FieldMetrics {
  double rankl_pM = 0;        // free RANKL
  double opg_pM = 0;          // free OPG
  double rankl_opg_pM = 0;    // RANKL-OPG complex
  double drug_pM = 0;         // free drug
  double coupling_pM = 0;     // coupling factor
  double rank_occupancy = 0;  // fraction of RANK bound by RANKL
};
FieldMetrics field_metrics(const SignallingFields& f, const FieldsConfig& cfg, const Mask& bone);

// Cross-key problems of the `fields` section, keys prefixed "fields.": periodic faces
// unpaired, or periodic along an axis of odd size when the grid is known (0 = unknown).
// For validate_config() and for a lattice whose size is known only once it is loaded.
std::vector<ConfigIssue> fields_config_problems(const FieldsConfig& cfg,
                                                const std::array<int, 3>& grid_voxels = {});

}  // namespace bonesim
