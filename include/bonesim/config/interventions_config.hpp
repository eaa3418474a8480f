// The `interventions` list: what changes the model's inputs over time, each entry typed
// and active over [start_day, end_day). docs/MODEL.md, "Interventions".
#pragma once

#include <string>

#include "bonesim/config/key_spec.hpp"

namespace bonesim {

struct InterventionConfig {
  // load: the habitual load cases scaled by load_factor (immobilisation, bed rest and
  // spaceflight < 1, exercise > 1); several overlapping entries multiply.
  std::string type = "load";
  double start_day = 0.0;  // first day it acts (d)
  double end_day = 0.0;    // day it stops acting (d)
  double load_factor = 1.0;

  template <class V>
  void visit(V& v) {
    v.value("type", type, {.doc = "what the intervention changes", .choices = "load"});
    v.value("start_day", start_day, {.doc = "first day it acts (d)", .min = 0});
    v.value("end_day", end_day, {.doc = "day it stops acting (d)", .min = 0});
    v.value("load_factor", load_factor,
            {.doc = "type load: factor on the habitual load (-)", .min = 0, .max = 10});
  }
};

}  // namespace bonesim
