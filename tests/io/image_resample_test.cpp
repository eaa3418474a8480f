// Crop, threshold and resampling onto the simulation grid: exact sub-blocks, exact
// partial-volume fractions for whole-number down-sampling, identity at equal spacing,
// linear interpolation when up-sampling, thread-count independence.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_resample.hpp"
#include "support/error_of.hpp"

namespace bonesim {
namespace {

using ::testing::HasSubstr;
using testing_support::error_of;

ScalarImage numbered(int nx, int ny, int nz) {
  ScalarImage img;
  img.dims = {nx, ny, nz};
  img.spacing_um = {10, 10, 10};
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) img.values.push_back(float(i + 100 * j + 10000 * k));
  return img;
}

BinaryImage binary(std::array<int, 3> dims, std::array<double, 3> spacing,
                   const std::function<bool(int, int, int)>& bone) {
  BinaryImage b;
  b.dims = dims;
  b.spacing_um = spacing;
  for (int k = 0; k < dims[2]; ++k)
    for (int j = 0; j < dims[1]; ++j)
      for (int i = 0; i < dims[0]; ++i) b.values.push_back(bone(i, j, k) ? 1 : 0);
  return b;
}

TEST(Crop, TakesTheRightSubBlock) {
  const ScalarImage img = numbered(8, 7, 6);
  const ScalarImage c = crop_image(img, {2, 1, 3}, {4, 0, 2}, "ct.mhd");
  ASSERT_EQ(c.dims, (std::array<int, 3>{4, 6, 2}));  // y: 0 = to the end
  EXPECT_EQ(c.spacing_um, img.spacing_um);
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 6; ++j)
      for (int i = 0; i < 4; ++i) EXPECT_EQ(c.at(i, j, k), img.at(i + 2, j + 1, k + 3));
  EXPECT_EQ(crop_image(img, {0, 0, 0}, {0, 0, 0}, "ct.mhd").values, img.values);
}

TEST(Crop, OutOfRangeNamesKeyFileAndSize) {
  const ScalarImage img = numbered(8, 7, 6);
  EXPECT_EQ(error_of([&] {
              crop_image(img, {0, 7, 0}, {0, 0, 0}, "ct.mhd");
            }),
            "lattice.image.crop_begin_voxels: y = 7 is outside ct.mhd (8 x 7 x 6 voxels); "
            "expected 0..6");
  EXPECT_THAT(error_of([&] {
                crop_image(img, {0, 0, 2}, {0, 0, 5}, "ct.mhd");
              }),
              HasSubstr("lattice.image.crop_size_voxels: z = 5 from voxel 2 runs past ct.mhd "
                        "(8 x 7 x 6 voxels); expected 0..4"));
}

TEST(Threshold, BoneIsAtOrAboveTheThreshold) {
  const ScalarImage img = numbered(4, 1, 1);
  EXPECT_EQ(threshold_image(img, 2.0).values, (std::vector<std::uint8_t>{0, 0, 1, 1}));
}

TEST(Resample, SameSpacingIsIdentity) {
  const BinaryImage b = binary({5, 4, 3}, {20, 20, 20},
                               [](int i, int j, int k) { return (i * 7 + j * 3 + k) % 3 == 0; });
  const Field<float> f = resample_fractions(b, 20.0);
  ASSERT_EQ(f.shape.nx, 5);
  ASSERT_EQ(f.shape.ny, 4);
  ASSERT_EQ(f.shape.nz, 3);
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 5; ++i) EXPECT_EQ(f(i, j, k), b.values[std::size_t(i + 5 * (j + 4 * k))]);
}

TEST(Resample, TwoFoldDownSamplingGivesExactFractions) {
  // Output voxel (I, J, K) holds exactly I + 2 J + 4 K bone voxels of its 2x2x2 block
  // (0..7 of 8), in a pattern that differs per block.
  auto bone = [](int i, int j, int k) {
    const int block = i / 2 + 2 * (j / 2) + 4 * (k / 2);
    const int sub = i % 2 + 2 * (j % 2) + 4 * (k % 2);
    return ((sub + block) % 8) < block;
  };
  const BinaryImage b = binary({4, 4, 4}, {10, 10, 10}, bone);
  const Field<float> f = resample_fractions(b, 20.0);
  ASSERT_EQ(f.shape.nx, 2);
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j)
      for (int i = 0; i < 2; ++i) EXPECT_EQ(f(i, j, k), float(i + 2 * j + 4 * k) / 8.0f);

  // The half-filled block of the brief.
  const Field<float> half = resample_fractions(
      binary({2, 2, 2}, {5, 5, 5}, [](int, int, int k) { return k == 1; }), 10.0);
  EXPECT_EQ(half(0, 0, 0), 0.5f);
}

