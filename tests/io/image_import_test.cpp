// The import pipeline (read, crop, threshold, resample, day 0) and read_image()'s
// choice of reader from the path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>
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

using testing_support::error_of;
using testing_support::TempDir;

// An 8 x 8 x 8 uint8 image at 10 um: a slab of bone (grey 200) for x < 4 on marrow
// (grey 40), written as /ct with element_size_um when `spacing` is set.
std::string write_slab_h5(const TempDir& d, bool spacing = true) {
  std::vector<unsigned char> v;
  for (int k = 0; k < 8; ++k)
    for (int j = 0; j < 8; ++j)
      for (int i = 0; i < 8; ++i) v.push_back(i < 4 ? 200 : 40);
  const std::string path = d.file("slab.h5");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t extent[3] = {8, 8, 8};
  const hid_t space = H5Screate_simple(3, extent, nullptr);
  const hid_t dset =
      H5Dcreate2(file, "/ct", H5T_NATIVE_UINT8, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(dset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  if (spacing) {
    const double s[3] = {10, 10, 10};
    const hsize_t three = 3;
    const hid_t aspace = H5Screate_simple(1, &three, nullptr);
    const hid_t attr =
        H5Acreate2(dset, "element_size_um", H5T_NATIVE_DOUBLE, aspace, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, H5T_NATIVE_DOUBLE, s);
    H5Aclose(attr);
    H5Sclose(aspace);
  }
  H5Dclose(dset);
  H5Sclose(space);
  H5Fclose(file);
  return path + ":/ct";
}

TEST(ImportImageLattice, OtsuSegmentsAndResamples) {
  TempDir d;
  ImageLatticeConfig cfg;
  cfg.path = write_slab_h5(d);
  // 30 um voxels: round(80 / 30) = 3 per axis; x voxel 1 spans [30, 60) um, of which
  // [30, 40) is bone: 1/3.
  const BoneLattice l = import_image_lattice(cfg, 30.0);
  ASSERT_EQ(l.shape.nx, 3);
  ASSERT_EQ(l.shape.nz, 3);
  EXPECT_EQ(l.voxel_size_um, 30.0);
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 3; ++j) {
      EXPECT_EQ(l.bone(0, j, k), 1.0f);
      EXPECT_FLOAT_EQ(l.bone(1, j, k), 1.0f / 3.0f);
      EXPECT_EQ(l.bone(2, j, k), 0.0f);
      EXPECT_EQ(l.osteoid(0, j, k), 0.0f);
      EXPECT_EQ(l.bone_at_day0(0, j, k), 1);  // mark_day0 was called
      EXPECT_EQ(l.bone_at_day0(1, j, k), 0);
    }
}

TEST(ImportImageLattice, CropValueThresholdAndSpacingOverride) {
  TempDir d;
  ImageLatticeConfig cfg;
  cfg.path = write_slab_h5(d, false);
  EXPECT_THAT(error_of([&] { import_image_lattice(cfg, 10.0); }),
              HasSubstr("slab.h5:/ct: the file gives no voxel size; set "
                        "lattice.image.input_voxel_size_um"));

  cfg.input_voxel_size_um = 5.0;
  cfg.threshold_method = "value";
  cfg.threshold = 250;  // nothing is bone
  const BoneLattice none = import_image_lattice(cfg, 10.0);
  EXPECT_EQ(none.shape.nx, 4);
  for (float v : none.bone.data) EXPECT_EQ(v, 0.0f);

  cfg.threshold = 100;
  cfg.crop_begin_voxels = {2, 0, 4};
  cfg.crop_size_voxels = {4, 2, 0};  // x 2..5: half bone, half marrow
  const BoneLattice l = import_image_lattice(cfg, 10.0);
  ASSERT_EQ(l.shape.nx, 2);
  ASSERT_EQ(l.shape.ny, 1);
  ASSERT_EQ(l.shape.nz, 2);
  EXPECT_EQ(l.bone(0, 0, 0), 1.0f);
  EXPECT_EQ(l.bone(1, 0, 1), 0.0f);
  EXPECT_EQ(l.origin_um, (std::array<double, 3>{10.0, 0.0, 20.0}));
}

TEST(ImportImageLattice, CropOutOfRange) {
  TempDir d;
  ImageLatticeConfig cfg;
  cfg.path = write_slab_h5(d);
  cfg.crop_begin_voxels = {0, 0, 3};
  cfg.crop_size_voxels = {0, 0, 6};
  const std::string what = error_of([&] { import_image_lattice(cfg, 10.0); });
  EXPECT_THAT(what, HasSubstr("lattice.image.crop_size_voxels"));
  EXPECT_THAT(what, HasSubstr("slab.h5:/ct (8 x 8 x 8 voxels)"));
}

TEST(ReadImage, PathErrors) {
  TempDir d;
  std::ofstream(d.file("bone.tif")) << "II*";
  EXPECT_THAT(error_of([&] { read_image(d.file("bone.tif")); }),
              HasSubstr("bone.tif: unknown image format '.tif', expected .mhd, .mha, .vti or "
                        "file.h5:/dataset"));
  EXPECT_THAT(error_of([&] { read_image(d.file("none.mhd")); }),
              HasSubstr("none.mhd: file not found"));
  fs::create_directories(d.path / "scan.vti");
  EXPECT_THAT(error_of([&] { read_image(d.file("scan.vti")); }),
              HasSubstr("scan.vti: is a directory, expected an image file"));
  EXPECT_THAT(error_of([&] { read_image(d.file("ct.h5")); }), HasSubstr("ct.h5: no dataset named"));
}

}  // namespace
}  // namespace bonesim
