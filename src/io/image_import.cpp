// read_image(): the one place a reader is chosen from the path; and the micro-CT
// import pipeline (docs/MODEL.md, "Lattice from micro-CT"): read, crop, segment,
// resample onto the simulation grid.
#include "bonesim/io/image_import.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>
#include <utility>

#include "bonesim/core/error.hpp"
#include "bonesim/core/parallel.hpp"
#include "bonesim/io/image_readers.hpp"
#include "bonesim/io/image_resample.hpp"

namespace bonesim {

namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

constexpr const char* kHdf5Extensions[] = {".h5", ".hdf5", ".hdf", ".he5"};

// "file.h5:/group/dataset" -> {"file.h5", "/group/dataset"}.
std::optional<std::pair<std::string, std::string>> split_hdf5_path(const std::string& path) {
  const std::string low = lower(path);
  for (const char* ext : kHdf5Extensions) {
    const auto pos = low.find(std::string(ext) + ":");
    if (pos != std::string::npos) {
      const std::size_t colon = pos + std::strlen(ext);
      return std::make_pair(path.substr(0, colon), path.substr(colon + 1));
    }
  }
  return std::nullopt;
}

// The first non-finite value in x-fastest order: per-row scans in parallel, then the
// first row with one, so the voxel named does not depend on the thread count.
void require_finite(const ScalarImage& image, const std::string& path) {
  const auto [nx, ny, nz] = image.dims;
  const Index rows = Index(ny) * nz;
  std::vector<int> first(std::size_t(rows), -1);
  parallel_for(
      0, rows,
      [&](Index r) {
        const float* v = image.values.data() + r * nx;
        for (int i = 0; i < nx; ++i) {
          if (!std::isfinite(v[i])) {
            first[std::size_t(r)] = i;
            return;
          }
        }
      },
      16);
  for (Index r = 0; r < rows; ++r) {
    if (const int i = first[std::size_t(r)]; i >= 0) {
      std::ostringstream msg;
      msg << path << ": voxel (" << i << ", " << r % ny << ", " << r / ny << ") (x, y, z) is "
          << image.values[std::size_t(r * nx + i)] << ", expected finite grey values";
      throw InputError(msg.str());
    }
  }
}

}  // namespace

ScalarImage read_image(const std::string& path) {
  ScalarImage image;
  if (const auto h5 = split_hdf5_path(path)) {
    image = read_hdf5_image(h5->first, h5->second);
  } else {
    const std::string ext = lower(fs::path(path).extension().string());
    if (std::find(std::begin(kHdf5Extensions), std::end(kHdf5Extensions), ext) !=
        std::end(kHdf5Extensions)) {
      throw InputError(path + ": no dataset named, expected " + path + ":/path/to/dataset");
    }
    if (fs::is_directory(path)) throw InputError(path + ": is a directory, expected an image file");
    if (!fs::exists(path)) throw InputError(path + ": file not found");
    if (ext == ".mhd" || ext == ".mha") {
      image = read_metaimage(path);
    } else if (ext == ".vti") {
      image = read_vti(path);
    } else {
      throw InputError(path + ": unknown image format '" + ext +
                       "', expected .mhd, .mha, .vti or file.h5:/dataset");
    }
  }
  const Index n = Index(image.dims[0]) * image.dims[1] * image.dims[2];
  if (n <= 0 || image.values.size() != std::size_t(n)) {
    throw InputError(path + ": empty image or size mismatch (" + std::to_string(image.dims[0]) +
                     " x " + std::to_string(image.dims[1]) + " x " + std::to_string(image.dims[2]) +
                     " voxels)");
  }
  require_finite(image, path);
  return image;
}

BoneLattice import_image_lattice(const ImageLatticeConfig& cfg, double voxel_size_um) {
  ScalarImage image = read_image(cfg.path);

  // MetaImage and VTI spacings carry no unit: we take them as um unless overridden.
  if (cfg.input_voxel_size_um > 0) {
    image.spacing_um = {cfg.input_voxel_size_um, cfg.input_voxel_size_um, cfg.input_voxel_size_um};
  } else if (!(image.spacing_um[0] > 0 && image.spacing_um[1] > 0 && image.spacing_um[2] > 0)) {
    throw InputError(cfg.path +
                     ": the file gives no voxel size; set lattice.image.input_voxel_size_um");
  }
  std::array<double, 3> origin_um{};
  for (std::size_t a = 0; a < 3; ++a) origin_um[a] = cfg.crop_begin_voxels[a] * image.spacing_um[a];

  image = crop_image(image, cfg.crop_begin_voxels, cfg.crop_size_voxels, cfg.path);

  double threshold = cfg.threshold;
  if (cfg.threshold_method == "otsu") {
    try {
      threshold = otsu_threshold(image);
    } catch (const InputError& e) {
      throw InputError(cfg.path + ": " + e.what());
    }
  } else if (cfg.threshold_method != "value") {
    throw InputError("lattice.image.threshold_method: expected otsu or value, got '" +
                     cfg.threshold_method + "'");
  }
  BinaryImage binary = threshold_image(image, threshold);
  image = ScalarImage{};  // the grey values are no longer needed: free them before resampling

  Field<float> fractions;
  try {
    fractions = resample_fractions(binary, voxel_size_um);
  } catch (const InputError& e) {
    throw InputError(cfg.path + ": " + e.what());
  }
  BoneLattice lattice =
      make_lattice(fractions.shape.nx, fractions.shape.ny, fractions.shape.nz, voxel_size_um);
  lattice.bone = std::move(fractions);
  lattice.origin_um = origin_um;
  mark_day0(lattice);
  return lattice;
}

}  // namespace bonesim
