// The `drugs:` section: pharmacokinetics of the drugs the `interventions` list doses, and
// how their serum level reaches the marrow (docs/MODEL.md, "Denosumab").
#pragma once

#include "bonesim/config/key_spec.hpp"
#include "bonesim/interventions/pharmacokinetics.hpp"

namespace bonesim {

// The keys of a PkParameters set (defaults: the drug's published set, pharmacokinetics.hpp).
template <class V>
void visit_pk(V& v, PkParameters& p) {
  v.value("bioavailability", p.bioavailability,
          {.doc = "F, absorbed fraction of a sc dose (-)", .min = 0, .max = 1});
  v.value("absorption_per_day", p.absorption_per_day,
          {.doc = "ka, depot -> serum (1/day)", .min = 0, .min_open = true});
  v.value("central_volume_mL_per_kg", p.central_volume_mL_per_kg,
          {.doc = "V_c, serum compartment (mL/kg)", .min = 0, .min_open = true});
  v.value("peripheral_volume_mL_per_kg", p.peripheral_volume_mL_per_kg,
          {.doc = "V_p, 0 = no peripheral compartment (mL/kg)", .min = 0});
  v.value("intercompartment_clearance_mL_per_kg_per_day",
          p.intercompartment_clearance_mL_per_kg_per_day,
          {.doc = "Q, serum <-> peripheral (mL/(kg day))", .min = 0});
  v.value("elimination_per_day", p.elimination_per_day,
          {.doc = "ke, linear elimination (1/day)", .min = 0});
  v.value("vmax_ng_per_kg_per_day", p.vmax_ng_per_kg_per_day,
          {.doc = "Vmax, target-mediated elimination (ng/(kg day))", .min = 0});
  v.value("km_ng_per_mL", p.km_ng_per_mL,
          {.doc = "Km of the target-mediated elimination (ng/mL)", .min = 0, .min_open = true});
  v.value("molar_mass_g_per_mol", p.molar_mass_g_per_mol,
          {.doc = "molar mass (g/mol)", .min = 0, .min_open = true});
  v.value("body_mass_kg", p.body_mass_kg, {.doc = "body mass (kg)", .min = 0, .min_open = true});
}

// One injected RANKL-binding drug: its pharmacokinetics and how its serum level reaches
// the marrow.
struct DrugConfig {
  PkParameters pk;
  // Free drug in marrow = marrow_serum_ratio x serum level, at every field update:
  // exchange with blood takes hours, far faster than the level changes (days).
  double marrow_serum_ratio = 1.0;

  template <class V>
  void visit(V& v) {
    visit_pk(v, pk);
    v.value("marrow_serum_ratio", marrow_serum_ratio,
            {.doc = "free drug in marrow / serum level (-)", .min = 0, .max = 10});
  }
};

struct DrugsConfig {
  // Binds RANKL at fields.k_a_rankl_drug_per_pM. Marrow / serum 0.07: the tissue / plasma
  // biodistribution coefficient of IgG antibodies in bone (about 7 %, Shah & Betts 2013,
  // mAbs 5:297 [memory]); with it the CTX proxy recovers to ~20 % of baseline before the
  // next dose (biology.md section 3: 20-30 %), with 1 it stays below 7 % (docs/MODEL.md
  // section 9).
  DrugConfig denosumab{denosumab_pk(), 0.07};
  // Recombinant OPG: binds RANKL as OPG does. Marrow / serum 1 (unconstrained: its effect
  // is already briefer than Bekker 2001's, docs/MODEL.md section 9).
  DrugConfig opg_fc{opg_fc_pk(), 1.0};

  template <class V>
  void visit(V& v) {
    v.section("denosumab", denosumab);
    v.section("opg_fc", opg_fc);
  }
};

}  // namespace bonesim
