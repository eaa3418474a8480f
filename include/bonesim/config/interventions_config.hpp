// The `interventions` list: what changes the model's inputs over time, each entry typed
// (docs/MODEL.md, "Interventions").
#pragma once

#include <string>

#include "bonesim/config/key_spec.hpp"

namespace bonesim {

struct InterventionConfig {
  // load: the habitual load cases scaled by load_factor over [start_day, end_day)
  // (immobilisation, bed rest and spaceflight < 1, exercise > 1); overlapping entries
  // multiply.
  // denosumab, opg_fc: `doses` subcutaneous injections of dose_mg + dose_mg_per_kg x the
  // drug's body mass, the first on start_day, then every interval_days (Prolia: 60 mg
  // every 182 days; OPG-Fc trials: 0.1-3 mg/kg once); end_day is not used.
  // estrogen_deficiency, pth (continuous: hyperparathyroidism), pth_intermittent,
  // glucocorticoid: over [start_day, end_day) at `severity` (0-1), through
  // InterventionEffectsConfig.
  std::string type = "load";
  double start_day = 0.0;  // first day it acts, or of the first dose (d)
  double end_day = 0.0;    // day it stops acting (d); load only
  double load_factor = 1.0;
  double dose_mg = 0.0;          // per injection (mg)
  double dose_mg_per_kg = 0.0;   // per injection and kg of body mass (mg/kg)
  double interval_days = 182.0;  // between injections (d)
  int doses = 1;                 // injections
  double severity = 1.0;         // 0 = none, 1 = the gains of InterventionEffectsConfig

  template <class V>
  void visit(V& v) {
    v.value("type", type,
            {.doc = "what the intervention changes",
             .choices =
                 "load|denosumab|opg_fc|estrogen_deficiency|pth|pth_intermittent|glucocorticoid"});
    v.value("start_day", start_day, {.doc = "first day it acts or first dose (d)", .min = 0});
    v.value("end_day", end_day, {.doc = "day it stops acting (d); not for injections", .min = 0});
    v.value("load_factor", load_factor,
            {.doc = "type load: factor on the habitual load (-)", .min = 0, .max = 10});
    v.value("dose_mg", dose_mg, {.doc = "injections: dose per injection (mg)", .min = 0});
    v.value("dose_mg_per_kg", dose_mg_per_kg,
            {.doc = "injections: dose per injection and kg of body mass (mg/kg)", .min = 0});
    v.value("interval_days", interval_days,
            {.doc = "days between injections (d)", .min = 0, .min_open = true});
    v.value("doses", doses, {.doc = "number of injections", .min = 1, .max = 10000});
    v.value(
        "severity", severity,
        {.doc = "hormones and disease: strength, 1 = the effect gains (-)", .min = 0, .max = 1});
  }
};

// What hormones and disease do at severity 1 (docs/MODEL.md section 9): factors
// 1 + gain and 1 - loss on the cells' parameters while an entry acts. The directions
// come from the sources named; the sizes are choices (docs/MODEL.md, "Hormones and
// disease"), not fits.

// Estrogen deficiency (menopause). Estrogen's loss raises RANKL per marrow stromal cell
// (osteoblast lineage), T cell and B cell 2-3x (Eghbali-Fatourechi et al. 2003, J Clin
// Invest 111:1221) and the number of activated T cells (Cenci et al. 2000, J Clin Invest
// 106:1229); estrogen raises osteoblastic OPG (Hofbauer 2004, seeds) and shortens
// osteoclast life (Hughes et al. 1996, Nat Med 2:1132).
struct EstrogenDeficiencyEffects {
  double t_cell_activation_gain = 1.5;
  double t_cell_rankl_gain = 1.5;
  double stromal_rankl_gain = 1.5;  // osteoblast precursors
  double opg_loss = 0.5;            // osteoblasts and osteocytes
  double osteoclast_lifespan_gain = 0.3;

  template <class V>
  void visit(V& v) {
    v.value("t_cell_activation_gain", t_cell_activation_gain,
            {.doc = "T-cell activation x (1 + gain) (-), Cenci 2000", .min = 0});
    v.value("t_cell_rankl_gain", t_cell_rankl_gain,
            {.doc = "RANKL per T cell x (1 + gain) (-), Eghbali-Fatourechi 2003: 2-3x", .min = 0});
    v.value("stromal_rankl_gain", stromal_rankl_gain,
            {.doc = "RANKL per osteoblast precursor x (1 + gain) (-), Eghbali-Fatourechi 2003",
             .min = 0});
    v.value("opg_loss", opg_loss,
            {.doc = "OPG x (1 - loss) (-), Hofbauer 2004", .min = 0, .max = 1});
    v.value("osteoclast_lifespan_gain", osteoclast_lifespan_gain,
            {.doc = "osteoclast lifespan x (1 + gain) (-), Hughes 1996", .min = 0});
  }
};

// Continuous PTH (primary hyperparathyroidism): more RANKL and less OPG from the
// osteoblast lineage and osteocytes (Hofbauer 2004, seeds; Ma et al. 2001,
// Endocrinology 142:4047), so turnover rises with resorption leading.
struct PthContinuousEffects {
  double rankl_gain = 2.0;
  double opg_loss = 0.5;

