// The `interventions` list read as a schedule (docs/MODEL.md, "Interventions"): the day
// the first one starts and the injections of a drug.
#pragma once

#include <limits>
#include <string_view>
#include <vector>

#include "bonesim/config/interventions_config.hpp"
#include "bonesim/interventions/pharmacokinetics.hpp"

namespace bonesim {

// Every injection of the entries of `type`, in list order (advance_pk_with_doses sorts):
// dose_mg + dose_mg_per_kg x body_mass_kg each.
std::vector<DoseEvent> dose_events(const std::vector<InterventionConfig>& list,
                                   std::string_view type, double body_mass_kg);

// The earliest start_day of the list; infinity when it is empty.
double first_intervention_day(const std::vector<InterventionConfig>& list);

}  // namespace bonesim
