// HDF5 image import: a rank-3 dataset stored [z][y][x] (C order, x fastest), converted
// to float by the HDF5 library. HDF5's own error stack printing is switched off while
// we read; every failure becomes one InputError naming file, dataset and the fault.
#include <hdf5.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <utility>

#include "../output/hdf5_util.hpp"
#include "bonesim/core/error.hpp"
#include "bonesim/io/image_readers.hpp"

namespace bonesim {

namespace {

using h5::Handle;
using h5::QuietErrors;

const char* class_name(H5T_class_t c) {
  switch (c) {
    case H5T_TIME:
      return "time";
    case H5T_STRING:
      return "string";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_COMPOUND:
      return "compound";
    case H5T_REFERENCE:
      return "reference";
    case H5T_ENUM:
      return "enum";
    case H5T_VLEN:
      return "variable-length";
    case H5T_ARRAY:
      return "array";
    default:
      return "unknown";
  }
}

// The object at `dataset`, checked one path component at a time so the message can
// say which part is missing.
void require_dataset(hid_t file, const std::string& dataset, const std::string& where) {
  std::string prefix;
  std::size_t pos = dataset.front() == '/' ? 1 : 0;
  while (pos <= dataset.size()) {
    const std::size_t next = std::min(dataset.find('/', pos), dataset.size());
    prefix = dataset.substr(0, next);
    if (next > pos && H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) {
      throw InputError(where + ": dataset not found ('" + prefix + "' does not exist)");
    }
    pos = next + 1;
  }
  Handle object(H5Oopen(file, dataset.c_str(), H5P_DEFAULT), H5Oclose);
  if (!object.valid() || H5Iget_type(object.get()) != H5I_DATASET) {
    throw InputError(where + ": '" + dataset + "' is not a dataset");
  }
}

// element_size_um: 3 numbers in the dataset's axis order z y x (um), as Fiji and
// ilastik write it; returned as x y z.
std::array<double, 3> read_spacing(hid_t dset, const std::string& where) {
  if (H5Aexists(dset, "element_size_um") <= 0) return {0.0, 0.0, 0.0};
  Handle attr(H5Aopen(dset, "element_size_um", H5P_DEFAULT), H5Aclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  std::array<double, 3> s{};
  const bool ok = attr.valid() && H5Sget_simple_extent_npoints(space.get()) == 3 &&
                  (cls == H5T_FLOAT || cls == H5T_INTEGER) &&
                  H5Aread(attr.get(), H5T_NATIVE_DOUBLE, s.data()) >= 0;
  if (!ok || !(s[0] > 0 && s[1] > 0 && s[2] > 0) || !std::isfinite(s[0] + s[1] + s[2])) {
    throw InputError(where +
                     ": attribute element_size_um: expected 3 positive numbers (z y x, um)");
  }
  return {s[2], s[1], s[0]};
}

}  // namespace

ScalarImage read_hdf5_image(const std::string& file, const std::string& dataset) {
  namespace fs = std::filesystem;
  const std::string where = file + ":" + dataset;
  if (!fs::exists(file)) throw InputError(file + ": file not found");
  if (!fs::is_regular_file(file)) throw InputError(file + ": not a regular file");
  if (dataset.empty() || dataset == "/") {
    throw InputError(where + ": no dataset named (expected file.h5:/path/to/dataset)");
  }

  QuietErrors quiet;
  if (H5Fis_hdf5(file.c_str()) <= 0) throw InputError(file + ": not an HDF5 file");
  Handle f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.valid()) throw InputError(file + ": cannot open the HDF5 file");
  require_dataset(f.get(), dataset, where);
  Handle dset(H5Dopen2(f.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dset.valid()) throw InputError(where + ": cannot open the dataset");

  Handle type(H5Dget_type(dset.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
    throw InputError(where + ": " + class_name(cls) +
                     " data, expected a numeric (integer or float) dataset");
  }
  Handle space(H5Dget_space(dset.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 3) {
    throw InputError(where + ": rank " + std::to_string(rank) +
                     ", expected a rank-3 dataset stored [z][y][x]");
  }
  hsize_t extent[3] = {};
  H5Sget_simple_extent_dims(space.get(), extent, nullptr);
  for (hsize_t e : extent) {
    if (e == 0 || e > hsize_t(std::numeric_limits<int>::max())) {
      std::ostringstream msg;
      msg << where << ": dimensions " << extent[0] << " x " << extent[1] << " x " << extent[2]
          << " ([z][y][x]), expected each between 1 and " << std::numeric_limits<int>::max();
      throw InputError(msg.str());
    }
  }

  ScalarImage image;
  image.dims = {int(extent[2]), int(extent[1]), int(extent[0])};
  image.spacing_um = read_spacing(dset.get(), where);
  image.values.resize(std::size_t(extent[0] * extent[1] * extent[2]));
  if (H5Dread(dset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, image.values.data()) <
      0) {
    throw InputError(where + ": HDF5 could not read the data (damaged file or unsupported filter)");
  }
  return image;
}

}  // namespace bonesim
