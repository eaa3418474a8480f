#include "bonesim/lattice/smallest_selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace bonesim {
namespace {

TEST(SmallestSelection, PicksExactlyNWithTiesInVoxelOrder) {
  const GridShape g = GridShape::make(4, 3, 2);
  Field<float> f(g, 5.0f);
  f(3, 2, 1) = 1.0f;  // smallest, last in storage order
  f(1, 0, 0) = 2.0f;
  f(2, 1, 0) = 2.0f;  // ties at 2: (1,0,0) comes first
  f(0, 2, 1) = 2.0f;
  const SmallestSelection s = select_smallest(f, 3, 10.0f);
  ASSERT_TRUE(s.found);
  EXPECT_EQ(s.value, 2.0f);
  EXPECT_EQ(s.ties_taken, 2);
  const Mask m = selected_mask(f, s);
  Index n = 0;
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) n += m(i, j, k);
  EXPECT_EQ(n, 3);
  EXPECT_EQ(m(3, 2, 1), 1);
  EXPECT_EQ(m(1, 0, 0), 1);
  EXPECT_EQ(m(2, 1, 0), 1);
  EXPECT_EQ(m(0, 2, 1), 0);
}

TEST(SmallestSelection, ValuesAboveLimitDoNotCount) {
  const GridShape g = GridShape::make(3, 3, 3);
  Field<float> f(g, std::numeric_limits<float>::infinity());
  f(0, 0, 0) = 0.5f;
  f(1, 1, 1) = 3.0f;
  EXPECT_FALSE(select_smallest(f, 2, 2.0f).found);
  const SmallestSelection s = select_smallest(f, 2, 4.0f);
  ASSERT_TRUE(s.found);
  EXPECT_EQ(s.value, 3.0f);
}

TEST(SmallestSelection, MatchesSortedOrderOnManyValues) {
  const GridShape g = GridShape::make(37, 23, 19);
  Field<float> f(g, 0.0f);
  std::vector<float> all;
  std::uint32_t x = 12345;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        x = x * 1664525u + 1013904223u;
        f(i, j, k) = float(x >> 8) * 1e-3f;
        all.push_back(f(i, j, k));
      }
  std::sort(all.begin(), all.end());
  for (const Index n : {Index(1), Index(100), Index(all.size() / 3), Index(all.size())}) {
    const SmallestSelection s = select_smallest(f, n, 1e30f);
    ASSERT_TRUE(s.found);
    EXPECT_EQ(s.value, all[n - 1]) << n;
  }
}

}  // namespace
}  // namespace bonesim
