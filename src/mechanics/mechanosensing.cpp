#include "bonesim/mechanics/mechanosensing.hpp"

#include <algorithm>

namespace bonesim {

double disuse_depth(const MechanosensingConfig& cfg, double microstrain) {
  return std::clamp(1.0 - microstrain / cfg.disuse_microstrain, 0.0, 1.0);
}

OsteocyteResponse osteocyte_response(const MechanosensingConfig& cfg, double microstrain) {
  const double s = std::max(0.0, microstrain);
  if (s < cfg.disuse_microstrain) {
    const double d = disuse_depth(cfg, s);
    return {1.0 + cfg.rankl_disuse_gain * d, 1.0 - cfg.opg_disuse_loss * d,
            std::max(0.0, 1.0 - cfg.formation_disuse_loss * d)};
  }
  if (s > cfg.overload_microstrain) {
    // Overload: e = 0 at the threshold, saturating at twice it.
    const double e = std::min(1.0, s / cfg.overload_microstrain - 1.0);
    return {1.0 - cfg.rankl_overload_loss * e, 1.0 + cfg.opg_overload_gain * e,
            1.0 + cfg.formation_overload_gain * e};
  }
  return {};
}

}  // namespace bonesim
