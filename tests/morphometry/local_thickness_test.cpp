#include "bonesim/morphometry/local_thickness.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "bonesim/morphometry/distance_transform.hpp"
#include "support/shapes.hpp"

namespace bonesim {
namespace {

using testing_support::ball_mask;
using testing_support::make_mask;
using testing_support::z_plate_mask;
using testing_support::z_rod_mask;

// A plate of `layers` voxels in z spanning the domain in x and y: domain faces do not cut it.
TEST(LocalThickness, PlatesWithinHalfAVoxelOfTheirLayerCount) {
  for (int t : {3, 4, 5, 8, 9}) {
    const Mask m = z_plate_mask(19, 21, t + 10, 5, 5 + t);
    const double th = mean_local_thickness(m, 1);
    // The 2d - 0.5 convention: T + 0.5 for odd, T - 0.5 for even layer counts.
    EXPECT_DOUBLE_EQ(th, t % 2 ? t + 0.5 : t - 0.5) << t << " layers";
    EXPECT_LE(std::abs(th - t), 0.5);
    const Field<float> lt = local_thickness(m, 1);
    EXPECT_EQ(lt(0, 0, 5), lt(9, 10, 5 + t / 2)) << "uniform across the plate";
    EXPECT_EQ(lt(0, 0, 4), 0.0f) << "zero on the other phase";
  }
}

TEST(LocalThickness, RodsAlongZWithinTenPercentOfTheirDiameter) {
  // Rods of radius r about a voxel centre: the central sphere reaches the nearest marrow
  // centre at sqrt(r^2 + 1), so every voxel reads 2 sqrt(r^2 + 1) - 0.5.
  for (int r : {4, 5, 6}) {
    const Mask m = z_rod_mask(32, 32, 12, 15, 15, r);
    const double th = mean_local_thickness(m, 1);
    EXPECT_NEAR(th, 2 * std::sqrt(r * r + 1.0) - 0.5, 1e-5) << "radius " << r;
    EXPECT_NEAR(th, 2 * r, 0.1 * 2 * r) << "radius " << r;
  }
  // About a voxel corner, sphere centres sit 0.7 voxel off the axis: even diameters read
  // 1.3-1.8 voxels thin (docs/MODEL.md, "Morphometry").
  for (int d : {8, 10, 12}) {
    const double c = 15.5, r = 0.5 * d;
    const Mask m = z_rod_mask(32, 32, 12, c, c, r);
    const double th = mean_local_thickness(m, 1);
    EXPECT_LT(th, d - 1.2) << "diameter " << d;
    EXPECT_GT(th, d - 1.8) << "diameter " << d;
  }
}

TEST(LocalThickness, BallReadsItsDiameter) {
  const int r = 10;
  const Mask m = ball_mask(31, 31, 31, 15, 15, 15, r);
  // The central sphere reaches the nearest marrow centre at sqrt(101): every voxel reads
  // 2 sqrt(101) - 0.5.
  EXPECT_NEAR(mean_local_thickness(m, 1), 2 * std::sqrt(101.0) - 0.5, 1e-5);
  EXPECT_NEAR(mean_local_thickness(m, 1), 2 * r, 0.05 * 2 * r);
}

TEST(LocalThickness, PaintsOnlyFromContainingSpheres) {
  // An L of two plates of different thickness: each voxel reads the largest sphere that
  // contains it, so the thin arm keeps its own thickness away from the corner.
  const Mask m = make_mask(40, 8, 30, [](int i, int, int k) {
    return (k >= 2 && k < 12) || (i >= 2 && i < 5 && k >= 2);
  });
  const Field<float> lt = local_thickness(m, 1);
  EXPECT_FLOAT_EQ(lt(30, 3, 6), 9.5f);  // thick arm: 10 layers
  EXPECT_FLOAT_EQ(lt(3, 3, 25), 3.5f);  // thin arm: 3 layers
}

// Every voxel's ball painted, no ridge or disc pruning: the definition itself.
Field<float> paint_every_ball(const Mask& m, std::uint8_t phase) {
  const GridShape& g = m.shape;
  const Field<std::int32_t> d2 = squared_distance_transform(m, phase);
  Field<float> lt(g, 0.0f);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const std::int32_t r2 = d2(i, j, k);
        if (r2 == 0) continue;
        const float t = float(2.0 * std::sqrt(double(r2)) - 0.5);
        for (int z = 0; z < g.nz; ++z)
          for (int y = 0; y < g.ny; ++y)
            for (int x = 0; x < g.nx; ++x) {
              const int s = (x - i) * (x - i) + (y - j) * (y - j) + (z - k) * (z - k);
              if (s < r2) lt(x, y, z) = std::max(lt(x, y, z), t);
            }
      }
  return lt;
}

TEST(LocalThickness, PruningMatchesPaintingEveryBall) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 4; ++trial) {
    // Random balls of bone in a 17 x 13 x 15 box: both phases get many sphere sizes.
    std::uniform_int_distribution<int> px(0, 16), py(0, 12), pz(0, 14), pr(1, 5);
    std::vector<std::array<int, 4>> balls(5 + 4 * trial);
    for (auto& b : balls) b = {px(rng), py(rng), pz(rng), pr(rng)};
    const Mask m = make_mask(17, 13, 15, [&](int i, int j, int k) {
      for (const auto& b : balls) {
        const int s = (i - b[0]) * (i - b[0]) + (j - b[1]) * (j - b[1]) + (k - b[2]) * (k - b[2]);
        if (s <= b[3] * b[3]) return true;
      }
      return false;
    });
    for (std::uint8_t phase : {std::uint8_t(0), std::uint8_t(1)}) {
      const Field<float> fast = local_thickness(m, phase), slow = paint_every_ball(m, phase);
      for (int k = 0; k < 15; ++k)
        for (int j = 0; j < 13; ++j)
          for (int i = 0; i < 17; ++i)
            ASSERT_EQ(fast(i, j, k), slow(i, j, k)) << "trial " << trial << " phase " << int(phase)
                                                    << " at " << i << ' ' << j << ' ' << k;
    }
  }
}

TEST(LocalThickness, LargeSpheresMatchPaintingEveryBall) {
  // Squared radii past 2^15 take the 32-bit painting path.
  Mask m(GridShape::make(190, 5, 4), 0);
  m(0, 2, 1) = 1;
  const Field<float> fast = local_thickness(m, 0), slow = paint_every_ball(m, 0);
  EXPECT_GT(squared_distance_transform(m, 0)(189, 0, 3), 32767);
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 5; ++j)
      for (int i = 0; i < 190; ++i)
        ASSERT_EQ(fast(i, j, k), slow(i, j, k)) << i << ' ' << j << ' ' << k;
}

TEST(LocalThickness, UndefinedWithoutBothPhases) {
  const Mask bone(GridShape::make(13, 4, 4), 1);
  EXPECT_TRUE(std::isnan(mean_local_thickness(bone, 1)));
  EXPECT_TRUE(std::isnan(mean_local_thickness(bone, 0)));
  EXPECT_TRUE(std::isinf(local_thickness(bone, 1)(3, 2, 1)));
}

}  // namespace
}  // namespace bonesim
