#include "bonesim/cells/cell_sources.hpp"

#include <gtest/gtest.h>

#include "cells/cell_test_support.hpp"

namespace bonesim {
namespace {

using testing_support::slab_lattice;

// One osteocyte in the top bone layer of a slab; what it makes under a habitual strain of
// 1000 microstrain scaled by the load factor (docs/MODEL.md, "Mechanosensing").
struct OneOsteocyte {
  BoneLattice l = slab_lattice(4, 4, 6, 3);
  CellPopulations cells;
  CellsConfig cfg;
  Field<float> strain{l.shape, 1e-3f};
  OneOsteocyte() {
    cells.osteocytes.id.push_back(0);
    cells.osteocytes.position_um.push_back({50.0, 50.0, 50.0});  // voxel (2, 2, 2)
  }
  // (RANKL, OPG) made, summed over the grid.
  std::pair<double, double> made(const StrainStimulus* s) {
    CellSources out = make_cell_sources(l.shape);
    compute_cell_sources(cells, cfg, l, 1, out, s);
    double r = 0, o = 0;
    for (const float v : out.rankl.data) r += v;
    for (const float v : out.opg.data) o += v;
    return {r, o};
  }
};

TEST(CellSources, OsteocytesMakeMoreRanklAndLessOpgInDisuse) {
  OneOsteocyte t;
  const MechanosensingConfig sensing;
  const auto [r0, o0] = t.made(nullptr);
  ASSERT_GT(r0, 0.0);
  StrainStimulus s{&t.strain, 1, 1.0, &sensing};
  const auto [r1, o1] = t.made(&s);  // 1000 microstrain: in the lazy zone
  EXPECT_DOUBLE_EQ(r1, r0);
  EXPECT_DOUBLE_EQ(o1, o0);
  s.load_factor = 0.0;  // immobilised: no strain at all
  const auto [r2, o2] = t.made(&s);
  EXPECT_NEAR(r2, r0 * (1 + sensing.rankl_disuse_gain), 1e-6 * r0);
  EXPECT_NEAR(o2, o0 * (1 - sensing.opg_disuse_loss), 1e-6 * o0);
  s.load_factor = 4.0;  // 4000 microstrain: overloaded, saturated
  const auto [r3, o3] = t.made(&s);
  EXPECT_NEAR(r3, r0 * (1 - sensing.rankl_overload_loss), 1e-6 * r0);
  EXPECT_NEAR(o3, o0 * (1 + sensing.opg_overload_gain), 1e-6 * o0);
}

}  // namespace
}  // namespace bonesim
