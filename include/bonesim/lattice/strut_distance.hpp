// Distance from voxel centres to the medial elements of a strut network.
// Method: docs/MODEL.md, "Synthetic trabecular bone".
#pragma once

#include "bonesim/core/grid.hpp"
#include "bonesim/lattice/strut_network.hpp"

namespace bonesim {

// Squared distance (voxels^2) from each sample point to the nearest rod axis or plate
// mid-surface. Sample (i, j, k) of `samples` is the centre of voxel
// (stride * i, stride * j, stride * k) of the full grid. Values are exact where the
// distance is at most `cutoff_vox`; elsewhere they are larger than cutoff_vox^2 (and
// may be +inf). Each z-slice is owned by one task: the same bits at any thread count.
Field<float> strut_distance_squared(const StrutNetwork& net, const GridShape& samples, int stride,
                                    double cutoff_vox);

}  // namespace bonesim
