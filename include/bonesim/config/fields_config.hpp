// The `fields:` section of the run configuration: the signalling fields (docs/MODEL.md,
// "Signalling fields"). Same conventions as config.hpp: defaults next to the keys,
// units in the key names, one `visit` list per struct.
//
// Diffusivities are quoted per second, as papers quote them; the solver wants um^2/day
// and the conversion happens in one place (diffusion_params(), fields/signalling.cpp).
// No diffusivity of RANKL or OPG in marrow has been published (biology.md section 1):
// the defaults scale a free-protein 50 um^2/s at 20 kDa by Stokes-Einstein, D ~ M^-1/3,
// which keeps every species inside the 10-50 um^2/s that protein size suggests.
#pragma once

#include <string>
#include <string_view>

#include "bonesim/config/key_spec.hpp"

namespace bonesim {

// Outer faces of the domain for one species. `all` applies to every face whose own key
// says "inherit". Periodic faces come in pairs (checked by fields_config_problems()).
struct FieldBoundaryConfig {
  std::string all = "no_flux";  // no_flux | fixed | periodic
  std::string x_min = "inherit", x_max = "inherit";
  std::string y_min = "inherit", y_max = "inherit";
  std::string z_min = "inherit", z_max = "inherit";
  double fixed_value_pM = 0.0;  // concentration held at every "fixed" face (pM)

  template <class V>
  void visit(V& v) {
    static constexpr std::string_view kFace = "inherit|no_flux|fixed|periodic";
    v.value("all", all, {.doc = "every face not set below", .choices = "no_flux|fixed|periodic"});
    v.value("x_min", x_min, {.doc = "face x = 0", .choices = kFace});
    v.value("x_max", x_max, {.doc = "face x = nx", .choices = kFace});
    v.value("y_min", y_min, {.doc = "face y = 0", .choices = kFace});
    v.value("y_max", y_max, {.doc = "face y = ny", .choices = kFace});
    v.value("z_min", z_min, {.doc = "face z = 0", .choices = kFace});
    v.value("z_max", z_max, {.doc = "face z = nz", .choices = kFace});
    v.value("fixed_value_pM", fixed_value_pM,
            {.doc = "concentration at fixed faces (pM)", .min = 0});
  }
};

// One transported species. The two *_source members are not keys: they name where each
// default comes from, for the docs of the keys.
struct SpeciesConfig {
  double diffusivity_um2_per_s = 0;  // in marrow
  double decay_per_day = 0;          // first-order loss
  FieldBoundaryConfig boundary;
  std::string_view diffusivity_source = "";
  std::string_view decay_source = "";

  template <class V>
  void visit(V& v) {
    v.value("diffusivity_um2_per_s", diffusivity_um2_per_s,
            {.doc = diffusivity_source, .min = 0, .max = 1e4});
    v.value("decay_per_day", decay_per_day, {.doc = decay_source, .min = 0, .max = 1e4});
    v.section("boundary", boundary);
  }
};

struct FieldsConfig {
  // Transported species (pM). Sizes: soluble RANKL trimer ~60 kDa, OPG dimer ~110 kDa,
  // denosumab (IgG2) ~147 kDa, TGF-beta dimer ~25 kDa; a complex adds its partners.
  SpeciesConfig rankl{
      .diffusivity_um2_per_s = 35,
      .decay_per_day = 10.13,
      .boundary = {},
      .diffusivity_source = "RANKL D (um^2/s): choice, 60 kDa by Stokes-Einstein (unpublished)",
      .decay_source = "RANKL decay (1/day): Pivonka 2008 (OpenBoneMin: 0.07/day)"};
  SpeciesConfig opg{.diffusivity_um2_per_s = 28,
                    .decay_per_day = 0.35,
                    .boundary = {},
                    .diffusivity_source = "OPG D (um^2/s): choice, 110 kDa (unpublished)",
                    .decay_source = "OPG decay (1/day): Pivonka 2008"};
  SpeciesConfig rankl_opg{
      .diffusivity_um2_per_s = 24,
      .decay_per_day = 0.35,
      .boundary = {},
      .diffusivity_source = "RANKL-OPG D (um^2/s): choice, 170 kDa",
      .decay_source = "RANKL-OPG decay (1/day): assumed cleared like OPG (Pivonka 2008)"};
  SpeciesConfig drug{.diffusivity_um2_per_s = 26,
                     .decay_per_day = 0.0115,
                     .boundary = {},
                     .diffusivity_source = "denosumab D (um^2/s): choice, 147 kDa",
                     .decay_source = "denosumab linear elimination (1/day): Martinez-Reina 2019"};
  SpeciesConfig rankl_drug{
      .diffusivity_um2_per_s = 23,
      .decay_per_day = 10.13,
      .boundary = {},
      .diffusivity_source = "RANKL-denosumab D (um^2/s): choice, 207 kDa",
      .decay_source =
          "RANKL-denosumab decay (1/day): cleared with its RANKL (target-mediated "
          "disposition), as free RANKL (Pivonka 2008)"};
  SpeciesConfig coupling{
      .diffusivity_um2_per_s = 46,
      .decay_per_day = 1.0,
      .boundary = {},
      .diffusivity_source = "coupling factor D (um^2/s): choice, TGF-beta 25 kDa",
      .decay_source = "coupling factor decay (1/day): TGF-beta, Pivonka 2008"};

