// The steps of import_image_lattice() after reading: crop, segment, resample.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "bonesim/core/grid.hpp"
#include "bonesim/io/image_import.hpp"

namespace bonesim {

// A segmented image at the input resolution: 1 = bone. x fastest, no padding.
struct BinaryImage {
  std::array<int, 3> dims{};
  std::array<double, 3> spacing_um{};
  std::vector<std::uint8_t> values;
};

// The sub-block [begin, begin + size) of the image; size 0 on an axis = to the end.
// Throws InputError naming the crop key, `source` (the file) and the image size when
// the block leaves the image.
ScalarImage crop_image(const ScalarImage& image, const std::array<int, 3>& begin,
                       const std::array<int, 3>& size, const std::string& source);

// 1 where value >= threshold.
BinaryImage threshold_image(const ScalarImage& image, double threshold);

// Largest simulation grid an image may be resampled to (voxels).
inline constexpr double kMaxResampledVoxels = 2048.0 * 2048.0 * 2048.0;

// Grid size for the image's extent at voxel_size_um: round(extent / voxel) per axis,
// at least 1. Throws InputError above kMaxResampledVoxels.
std::array<int, 3> resampled_dims(const std::array<int, 3>& dims,
                                  const std::array<double, 3>& spacing_um, double voxel_size_um);

// Bone volume fraction of each cubic voxel of edge voxel_size_um, with voxel (0,0,0)'s
// lower corner on the image's. Per axis: where the voxel is at least as large as the
// input spacing, the mean of the binary image over the voxel (exact box overlap, so
// integer down-sampling factors give exact fractions); where it is smaller, linear
// interpolation between input voxel centres (trilinear overall).
Field<float> resample_fractions(const BinaryImage& image, double voxel_size_um);

}  // namespace bonesim
