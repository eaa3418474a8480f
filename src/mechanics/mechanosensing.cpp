#include "bonesim/mechanics/mechanosensing.hpp"

#include <algorithm>

namespace bonesim {

OsteocyteResponse osteocyte_response(const MechanosensingConfig& cfg, double microstrain) {
  const double s = std::max(0.0, microstrain);
  if (s < cfg.disuse_microstrain) {
    // Disuse: d = 0 at the threshold, 1 without any strain.
    const double d = 1.0 - s / cfg.disuse_microstrain;
    return {1.0 + cfg.rankl_disuse_gain * d, 1.0 - cfg.opg_disuse_loss * d};
  }
  if (s > cfg.overload_microstrain) {
    // Overload: e = 0 at the threshold, saturating at twice it.
    const double e = std::min(1.0, s / cfg.overload_microstrain - 1.0);
    return {1.0 - cfg.rankl_overload_loss * e, 1.0 + cfg.opg_overload_gain * e};
  }
  return {};
}

}  // namespace bonesim
