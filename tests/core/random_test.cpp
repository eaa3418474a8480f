#include "bonesim/core/random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace bonesim {
namespace {

TEST(Random, SameKeySameNumbers) {
  EXPECT_EQ(uniform4(7, 123, 5, Purpose::kLatticeGeometry),
            uniform4(7, 123, 5, Purpose::kLatticeGeometry));
}

TEST(Random, EveryKeyPartChangesTheDraw) {
  const double base = uniform01(7, 123, 5, Purpose::kLatticeGeometry);
  EXPECT_NE(base, uniform01(8, 123, 5, Purpose::kLatticeGeometry));
  EXPECT_NE(base, uniform01(7, 124, 5, Purpose::kLatticeGeometry));
  EXPECT_NE(base, uniform01(7, 123, 6, Purpose::kLatticeGeometry));
  EXPECT_NE(base, uniform01(7 + (1ull << 32), 123, 5, Purpose::kLatticeGeometry));
  EXPECT_NE(base, uniform01(7, 123 + (1ull << 32), 5, Purpose::kLatticeGeometry));
}

TEST(Random, UniformInOpenUnitIntervalWithRightMoments) {
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    for (double u : uniform4(42, std::uint64_t(i), 0, Purpose::kLatticeGeometry)) {
      ASSERT_GT(u, 0.0);
      ASSERT_LT(u, 1.0);
      sum += u;
      sum2 += u * u;
    }
  }
  const double mean = sum / (4.0 * n), var = sum2 / (4.0 * n) - mean * mean;
  // 800k draws: standard error of the mean is 0.00032.
  EXPECT_NEAR(mean, 0.5, 0.002);
  EXPECT_NEAR(var, 1.0 / 12.0, 0.001);
}

}  // namespace
}  // namespace bonesim
