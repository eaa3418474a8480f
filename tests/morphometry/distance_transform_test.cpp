#include "bonesim/morphometry/distance_transform.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace bonesim {
namespace {

Mask random_mask(int nx, int ny, int nz, double p_one, unsigned seed) {
  Mask m(GridShape::make(nx, ny, nz));
  std::mt19937 rng(seed);
  std::bernoulli_distribution one(p_one);
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) m(i, j, k) = one(rng) ? 1 : 0;
  return m;
}

// Squared distance from each phase voxel to the nearest other-phase voxel, by search.
Field<std::int32_t> brute_force(const Mask& m, std::uint8_t phase) {
  const GridShape& g = m.shape;
  Field<std::int32_t> d(g);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        if (m(i, j, k) != phase) continue;
        std::int32_t best = kNoFeature;
        for (int z = 0; z < g.nz; ++z)
          for (int y = 0; y < g.ny; ++y)
            for (int x = 0; x < g.nx; ++x)
              if (m(x, y, z) != phase)
                best = std::min(best, (x - i) * (x - i) + (y - j) * (y - j) + (z - k) * (z - k));
        d(i, j, k) = best;
      }
  return d;
}

void expect_equal(const Field<std::int32_t>& a, const Field<std::int32_t>& b) {
  const GridShape& g = a.shape;
  ASSERT_EQ(g, b.shape);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i)
        ASSERT_EQ(a(i, j, k), b(i, j, k)) << "at " << i << ' ' << j << ' ' << k;
}

struct Case {
  int nx, ny, nz;
  double p_one;
};

TEST(DistanceTransform, MatchesBruteForceOnRandomPaddedMasks) {
  const Case cases[] = {{13, 9, 7, 0.5},  {17, 11, 6, 0.9}, {13, 17, 9, 0.97},
                        {17, 5, 12, 0.1}, {1, 9, 8, 0.8},   {20, 1, 1, 0.7}};
  unsigned seed = 1;
  for (const Case& c : cases) {
    const Mask m = random_mask(c.nx, c.ny, c.nz, c.p_one, seed++);
    if (c.nx == 13 || c.nx == 17) {
      ASSERT_GT(m.shape.sx, m.shape.nx);  // rows are padded
    }
    for (std::uint8_t phase : {std::uint8_t(0), std::uint8_t(1)}) {
      SCOPED_TRACE(testing::Message() << c.nx << 'x' << c.ny << 'x' << c.nz << " p=" << c.p_one
                                      << " phase=" << int(phase));
      expect_equal(squared_distance_transform(m, phase), brute_force(m, phase));
    }
  }
}

TEST(DistanceTransform, SingleFeatureGivesExactSquaredDistances) {
  Mask m(GridShape::make(13, 17, 11), 1);
  m(2, 15, 9) = 0;
  const auto d = squared_distance_transform(m, 1);
  EXPECT_EQ(d(2, 15, 9), 0);
  EXPECT_EQ(d(12, 0, 0), 10 * 10 + 15 * 15 + 9 * 9);
  EXPECT_EQ(d(3, 14, 8), 3);
}

TEST(DistanceTransform, DomainFacesAreNotFeatures) {
  // A slab of bone touching the x = 0 face: depth is measured from the marrow only.
  Mask m(GridShape::make(13, 4, 4), 0);
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 5; ++i) m(i, j, k) = 1;
  const auto d = squared_distance_transform(m, 1);
  EXPECT_EQ(d(0, 2, 2), 25);
  EXPECT_EQ(d(4, 0, 0), 1);
}

TEST(DistanceTransform, AbsentOtherPhaseIsNoFeature) {
  const Mask m(GridShape::make(13, 3, 2), 1);
  const auto d = squared_distance_transform(m, 1);
  EXPECT_EQ(d(5, 1, 1), kNoFeature);
  const auto e = squared_distance_transform(m, 0);
  EXPECT_EQ(e(5, 1, 1), 0);
}

}  // namespace
}  // namespace bonesim
