#include "bonesim/interventions/schedule.hpp"

#include <algorithm>

namespace bonesim {

std::vector<DoseEvent> dose_events(const std::vector<InterventionConfig>& list,
                                   std::string_view type, double body_mass_kg) {
  std::vector<DoseEvent> out;
  for (const InterventionConfig& i : list) {
    if (i.type != type) continue;
    const double mg = i.dose_mg + i.dose_mg_per_kg * body_mass_kg;
    for (int n = 0; n < i.doses; ++n) out.push_back({i.start_day + n * i.interval_days, mg});
  }
  return out;
}

double first_intervention_day(const std::vector<InterventionConfig>& list) {
  double first = std::numeric_limits<double>::infinity();
  for (const InterventionConfig& i : list) first = std::min(first, i.start_day);
  return first;
}

}  // namespace bonesim
