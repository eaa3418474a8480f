// What an osteocyte makes of the strain of its voxel (docs/MODEL.md, "Mechanosensing"):
// Frost's mechanostat lazy zone, with RANKL and OPG moved as Hofbauer et al. (2004)
// report strain to do (strain inhibits RANKL and up-regulates OPG).
#pragma once

#include "bonesim/config/mechanics_config.hpp"

namespace bonesim {

struct OsteocyteResponse {
  double rankl = 1.0;  // factor on the osteocyte's RANKL production
  double opg = 1.0;    // factor on its OPG production
};

// Response to an effective strain in microstrain (the habitual strain times the load factor).
OsteocyteResponse osteocyte_response(const MechanosensingConfig& cfg, double microstrain);

}  // namespace bonesim