TEST(Resample, ThreeFoldAndAnisotropicInput) {
  // 6 x 6 x 3 voxels of 10 x 10 x 20 um onto 30 um: 2 x 2 x 2 voxels.
  const BinaryImage b =
      binary({6, 6, 3}, {10, 10, 20}, [](int i, int j, int k) { return i < 3 && j < 3 && k == 0; });
  const Field<float> f = resample_fractions(b, 30.0);
  ASSERT_EQ(f.shape.nx, 2);
  ASSERT_EQ(f.shape.nz, 2);
  // Voxel (0,0,0) spans z in [0, 30) um: input slab 0 fully (20 um of bone) and half of
  // slab 1 (10 um of marrow): 2/3 of its volume is bone.
  EXPECT_FLOAT_EQ(f(0, 0, 0), 2.0f / 3.0f);
  EXPECT_EQ(f(1, 0, 0), 0.0f);
  EXPECT_EQ(f(0, 0, 1), 0.0f);  // z in [30, 60) um: slabs 1 (half) and 2, no bone
}

TEST(Resample, UpSamplingInterpolatesLinearly) {
  // A step along x at 20 um onto 10 um voxels: centres at 5, 15, 25, 35 um between
  // input centres 10 (marrow) and 30 (bone): 0, 0.25, 0.75, 1.
  const BinaryImage b = binary({2, 1, 1}, {20, 20, 20}, [](int i, int, int) { return i == 1; });
  const Field<float> f = resample_fractions(b, 10.0);
  ASSERT_EQ(f.shape.nx, 4);
  ASSERT_EQ(f.shape.ny, 2);
  ASSERT_EQ(f.shape.nz, 2);
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j) {
      EXPECT_EQ(f(0, j, k), 0.0f);
      EXPECT_EQ(f(1, j, k), 0.25f);
      EXPECT_EQ(f(2, j, k), 0.75f);
      EXPECT_EQ(f(3, j, k), 1.0f);
    }
}

TEST(Resample, EdgeVoxelAveragesThePartInsideTheImage) {
  // 5 voxels of 10 um onto 20 um: round(2.5) = 3 voxels; the last spans [40, 60) um,
  // of which only [40, 50) um (input voxel 4, bone) lies in the image.
  const BinaryImage b = binary({5, 1, 1}, {10, 10, 10}, [](int i, int, int) { return i >= 3; });
  const Field<float> f = resample_fractions(b, 20.0);
  ASSERT_EQ(f.shape.nx, 3);
  EXPECT_EQ(f(0, 0, 0), 0.0f);
  EXPECT_EQ(f(1, 0, 0), 0.5f);
  EXPECT_EQ(f(2, 0, 0), 1.0f);
}

TEST(Resample, GridSizeRoundsTheExtent) {
  EXPECT_EQ(resampled_dims({10, 10, 10}, {10, 10, 10}, 30), (std::array<int, 3>{3, 3, 3}));
  EXPECT_EQ(resampled_dims({10, 11, 1}, {10, 10, 5}, 40), (std::array<int, 3>{3, 3, 1}));
  EXPECT_THAT(error_of([] {
                resampled_dims({4096, 4096, 4096}, {1, 1, 1}, 1.0);
              }),
              HasSubstr("expected at most 2048^3"));
  EXPECT_THAT(error_of([] {
                resampled_dims({4, 4, 4}, {1, 1, 1}, 0.0);
              }),
              HasSubstr("lattice.voxel_size_um"));
}

TEST(Resample, IndependentOfThreadCount) {
  const BinaryImage b = binary({61, 47, 33}, {7, 7, 9},
                               [](int i, int j, int k) { return (i * i + 3 * j * k + k) % 5 < 2; });
  Field<float> one, many;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = resample_fractions(b, 20.0);
  }
  many = resample_fractions(b, 20.0);
  EXPECT_EQ(one.data, many.data);
  for (float v : many.data) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f);
  }
}

}  // namespace
}  // namespace bonesim