  // RANKL bound to RANK stays on its cell: it does not diffuse, only decays.
  double rankl_rank_decay_per_day = 10.13;  // assumed as free RANKL (Pivonka 2008)

  // Binding (association constants, 1/pM).
  double k_a_rankl_opg_per_pM = 1e-3;      // K_A1, Pivonka 2008 / Lemaire 2004 (1e-2 on, 10 off)
  double k_a_rankl_rank_per_pM = 3.41e-2;  // K_A2, Kd 29 pM, Pivonka 2008 / Lemaire 2004
  double k_a_rankl_drug_per_pM = 0.333;    // K_AD, Martinez-Reina & Pivonka 2019

  double rank_pM = 10.0;  // RANK per marrow voxel where cells give none (Pivonka 2008)
  double pth_pM = 2.907;  // systemic PTH: Pivonka 2008 production 250 / decay 86 [memory]
  double bone_diffusivity_um2_per_s = 0.0;  // in bone voxels; 0 = impermeable
  // Relative residual of each implicit step. 1e-4 moves the field means by <= 1e-4 and
  // the cells not at all over 60 days of the default scenario (vs 1e-6), for 22 % less
  // solver time; backward Euler over a 2-day interval errs far more than that.
  double solver_tolerance = 1e-4;
  // Lattice voxels per field voxel along each axis: RANKL's decay length sqrt(D/k) is
  // ~550 um, OPG's ~2.6 mm, so 40 um field voxels resolve every species (docs/MODEL.md).
  int grid_coarsening = 2;
  // Days between field solves (each one backward-Euler step over the interval; the
  // cells read the fields in between); 0 = every time step. RANKL relaxes in ~0.1 day;
  // cells act over days to weeks (osteoclast life ~2 weeks, reversal ~10 days).
  double update_interval_days = 2.0;

  template <class V>
  void visit(V& v) {
    v.section("rankl", rankl);
    v.section("opg", opg);
    v.section("rankl_opg", rankl_opg);
    v.section("drug", drug);
    v.section("rankl_drug", rankl_drug);
    v.section("coupling", coupling);
    v.value("rankl_rank_decay_per_day", rankl_rank_decay_per_day,
            {.doc = "decay of RANK-bound RANKL (1/day), assumed = free RANKL", .min = 0});
    v.value("k_a_rankl_opg_per_pM", k_a_rankl_opg_per_pM,
            {.doc = "RANKL-OPG association (1/pM), Pivonka 2008", .min = 0});
    v.value("k_a_rankl_rank_per_pM", k_a_rankl_rank_per_pM,
            {.doc = "RANKL-RANK association (1/pM), Pivonka 2008", .min = 0});
    v.value("k_a_rankl_drug_per_pM", k_a_rankl_drug_per_pM,
            {.doc = "RANKL-denosumab association (1/pM), Martinez-Reina 2019", .min = 0});
    v.value("rank_pM", rank_pM,
            {.doc = "RANK per marrow voxel without cell data (pM), Pivonka 2008", .min = 0});
    v.value("pth_pM", pth_pM, {.doc = "systemic PTH (pM), Pivonka 2008", .min = 0});
    v.value("bone_diffusivity_um2_per_s", bone_diffusivity_um2_per_s,
            {.doc = "diffusivity inside bone (um^2/s), 0 = impermeable", .min = 0});
    v.value("solver_tolerance", solver_tolerance,
            {.doc = "relative residual per implicit step", .min = 0, .max = 0.1, .min_open = true});
    v.value("grid_coarsening", grid_coarsening,
            {.doc = "lattice voxels per field voxel along each axis", .min = 1, .max = 16});
    v.value("update_interval_days", update_interval_days,
            {.doc = "days between field solves, 0 = every step", .min = 0});
  }
};

}  // namespace bonesim
