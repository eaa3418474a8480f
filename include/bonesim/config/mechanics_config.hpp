// The `mechanics` section: the voxel finite-element solve and what osteocytes make of
// its strain (docs/MODEL.md section 8, "Mechanics"). Defaults with units and origins.
#pragma once

#include <string>
#include <vector>

#include "bonesim/config/key_spec.hpp"

namespace bonesim {

// One habitual load case: the sample compressed (or stretched) between two plates.
struct LoadCaseConfig {
  std::string axis = "z";  // x | y | z
  // Apparent strain (-): -0.001 = 1000 microstrain in compression, a habitual peak
  // apparent strain of trabecular bone (tissue strains of 2000-3000, biology.md section 2).
  double apparent_strain = -0.001;
  // Apparent stress (MPa); when not 0 it prescribes the load instead of apparent_strain,
  // so a weaker structure strains more under the same load (the model is linear: solved
  // at apparent_strain, then scaled to this stress through the apparent modulus).
  double apparent_stress_MPa = 0.0;
  std::string lateral = "free";  // free | confined | fixed_plates (the side faces)
  double weight = 1.0;           // weight of this case's SED in combine: weighted_sum

  template <class V>
  void visit(V& v) {
    v.value("axis", axis, {.doc = "loading axis", .choices = "x|y|z"});
    v.value("apparent_strain", apparent_strain,
            {.doc = "apparent strain (-), negative = compression", .min = -0.1, .max = 0.1});
    v.value("apparent_stress_MPa", apparent_stress_MPa,
            {.doc = "apparent stress (MPa), negative = compression; 0 = strain-controlled",
             .min = -1000,
             .max = 1000});
    v.value("lateral", lateral,
            {.doc = "side faces: free, confined (no normal motion) or fixed plates (no slip)",
             .choices = "free|confined|fixed_plates"});
    v.value("weight", weight, {.doc = "weight in combine: weighted_sum (-)", .min = 0});
  }
};

// Osteocytes sense the effective strain of their voxel (docs/MODEL.md, "Mechanosensing"):
// a lazy zone between the two thresholds (Frost's mechanostat), more RANKL and less OPG
// below it, less RANKL and more OPG above it (Hofbauer 2004). Thresholds: biology.md
// section 2 (resorption below about 100-300, addition above about 1500-3000 microstrain);
// the gains are to be calibrated (configs/immobilization.yaml).
struct MechanosensingConfig {
  double disuse_microstrain = 300.0;     // below: disuse (RANKL up, OPG down)
  double overload_microstrain = 2000.0;  // above: overload (RANKL down, OPG up)
  double rankl_disuse_gain = 1.5;        // RANKL x (1 + gain d), d = 1 - strain / disuse
  double opg_disuse_loss = 0.5;          // OPG x (1 - loss d)
  double rankl_overload_loss = 0.5;      // RANKL x (1 - loss e), e = min(1, strain/overload - 1)
  double opg_overload_gain = 1.0;        // OPG x (1 + gain e)
  // Targeted remodelling: precursor arrivals next to bone in disuse x (1 + gain d), d the
  // bone's disuse depth (osteocyte apoptosis under unloading precedes and localises
  // osteoclast recruitment: Aguirre et al. 2006). Calibrated with rankl_disuse_gain on
  // the BV/TV lost per month at 10 % load (docs/MODEL.md section 8).
  double targeting_gain = 2.0;
  // Osteoblast recruitment at a pit site x (1 - loss d), floored at 0, in disuse and
  // x (1 + gain e) in overload: osteocytes make sclerostin when unloaded and stop when
  // loaded (Robling et al. 2008, J Biol Chem 283:5866), and sclerostin blocks the Wnt
  // signal that recruits osteoblasts (Sost-null mice keep their bone in disuse: Lin et
  // al. 2009, JBMR 24:1651). To be calibrated (configs/immobilization.yaml).
  double formation_disuse_loss = 3.0;
  double formation_overload_gain = 1.0;

