// Cell populations: stable ids and order under removal, positions on voxel centres,
// the counter-based draws the rules use.
#include "bonesim/cells/populations.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bonesim/cells/cell_context.hpp"

namespace bonesim {
namespace {

TEST(CellPopulations, RemovingRowsKeepsTheOthersInOrderInEveryColumn) {
  Osteoclasts oc;
  for (std::uint64_t id = 1; id <= 6; ++id) {
    oc.id.push_back(id);
    oc.position_um.push_back({double(id), 0, 0});
    oc.nuclei.push_back(int(id) * 10);
    oc.age_days.push_back(float(id));
    oc.event.push_back(int(id));
    oc.max_depth_um.push_back(40);
    oc.credit_um3.push_back(0);
    oc.heading.push_back({1, 0, 0});
  }
  remove_rows(oc, {0, 1, 0, 0, 1, 0});
  EXPECT_EQ(oc.id, (std::vector<std::uint64_t>{1, 3, 4, 6}));
  EXPECT_EQ(oc.nuclei, (std::vector<std::int32_t>{10, 30, 40, 60}));
  EXPECT_EQ(oc.position_um[3][0], 6.0);
  EXPECT_EQ(oc.heading.size(), 4u);
}

TEST(CellPopulations, PositionsSitOnVoxelCentres) {
  BoneLattice l = make_lattice(5, 6, 7, 20.0);
  l.origin_um = {100, -40, 3};
  for (const Voxel v : {Voxel{0, 0, 0}, Voxel{4, 5, 6}, Voxel{2, 3, 1}}) {
    EXPECT_EQ(voxel_of(l, centre_of(l, v)), v);
  }
  EXPECT_EQ(centre_of(l, 0, 0, 0), (Position{110, -30, 13}));
}

TEST(CellPopulations, AtMost200BytesPerCell) {
  EXPECT_LE(bytes_per_cell(CellPopulations{}), 200u);
}

TEST(CellContext, PoissonCountsHaveTheirMeanAndVariance) {
  for (const double mean : {0.3, 4.0, 120.0}) {
    double s = 0, s2 = 0;
    const int n = 20000;
    for (int id = 0; id < n; ++id) {
      const double x = poisson(mean, 7, std::uint64_t(id), 3, Purpose::kPrecursorArrival);
      s += x;
      s2 += x * x;
    }
    const double m = s / n, var = s2 / n - m * m;
    EXPECT_NEAR(m, mean, 4 * std::sqrt(mean / n)) << mean;
    EXPECT_NEAR(var / mean, 1.0, 0.05) << mean;
  }
  EXPECT_EQ(poisson(0.0, 1, 1, 1, Purpose::kPrecursorArrival), 0);
}

TEST(CellContext, DrawsDependOnEveryPartOfTheKey) {
  const auto a = uniform4(1, 2, 3, Purpose::kTCellMove, 0);
  EXPECT_NE(a, uniform4(1, 2, 3, Purpose::kTCellMove, 1));
  EXPECT_NE(a, uniform4(1, 2, 3, Purpose::kTCellSwitch, 0));
  EXPECT_NE(a, uniform4(1, 2, 4, Purpose::kTCellMove, 0));
  EXPECT_NE(a, uniform4(1, 3, 3, Purpose::kTCellMove, 0));
  EXPECT_NE(a, uniform4(2, 2, 3, Purpose::kTCellMove, 0));
  EXPECT_EQ(a, uniform4(1, 2, 3, Purpose::kTCellMove, 0));
}

TEST(CellContext, ChanceOfAnEventIsOneMinusExp) {
  EXPECT_DOUBLE_EQ(chance(0.0, 1.0), 0.0);
  EXPECT_NEAR(chance(2.0, 0.25), 1.0 - std::exp(-0.5), 1e-15);
  const Position d = random_direction(0.3, 0.8);
  EXPECT_NEAR(d[0] * d[0] + d[1] * d[1] + d[2] * d[2], 1.0, 1e-12);
}

}  // namespace
}  // namespace bonesim
