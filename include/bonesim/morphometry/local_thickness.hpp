// Local thickness (Hildebrand & Rueegsegger 1997): for each voxel of a phase, the diameter of
// the largest sphere that contains it and fits in the phase. docs/MODEL.md, "Morphometry".
#pragma once

#include <cstdint>

#include "bonesim/core/grid.hpp"

namespace bonesim {

// Local thickness in voxel units on voxels with mask == phase, 0 elsewhere.
// Convention: a sphere centre at distance d (voxel units, to the nearest voxel centre of the
// other phase) covers the voxels whose centres lie at distance < d and has thickness
// 2 d - 0.5, exact to within +-0.5 voxel for plates of any whole number of layers.
// Where the other phase is absent, phase voxels are +infinity (the phase is unbounded).
Field<float> local_thickness(const Mask& mask, std::uint8_t phase);

// Local thickness from a squared distance map of the phase (squared_distance_transform).
Field<float> local_thickness_from_distance(const Field<std::int32_t>& squared_distance);

// Mean local thickness over voxels with mask == phase (voxel units); NaN if the phase is
// absent or unbounded (the other phase is absent).
double mean_local_thickness(const Mask& mask, std::uint8_t phase);

}  // namespace bonesim
