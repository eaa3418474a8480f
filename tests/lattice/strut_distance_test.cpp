#include "bonesim/lattice/strut_distance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace bonesim {
namespace {

double sq(double v) {
  return v * v;
}

TEST(StrutDistance, RodMatchesPointToSegmentDistance) {
  StrutNetwork net;
  net.rods.push_back({{3.0f, 8.5f, 8.5f}, {13.0f, 8.5f, 8.5f}});  // along x at y = z = 8.5
  const GridShape g = GridShape::make(16, 16, 16);
  const Field<float> d2 = strut_distance_squared(net, g, 1, 6.0);
  for (int k = 0; k < 16; ++k)
    for (int j = 0; j < 16; ++j)
      for (int i = 0; i < 16; ++i) {
        const double x = i + 0.5, y = j + 0.5, z = k + 0.5;
        const double along = std::clamp(x, 3.0, 13.0);
        const double exact = sq(x - along) + sq(y - 8.5) + sq(z - 8.5);
        if (exact <= 36.0) {
          EXPECT_NEAR(d2(i, j, k), exact, 1e-4) << i << " " << j << " " << k;
        } else {
          EXPECT_GT(d2(i, j, k), 36.0f);
        }
      }
}

TEST(StrutDistance, TriangleRegions) {
  // Right triangle in the plane z = 6.5 with legs along x and y.
  StrutNetwork net;
  net.plates.push_back({{2.0f, 2.0f, 6.5f}, {12.0f, 2.0f, 6.5f}, {2.0f, 12.0f, 6.5f}});
  const GridShape g = GridShape::make(16, 16, 14);
  const Field<float> d2 = strut_distance_squared(net, g, 1, 20.0);
  // Above the interior: distance to the plane.
  EXPECT_NEAR(d2(4, 4, 9), sq(9.5 - 6.5), 1e-4);
  // Beyond vertex a in every direction.
  EXPECT_NEAR(d2(0, 0, 6), sq(1.5) + sq(1.5), 1e-4);
  // Beyond edge ab (y < 2): distance to the line y = 2, z = 6.5.
  EXPECT_NEAR(d2(6, 0, 8), sq(1.5) + sq(2.0), 1e-4);
  // Beyond the hypotenuse x + y = 14: (10.5, 10.5) is 7 / sqrt(2) away in the plane.
  EXPECT_NEAR(d2(10, 10, 6), sq(7.0) / 2.0, 1e-4);
  // Beyond vertex b along x.
  EXPECT_NEAR(d2(14, 1, 6), sq(2.5) + sq(0.5), 1e-4);
}

TEST(StrutDistance, StrideSamplesEveryOtherVoxel) {
  StrutNetwork net;
  net.rods.push_back({{0.0f, 5.0f, 5.0f}, {20.0f, 5.0f, 5.0f}});
  net.plates.push_back({{0.0f, 0.0f, 14.0f}, {20.0f, 0.0f, 14.0f}, {0.0f, 20.0f, 15.0f}});
  const GridShape fine = GridShape::make(20, 20, 20);
  const GridShape coarse = GridShape::make(10, 10, 10);
  const Field<float> a = strut_distance_squared(net, fine, 1, 5.0);
  const Field<float> b = strut_distance_squared(net, coarse, 2, 5.0);
  for (int k = 0; k < 10; ++k)
    for (int j = 0; j < 10; ++j)
      for (int i = 0; i < 10; ++i) {
        const float v = a(2 * i, 2 * j, 2 * k);
        if (v <= 25.0f) {
          EXPECT_EQ(b(i, j, k), v);
        }
      }
}

TEST(StrutDistance, NearestOfSeveralStruts) {
  StrutNetwork net;
  net.rods.push_back({{0.0f, 2.5f, 2.5f}, {10.0f, 2.5f, 2.5f}});
  net.rods.push_back({{0.0f, 7.5f, 2.5f}, {10.0f, 7.5f, 2.5f}});
  const GridShape g = GridShape::make(10, 10, 5);
  const Field<float> d2 = strut_distance_squared(net, g, 1, 10.0);
  EXPECT_NEAR(d2(5, 3, 2), 1.0, 1e-5);  // y = 3.5: 1 from the first rod
  EXPECT_NEAR(d2(5, 6, 2), 1.0, 1e-5);  // y = 6.5: 1 from the second
  EXPECT_NEAR(d2(5, 4, 2), 4.0, 1e-5);  // y = 4.5: midway-ish, 2 from the first
}

}  // namespace
}  // namespace bonesim
