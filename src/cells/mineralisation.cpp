#include "bonesim/cells/mineralisation.hpp"

#include "bonesim/core/parallel.hpp"

namespace bonesim {

void mineralise(BoneLattice& l, const MineralisationConfig& cfg, const StepClock& c) {
  const float share = float(chance(1.0 / cfg.primary_days, c.dt));
  for_each_row(l.shape, [&](int j, int k) {
    float* bone = l.bone.row(j, k);
    float* osteoid = l.osteoid.row(j, k);
    const float* formed = l.day_last_formed.row(j, k);
    for (int i = 0; i < l.shape.nx; ++i) {
      if (osteoid[i] <= 0 || c.day_after() - formed[i] < cfg.lag_days) continue;
      const float moved = osteoid[i] < 1e-3f ? osteoid[i] : share * osteoid[i];
      bone[i] = std::min(1.0f, bone[i] + moved);
      osteoid[i] -= moved;
    }
  });
}

}  // namespace bonesim
