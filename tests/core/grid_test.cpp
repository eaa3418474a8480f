#include "bonesim/core/grid.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>

namespace bonesim {
namespace {

TEST(GridShape, StridesArePaddedAwayFromPowersOfTwo) {
  for (int n : {64, 128, 256, 512, 1024}) {
    const GridShape g = GridShape::make(n, n, n);
    EXPECT_GE(g.sx, n);
    EXPECT_NE(g.sx % 128, 0) << "row stride " << g.sx << " for n = " << n;
    EXPECT_NE(g.sxy % 128, 0) << "plane stride " << g.sxy << " for n = " << n;
    EXPECT_EQ(g.sx % 16, 0) << "rows start on 64-byte lines for float";
  }
}

TEST(GridShape, IndexingCoversEveryVoxelOnce) {
  const GridShape g = GridShape::make(5, 7, 3);
  std::vector<int> hits(std::size_t(g.storage_size()), 0);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) ++hits[std::size_t(g.index(i, j, k))];
  Index covered = 0;
  for (int h : hits) {
    EXPECT_LE(h, 1);
    covered += h;
  }
  EXPECT_EQ(covered, g.voxel_count());
  EXPECT_TRUE(g.contains(4, 6, 2));
  EXPECT_FALSE(g.contains(5, 0, 0));
  EXPECT_FALSE(g.contains(0, -1, 0));
}

TEST(GridShape, RejectsEmptyGrids) {
  EXPECT_THROW(GridShape::make(0, 4, 4), std::invalid_argument);
  EXPECT_THROW(GridShape::make(4, -1, 4), std::invalid_argument);
}

TEST(Field, RowsAreAligned) {
  Field<float> f(GridShape::make(150, 33, 4), 1.0f);
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 33; ++j)
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(f.row(j, k)) % 64, 0u) << j << "," << k;
  EXPECT_EQ(f(149, 32, 3), 1.0f);
}

}  // namespace
}  // namespace bonesim