  template <class V>
  void visit(V& v) {
    v.value("rankl_gain", rankl_gain,
            {.doc = "osteocyte and osteoblast-precursor RANKL x (1 + gain) (-)", .min = 0});
    v.value("opg_loss", opg_loss, {.doc = "OPG x (1 - loss) (-)", .min = 0, .max = 1});
  }
};

// Intermittent PTH (daily teriparatide injections): anabolic through the osteoblast
// lineage. More osteoblasts are recruited (lining-cell activation, Dobnig & Turner 1995,
// Endocrinology 136:3632), they live longer (less apoptosis, Jilka et al. 1999, J Clin
// Invest 104:439), and some go on forming past the cavity's rim: overflow remodelling
// (Lindsay et al. 2006, J Bone Miner Res 21:366), or form on quiescent surface with no
// resorption before (modelling-based formation). Resorption follows through the RANKL
// of the extra osteoblast precursors (Pivonka 2008), as the marker does clinically.
struct PthIntermittentEffects {
  double recruitment_gain = 1.0;
  double osteoblast_lifespan_gain = 0.5;
  double overflow_fraction = 0.5;  // the osteoblasts' overflow_fraction while it acts
  // The osteoblasts' quiescent_recruitment_per_mm2_per_day while it acts: modelling-based
  // formation, about a third of the formation on teriparatide (Lindsay 2006; Dempster et
  // al. 2018, J Bone Miner Res 33:298).
  double quiescent_recruitment_per_mm2_per_day = 1.5;

  template <class V>
  void visit(V& v) {
    v.value("recruitment_gain", recruitment_gain,
            {.doc = "osteoblast recruitment x (1 + gain) (-), Dobnig 1995", .min = 0});
    v.value("osteoblast_lifespan_gain", osteoblast_lifespan_gain,
            {.doc = "active osteoblast lifespan x (1 + gain) (-), Jilka 1999", .min = 0});
    v.value("overflow_fraction", overflow_fraction,
            {.doc = "share of osteoblasts forming past the cavity rim (-), Lindsay 2006",
             .min = 0,
             .max = 1});
    v.value("quiescent_recruitment_per_mm2_per_day", quiescent_recruitment_per_mm2_per_day,
            {.doc = "osteoblasts recruited onto quiescent surface (1/(mm^2 day)), Lindsay 2006",
             .min = 0});
  }
};

// Glucocorticoids (glucocorticoid-induced osteoporosis): more RANKL and less OPG
// (Hofbauer 2004, seeds); fewer osteoblasts, shorter-lived, forming more slowly
// (Weinstein et al. 1998, J Clin Invest 102:274: osteoblast apoptosis, lower wall
// thickness and mineral apposition), with cavities arresting sooner (Jensen 2012), so
// cavities are left incompletely refilled.
struct GlucocorticoidEffects {
  double rankl_gain = 0.15;
  double opg_loss = 0.3;
  double recruitment_loss = 0.7;
  double osteoblast_lifespan_loss = 0.5;
  double apposition_loss = 0.5;
  // Cavities left without osteoblasts arrest sooner (Jensen et al. 2012, J Bone Miner Res
  // 27:770: Cushing's syndrome, more arrested reversal surface, canopies lost early).
  double arrest_loss = 0.75;

  template <class V>
  void visit(V& v) {
    v.value("rankl_gain", rankl_gain, {.doc = "osteocyte RANKL x (1 + gain) (-)", .min = 0});
    v.value("opg_loss", opg_loss, {.doc = "OPG x (1 - loss) (-)", .min = 0, .max = 1});
    v.value("recruitment_loss", recruitment_loss,
            {.doc = "osteoblast recruitment x (1 - loss) (-)", .min = 0, .max = 1});
    v.value("osteoblast_lifespan_loss", osteoblast_lifespan_loss,
            {.doc = "active osteoblast lifespan x (1 - loss) (-)", .min = 0, .max = 0.99});
    v.value("apposition_loss", apposition_loss,
            {.doc = "apposition rate x (1 - loss) (-)", .min = 0, .max = 0.99});
    v.value(
        "arrest_loss", arrest_loss,
        {.doc = "osteoblasts' arrest_days x (1 - loss) (-), Jensen 2012", .min = 0, .max = 0.99});
  }
};

// The `effects:` section: one subsection per intervention type that acts through it.
struct InterventionEffectsConfig {
  EstrogenDeficiencyEffects estrogen_deficiency;
  PthContinuousEffects pth;
  PthIntermittentEffects pth_intermittent;
  GlucocorticoidEffects glucocorticoid;

  template <class V>
  void visit(V& v) {
    v.section("estrogen_deficiency", estrogen_deficiency);
    v.section("pth", pth);
    v.section("pth_intermittent", pth_intermittent);
    v.section("glucocorticoid", glucocorticoid);
  }
};

}  // namespace bonesim
