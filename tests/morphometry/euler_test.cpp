#include "bonesim/morphometry/euler.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/shapes.hpp"

namespace bonesim {
namespace {

using testing_support::ball_mask;
using testing_support::make_mask;
using testing_support::rod_lattice_mask;

double r2(double x, double y, double z) {
  return x * x + y * y + z * z;
}

TEST(Euler, SingleVoxel) {
  Mask m(GridShape::make(13, 5, 6), 0);
  m(6, 2, 3) = 1;
  EXPECT_EQ(euler_characteristic(m), 1);
  EXPECT_EQ(euler_contribution(m), 1.0);
}

TEST(Euler, CornerVoxelIsAnEighthOfABall) {
  Mask m(GridShape::make(13, 5, 6), 0);
  m(12, 0, 5) = 1;
  EXPECT_EQ(euler_characteristic(m), 1);
  EXPECT_EQ(euler_contribution(m), 0.125);
}

TEST(Euler, DiagonalNeighboursAreConnected) {
  // 26-connectivity of bone: two voxels sharing only a vertex are one component.
  Mask m(GridShape::make(13, 5, 6), 0);
  m(3, 2, 2) = 1;
  m(4, 3, 3) = 1;
  EXPECT_EQ(euler_characteristic(m), 1);
}

TEST(Euler, BallShellTorusAndTwoBalls) {
  const Mask ball = ball_mask(25, 25, 25, 12, 12, 12, 9);
  EXPECT_EQ(euler_characteristic(ball), 1);
  EXPECT_EQ(euler_contribution(ball), 1.0);

  const Mask shell = make_mask(25, 25, 25, [](int i, int j, int k) {
    const double d = r2(i - 12, j - 12, k - 12);
    return d <= 100 && d > 36;
  });
  EXPECT_EQ(euler_characteristic(shell), 2);

  const Mask torus = make_mask(33, 33, 15, [](int i, int j, int k) {
    const double rho = std::sqrt(r2(i - 16, j - 16, 0)) - 10;
    return rho * rho + (k - 7) * (k - 7) <= 16;
  });
  EXPECT_EQ(euler_characteristic(torus), 0);

  const Mask two = make_mask(37, 17, 17, [](int i, int j, int k) {
    return r2(i - 8, j - 8, k - 8) <= 36 || r2(i - 27, j - 8, k - 8) <= 36;
  });
  EXPECT_EQ(euler_characteristic(two), 2);
}

// Rods along x, y and z on a cubic lattice of period a, the box faces cutting through
// mid-rods: each cell holds one node and three rods, so Delta chi = (1 - 3) n^3.
TEST(Euler, PeriodicRodLatticeEdgeCorrected) {
  for (int n : {1, 2, 3}) {
    const Mask m = rod_lattice_mask(n, 8, 3);
    EXPECT_EQ(euler_contribution(m), -2.0 * n * n * n) << n << " cells per side";
    // Uncorrected: n^3 nodes, 3 n^2 (n - 1) inner rods, the cut rods are free ends.
    EXPECT_EQ(euler_characteristic(m), -2 * n * n * n + 3 * n * n);
  }
}

TEST(Euler, FullBoxContributesNothing) {
  const Mask full(GridShape::make(13, 7, 5), 1);
  EXPECT_EQ(euler_characteristic(full), 1);
  EXPECT_EQ(euler_contribution(full), 0.0);
  const Mask empty(GridShape::make(13, 7, 5), 0);
  EXPECT_EQ(euler_characteristic(empty), 0);
  EXPECT_EQ(euler_contribution(empty), 0.0);
}

}  // namespace
}  // namespace bonesim
