// Micro-CT import: MetaImage (.mhd + .raw), VTK image data (.vti) and HDF5
// datasets (file.h5:/path), segmented and resampled onto the simulation grid.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "bonesim/config/config.hpp"
#include "bonesim/lattice/bone_lattice.hpp"

namespace bonesim {

// A grey-value image as read, x fastest, no padding.
struct ScalarImage {
  std::array<int, 3> dims{};           // voxels along x, y, z
  std::array<double, 3> spacing_um{};  // voxel size along x, y, z (um); 0 where unknown
  std::vector<float> values;           // dims[0] * dims[1] * dims[2] values

  float at(int i, int j, int k) const {
    return values[std::size_t(i) +
                  std::size_t(dims[0]) * (std::size_t(j) + std::size_t(dims[1]) * k)];
  }
};

// Reads .mhd, .vti or "file.h5:/dataset"; throws InputError naming the file and what
// was wrong (corrupt header, size mismatch, unsupported type, NaN values...).
ScalarImage read_image(const std::string& path);

// Otsu's (1979) threshold of the image's grey-value histogram.
double otsu_threshold(const ScalarImage& image);

// The whole pipeline: read, crop, threshold, resample to voxel_size_um. The result
// is marked as the day-0 state.
BoneLattice import_image_lattice(const ImageLatticeConfig& cfg, double voxel_size_um);

}  // namespace bonesim
