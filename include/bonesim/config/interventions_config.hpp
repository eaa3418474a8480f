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
  std::string type = "load";
  double start_day = 0.0;  // first day it acts, or of the first dose (d)
  double end_day = 0.0;    // day it stops acting (d); load only
  double load_factor = 1.0;
  double dose_mg = 0.0;          // per injection (mg)
  double dose_mg_per_kg = 0.0;   // per injection and kg of body mass (mg/kg)
  double interval_days = 182.0;  // between injections (d)
  int doses = 1;                 // injections

  template <class V>
  void visit(V& v) {
    v.value("type", type,
            {.doc = "what the intervention changes", .choices = "load|denosumab|opg_fc"});
    v.value("start_day", start_day, {.doc = "first day it acts or first dose (d)", .min = 0});
    v.value("end_day", end_day, {.doc = "type load: day it stops acting (d)", .min = 0});
    v.value("load_factor", load_factor,
            {.doc = "type load: factor on the habitual load (-)", .min = 0, .max = 10});
    v.value("dose_mg", dose_mg, {.doc = "injections: dose per injection (mg)", .min = 0});
    v.value("dose_mg_per_kg", dose_mg_per_kg,
            {.doc = "injections: dose per injection and kg of body mass (mg/kg)", .min = 0});
    v.value("interval_days", interval_days,
            {.doc = "days between injections (d)", .min = 0, .min_open = true});
    v.value("doses", doses, {.doc = "number of injections", .min = 1, .max = 10000});
  }
};

}  // namespace bonesim
