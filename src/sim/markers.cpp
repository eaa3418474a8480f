#include "bonesim/sim/markers.hpp"

#include <cmath>

#include "bonesim/core/parallel.hpp"
#include "bonesim/interventions/schedule.hpp"

namespace bonesim {

double mineral_fraction(const BoneLattice& l) {
  const GridShape& g = l.shape;
  const double sum = deterministic_row_sum<double>(g, [&](int j, int k) {
    const float* b = l.bone.row(j, k);
    const float* m = l.mineral.row(j, k);
    double s = 0;
    for (int i = 0; i < g.nx; ++i) s += double(b[i]) * m[i];
    return s;
  });
  return sum / (double(g.nx) * g.ny * g.nz);
}

void close_marker_day(MarkerState& m, const RemodellingTally& tally, const BoneLattice& l,
                      const Config& cfg, double day_after) {
  const OutputConfig& o = cfg.run.output;
  const double keep = o.marker_smoothing_days > 0 ? std::exp(-1.0 / o.marker_smoothing_days) : 0;
  m.resorbed_um3_per_day = keep * m.resorbed_um3_per_day + (1 - keep) * tally.resorbed_um3_per_day;
  m.formed_um3_per_day = keep * m.formed_um3_per_day + (1 - keep) * tally.formed_um3_per_day;
  const double start = first_intervention_day(cfg.interventions);
  if (day_after > start - o.marker_baseline_days && day_after <= start) {
    m.baseline_days += 1;
    m.baseline_resorbed_um3 += tally.resorbed_um3_per_day;
    m.baseline_formed_um3 += tally.formed_um3_per_day;
    m.baseline_mineral_sum += mineral_fraction(l);
  }
}

}  // namespace bonesim
