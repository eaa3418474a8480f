// What an osteocyte makes of the strain of its voxel (docs/MODEL.md, "Mechanosensing"):
// Frost's mechanostat lazy zone, with RANKL and OPG moved as Hofbauer et al. (2004)
// report strain to do (strain inhibits RANKL and up-regulates OPG), and osteoblast
// recruitment moved through sclerostin (Robling et al. 2008).
#pragma once

#include "bonesim/config/mechanics_config.hpp"
#include "bonesim/core/grid.hpp"

namespace bonesim {

struct OsteocyteResponse {
  double rankl = 1.0;      // factor on the osteocyte's RANKL production
  double opg = 1.0;        // factor on its OPG production
  double formation = 1.0;  // factor on osteoblast recruitment at the bone it sits in
};

// Response to an effective strain in microstrain (the habitual strain times the load factor).
OsteocyteResponse osteocyte_response(const MechanosensingConfig& cfg, double microstrain);

// How deep in disuse a strain is: 0 at or above disuse_microstrain, 1 without strain.
double disuse_depth(const MechanosensingConfig& cfg, double microstrain);

// The strain the cells sense: the habitual effective strain of the last mechanics solve
// (on the fields' grid, `coarsening` lattice voxels per element along an axis) times the
// load factor of the day.
struct StrainStimulus {
  const Field<float>* strain = nullptr;
  int coarsening = 1;
  double load_factor = 1.0;
  const MechanosensingConfig* sensing = nullptr;
  // Microstrain at lattice voxel (i, j, k).
  double microstrain(int i, int j, int k) const {
    const int c = coarsening;
    return 1e6 * double((*strain)(i / c, j / c, k / c)) * load_factor;
  }
};

}  // namespace bonesim
