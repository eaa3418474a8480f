#include "bonesim/morphometry/surface_area.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "support/shapes.hpp"

namespace bonesim {
namespace {

using testing_support::ball_mask;
using testing_support::z_plate_mask;

TEST(SurfaceArea, WeightsCoverTheSphere) {
  double sum = 0;
  for (const CroftonDirection& d : kCroftonDirections) sum += 2 * d.weight;  // d and -d
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(SurfaceArea, AxisAlignedPlateReadsThePredictedFraction) {
  const int n = 64;
  const Mask m = z_plate_mask(n, n, 12, 4, 8);
  const CroftonCounts c = crofton_counts(m);
  // Per face: n^2 pairs along z, n (n - 1) along each of the 4 face diagonals leaving the
  // xy-plane, (n - 1)^2 along the 4 space diagonals (pairs must stay in the domain).
  const long long axis = 2LL * n * n, face = 2LL * n * (n - 1), space = 2LL * (n - 1) * (n - 1);
  const long long expected[13] = {0,    0,    axis,  0,     0,     face, face,
                                  face, face, space, space, space, space};
  for (int d = 0; d < 13; ++d) EXPECT_EQ(c.n[d], expected[d]) << "direction " << d;

  const double wa = 0.04577789120476, wf = 0.03698062787608, ws = 0.03519563978232;
  const double fraction = 4 * (wa + 4 * wf / std::sqrt(2.0) + 4 * ws / std::sqrt(3.0));
  EXPECT_NEAR(fraction, 0.9266, 1e-4);
  // In the limit of an infinite plane only the in-domain pairs are missing.
  const double predicted = 4 * (wa * double(axis) + 4 * wf * double(face) / std::sqrt(2.0) +
                                4 * ws * double(space) / std::sqrt(3.0));
  EXPECT_NEAR(surface_area(m), predicted, 1e-9 * predicted);
  EXPECT_NEAR(surface_area(m) / (2.0 * n * n), fraction, 0.03);
}

TEST(SurfaceArea, BallWithinFewPercentOf4PiR2) {
  for (double r : {12.0, 20.0}) {
    const int n = int(2 * r) + 7, c = n / 2;
    const Mask m = ball_mask(n, n, n, c, c, c, r);
    const double exact = 4 * std::numbers::pi * r * r;
    EXPECT_NEAR(surface_area(m), exact, 0.03 * exact) << "radius " << r;
  }
}

TEST(SurfaceArea, NoBoneNoSurface) {
  EXPECT_EQ(surface_area(Mask(GridShape::make(13, 4, 4), 0)), 0.0);
  EXPECT_EQ(surface_area(Mask(GridShape::make(13, 4, 4), 1)), 0.0);
}

}  // namespace
}  // namespace bonesim
