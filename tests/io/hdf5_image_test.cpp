// HDF5 image import: datasets written with the HDF5 C API, [z][y][x], read back
// exactly; missing or malformed datasets give one clear InputError.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_import.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace bonesim {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using testing_support::quiet_error_of;
using testing_support::TempDir;

constexpr int kNx = 7, kNy = 6, kNz = 5;

double pattern(int i, int j, int k) {
  return i + 10 * j + 60 * k;
}

template <class T>
std::vector<T> pattern_values(double scale) {
  std::vector<T> v;  // C order [z][y][x]: x fastest
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i) v.push_back(T(pattern(i, j, k) * scale));
  return v;
}

// Writes `data` as dataset `name` (groups created) of the given extent to `path`.
template <class T>
void write_dataset(const std::string& path, const std::string& name, hid_t type,
                   const std::vector<T>& data, std::vector<hsize_t> extent,
                   const double* spacing_zyx = nullptr) {
  const hid_t file = fs::exists(path)
                         ? H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)
                         : H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  const hid_t space = H5Screate_simple(int(extent.size()), extent.data(), nullptr);
  const hid_t dset = H5Dcreate2(file, name.c_str(), type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(dset, 0);
  ASSERT_GE(H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), 0);
  if (spacing_zyx) {
    const hsize_t three = 3;
    const hid_t aspace = H5Screate_simple(1, &three, nullptr);
    const hid_t attr =
        H5Acreate2(dset, "element_size_um", H5T_NATIVE_DOUBLE, aspace, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, H5T_NATIVE_DOUBLE, spacing_zyx);
    H5Aclose(attr);
    H5Sclose(aspace);
  }
  H5Dclose(dset);
  H5Sclose(space);
  H5Pclose(lcpl);
  H5Fclose(file);
}

const std::vector<hsize_t> kExtent{kNz, kNy, kNx};

template <class T>
void expect_pattern(const ScalarImage& img, double scale) {
  ASSERT_EQ(img.dims, (std::array<int, 3>{kNx, kNy, kNz}));
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i)
        ASSERT_EQ(img.at(i, j, k), float(T(pattern(i, j, k) * scale))) << i << " " << j << " " << k;
}

TEST(Hdf5Image, RoundTripUint8Int16Float) {
  TempDir d;
  const std::string f = d.file("ct.h5");
  const double spacing[3] = {10.0, 11.0, 12.5};  // z y x, as stored
  write_dataset(f, "/u8", H5T_NATIVE_UINT8, pattern_values<std::uint8_t>(0.5), kExtent, spacing);
  write_dataset(f, "/scan/i16", H5T_NATIVE_INT16, pattern_values<std::int16_t>(-100.0), kExtent);
  write_dataset(f, "/f32", H5T_NATIVE_FLOAT, pattern_values<float>(0.37), kExtent);

  const ScalarImage u8 = read_image(f + ":/u8");
  expect_pattern<std::uint8_t>(u8, 0.5);
  EXPECT_EQ(u8.spacing_um, (std::array<double, 3>{12.5, 11.0, 10.0}));
  const ScalarImage i16 = read_image(f + ":/scan/i16");
  expect_pattern<std::int16_t>(i16, -100.0);
  EXPECT_EQ(i16.spacing_um, (std::array<double, 3>{0, 0, 0}));  // no attribute: unknown
  expect_pattern<float>(read_image(f + ":/f32"), 0.37);
}

TEST(Hdf5ImageErrors, MissingFileAndDataset) {
  TempDir d;
  const std::string f = d.file("ct.h5");
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/x"); }), HasSubstr("ct.h5: file not found"));
  write_dataset(f, "/scan/f32", H5T_NATIVE_FLOAT, pattern_values<float>(1.0), kExtent);
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/scan/missing"); }),
              HasSubstr("ct.h5:/scan/missing: dataset not found ('/scan/missing' does not exist)"));
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/nogroup/f32"); }),
              HasSubstr("('/nogroup' does not exist)"));
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/scan"); }),
              HasSubstr("ct.h5:/scan: '/scan' is not a dataset"));
  EXPECT_THAT(quiet_error_of([&] { read_image(f); }), HasSubstr("ct.h5: no dataset named"));
}

TEST(Hdf5ImageErrors, Rank2Dataset) {
  TempDir d;
  const std::string f = d.file("slice.h5");
  write_dataset(f, "/slice", H5T_NATIVE_FLOAT, std::vector<float>(kNx * kNy, 1.0f),
                {hsize_t(kNy), hsize_t(kNx)});
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/slice"); }),
              HasSubstr("slice.h5:/slice: rank 2, expected a rank-3 dataset stored [z][y][x]"));
}

TEST(Hdf5ImageErrors, NonNumericAndNotHdf5) {
  TempDir d;
  const std::string f = d.file("text.h5");
  const hid_t str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, 4);
  write_dataset(f, "/s", str, std::vector<char>(4 * 2 * 2 * 2, 'a'), {2, 2, 2});
  H5Tclose(str);
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/s"); }),
              HasSubstr("text.h5:/s: string data, expected a numeric"));

  std::ofstream(d.file("fake.h5")) << "not hdf5";
  EXPECT_THAT(quiet_error_of([&] { read_image(d.file("fake.h5") + ":/x"); }),
              HasSubstr("fake.h5: not an HDF5 file"));
}

TEST(Hdf5ImageErrors, BadSpacingAttributeAndNan) {
  TempDir d;
  const std::string f = d.file("ct.h5");
  const double bad[3] = {1.0, 0.0, 1.0};
  write_dataset(f, "/a", H5T_NATIVE_FLOAT, pattern_values<float>(1.0), kExtent, bad);
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/a"); }),
              HasSubstr("ct.h5:/a: attribute element_size_um: expected 3 positive numbers"));

  std::vector<double> v = pattern_values<double>(1.0);
  v[6 + kNx * (0 + kNy * 4)] = -std::numeric_limits<double>::infinity();
  write_dataset(f, "/b", H5T_NATIVE_DOUBLE, v, kExtent);
  EXPECT_THAT(quiet_error_of([&] { read_image(f + ":/b"); }),
              HasSubstr("ct.h5:/b: voxel (6, 0, 4) (x, y, z) is -inf"));
}

}  // namespace
}  // namespace bonesim
