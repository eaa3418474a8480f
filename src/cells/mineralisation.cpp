#include "bonesim/cells/mineralisation.hpp"

#include <cmath>

#include "bonesim/core/parallel.hpp"

namespace bonesim {

void mineralise(BoneLattice& l, const MineralisationConfig& cfg, const StepClock& c) {
  const float share = float(chance(1.0 / cfg.primary_days, c.dt));
  const float secondary = float(chance(cfg.secondary_per_day, c.dt));
  const float primary = float(cfg.primary_degree);
  for_each_row(l.shape, [&](int j, int k) {
    float* bone = l.bone.row(j, k);
    float* osteoid = l.osteoid.row(j, k);
    float* degree = l.mineral.row(j, k);
    const float* formed = l.day_last_formed.row(j, k);
    for (int i = 0; i < l.shape.nx; ++i) {
      if (bone[i] > 0) degree[i] += (1.0f - degree[i]) * secondary;
      if (osteoid[i] <= 0 || c.day_after() - formed[i] < cfg.lag_days) continue;
      const float moved = osteoid[i] < 1e-3f ? osteoid[i] : share * osteoid[i];
      const float added = std::min(1.0f, bone[i] + moved) - bone[i];
      degree[i] = (bone[i] * degree[i] + added * primary) / (bone[i] + added);
      bone[i] += added;
      osteoid[i] -= moved;
    }
  });
}

void seed_mineral(BoneLattice& l, const MineralisationConfig& cfg, std::uint64_t seed) {
  const double mean_age_days = 365.0 / cfg.initial_turnover_per_year;
  for_each_row(l.shape, [&](int j, int k) {
    const float* bone = l.bone.row(j, k);
    float* degree = l.mineral.row(j, k);
    for (int i = 0; i < l.shape.nx; ++i) {
      if (bone[i] <= 0) continue;
      const double u = uniform01(seed, voxel_key(l.shape, {i, j, k}), 0, Purpose::kMineralAge);
      const double age = -mean_age_days * std::log(u);
      degree[i] = float(1.0 - (1.0 - cfg.primary_degree) * std::exp(-cfg.secondary_per_day * age));
    }
  });
}

}  // namespace bonesim
