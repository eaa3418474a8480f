#include "bonesim/core/parallel.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <atomic>
#include <cmath>
#include <cstring>

namespace bonesim {
namespace {

// A sum whose rounding depends on the order of additions.
double awkward_sum(int threads) {
  tbb::global_control c(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
  return deterministic_sum<double>(
      0, 1000003, [](Index i) { return 1.0 / (1.0 + double(i)) * std::sin(double(i)); });
}

TEST(Parallel, DeterministicSumIsBitIdenticalAtAnyThreadCount) {
  const double one = awkward_sum(1);
  for (int t : {2, 3, 4, 8}) {
    const double many = awkward_sum(t);
    EXPECT_EQ(std::memcmp(&one, &many, sizeof one), 0)
        << t << " threads: " << one << " vs " << many;
  }
}

TEST(Parallel, ForEachVoxelVisitsEachVoxelOnce) {
  const GridShape g = GridShape::make(17, 9, 5);
  Field<int> f(g, 0);
  for_each_voxel(g, [&](int i, int j, int k) { f(i, j, k) += 1; });
  Index total = 0;
  for (int v : f.data) total += v;
  EXPECT_EQ(total, g.voxel_count());
  EXPECT_EQ(deterministic_row_sum<Index>(g,
                                         [&](int j, int k) {
                                           Index n = 0;
                                           for (int i = 0; i < g.nx; ++i) n += f(i, j, k);
                                           return n;
                                         }),
            g.voxel_count());
}

TEST(Parallel, EmptyRangesDoNothing) {
  std::atomic<int> calls{0};
  parallel_for(5, 5, [&](Index) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(deterministic_sum<double>(3, 2, [](Index) { return 1.0; }), 0.0);
}

}  // namespace
}  // namespace bonesim
