// Exact Euclidean distance transform of one phase of a two-phase mask.
// Method: Felzenszwalb & Huttenlocher (2012), docs/MODEL.md, "Morphometry".
#pragma once

#include <cstdint>
#include <limits>

#include "bonesim/core/grid.hpp"

namespace bonesim {

// Squared distance meaning "no voxel of the other phase anywhere in the domain".
inline constexpr std::int32_t kNoFeature = std::numeric_limits<std::int32_t>::max();

// For every voxel with mask == phase: the squared distance (voxel units) from its centre to
// the nearest voxel centre with mask != phase; 0 on the other phase. Voxels outside the
// domain are not features: the structure is taken to continue beyond the sample faces.
// Where the other phase is absent from the domain, phase voxels hold kNoFeature.
Field<std::int32_t> squared_distance_transform(const Mask& mask, std::uint8_t phase);

}  // namespace bonesim