  template <class V>
  void visit(V& v) {
    v.value("disuse_microstrain", disuse_microstrain,
            {.doc = "lower end of the lazy zone (microstrain), Frost: 100-300",
             .min = 0,
             .min_open = true});
    v.value("overload_microstrain", overload_microstrain,
            {.doc = "upper end of the lazy zone (microstrain), Frost: 1500-3000",
             .min = 0,
             .min_open = true});
    v.value("rankl_disuse_gain", rankl_disuse_gain,
            {.doc = "RANKL x (1 + gain) at zero strain (-)", .min = 0});
    v.value("opg_disuse_loss", opg_disuse_loss,
            {.doc = "OPG x (1 - loss) at zero strain (-)", .min = 0, .max = 1});
    v.value("rankl_overload_loss", rankl_overload_loss,
            {.doc = "RANKL x (1 - loss) at twice the overload strain (-)", .min = 0, .max = 1});
    v.value("opg_overload_gain", opg_overload_gain,
            {.doc = "OPG x (1 + gain) at twice the overload strain (-)", .min = 0});
    v.value("targeting_gain", targeting_gain,
            {.doc = "precursor arrivals at bone without strain x (1 + gain) (-)",
             .min = 0,
             .max = 100});
    v.value("formation_disuse_loss", formation_disuse_loss,
            {.doc = "osteoblast recruitment x max(0, 1 - loss d) in disuse (-)", .min = 0});
    v.value(
        "formation_overload_gain", formation_overload_gain,
        {.doc = "osteoblast recruitment x (1 + gain) at twice the overload strain (-)", .min = 0});
  }
};

// The elements are the signalling fields' voxels (fields.grid_coarsening lattice voxels
// along an axis), each with the mean modulus of the lattice voxels in it.
struct MechanicsConfig {
  bool enabled = false;  // off: osteocytes get no mechanical stimulus
  // Tissue modulus of fully mineralised bone: 10-20 GPa, Poisson ratio 0.3 (biology.md
  // section 2, "Mechanics").
  double tissue_modulus_MPa = 15000.0;
  // E = tissue_modulus (bone fraction)^exponent per lattice voxel: the mineralised volume
  // fraction scales the modulus (linear by default; osteoid alone carries nothing).
  double modulus_exponent = 1.0;
  double poisson_ratio = 0.3;
  std::vector<LoadCaseConfig> load_cases{LoadCaseConfig{}};
  std::string combine = "max";               // max | weighted_sum of the cases' SED per element
  double interval_days = 30.0;               // solve at day 0 and every this many days
  double bone_change_fraction = 0.01;        // ... or once the bone volume moved this much since
  double solver_tolerance = 1e-6;            // relative residual of the CG solve
  std::string preconditioner = "multigrid";  // multigrid | block_jacobi
  MechanosensingConfig osteocytes;

  template <class V>
  void visit(V& v) {
    v.value("enabled", enabled, {.doc = "solve the mechanics and let osteocytes sense strain"});
    v.value("tissue_modulus_MPa", tissue_modulus_MPa,
            {.doc = "modulus of fully mineralised tissue (MPa), 10-20 GPa",
             .min = 0,
             .min_open = true});
    v.value("modulus_exponent", modulus_exponent,
            {.doc = "E = tissue_modulus x bone_fraction^exponent (-)", .min = 0, .max = 5});
    v.value("poisson_ratio", poisson_ratio,
            {.doc = "Poisson ratio of the tissue (-)", .min = 0, .max = 0.49});
    v.list("load_cases", load_cases, {.doc = "habitual load cases, at least one"});
    v.value("combine", combine,
            {.doc = "per-element SED of several cases", .choices = "max|weighted_sum"});
    v.value("interval_days", interval_days,
            {.doc = "days between solves (d)", .min = 0, .min_open = true});
    v.value(
        "bone_change_fraction", bone_change_fraction,
        {.doc = "re-solve once the bone volume changed this much (-)", .min = 0, .min_open = true});
    v.value("solver_tolerance", solver_tolerance,
            {.doc = "relative residual of the CG solve (-)", .min = 1e-12, .max = 1e-2});
    v.value("preconditioner", preconditioner,
            {.doc = "CG preconditioner", .choices = "multigrid|block_jacobi"});
    v.section("osteocytes", osteocytes);
  }
};

}  // namespace bonesim
