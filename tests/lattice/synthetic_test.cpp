#include "bonesim/lattice/synthetic.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "bonesim/morphometry/morphometry.hpp"

namespace bonesim {
namespace {

constexpr double kVoxelUm = 20.0;

SyntheticLatticeConfig config(int n, double bv_tv, double tb_th_um, double plate_fraction = 0.5) {
  SyntheticLatticeConfig c;
  c.size_voxels = {n, n, n};
  c.bv_tv = bv_tv;
  c.tb_th_um = tb_th_um;
  c.plate_fraction = plate_fraction;
  return c;
}

// The default 150^3 lattice, generated once for the tests that only read it.
const BoneLattice& default_lattice() {
  static const BoneLattice l = generate_synthetic_lattice(SyntheticLatticeConfig{}, kVoxelUm, 1);
  return l;
}

// Share of the bone in its largest 26-connected piece.
double largest_component_share(const Mask& bone) {
  const GridShape& g = bone.shape;
  std::vector<int> label(std::size_t(g.storage_size()), 0);
  std::vector<Index> stack;
  Index total = 0, largest = 0;
  int next = 0;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const Index start = g.index(i, j, k);
        if (!bone.data[start] || label[start]) continue;
        label[start] = ++next;
        stack.assign(1, start);
        Index size = 0;
        while (!stack.empty()) {
          const Index v = stack.back();
          stack.pop_back();
          ++size;
          const int z = int(v / g.sxy), y = int(v % g.sxy / g.sx), x = int(v % g.sxy % g.sx);
          for (int dz = -1; dz <= 1; ++dz)
            for (int dy = -1; dy <= 1; ++dy)
              for (int dx = -1; dx <= 1; ++dx) {
                if (!g.contains(x + dx, y + dy, z + dz)) continue;
                const Index w = g.index(x + dx, y + dy, z + dz);
                if (bone.data[w] && !label[w]) label[w] = next, stack.push_back(w);
              }
        }
        total += size;
        largest = std::max(largest, size);
      }
  return total ? double(largest) / double(total) : 0.0;
}

bool same_bone(const BoneLattice& a, const BoneLattice& b) {
  return a.shape == b.shape && a.bone.data == b.bone.data;
}

// BV/TV within 0.01 absolute, Tb.Th within 15 %, one connected piece, Conn.D reported.
void expect_targets(const BoneLattice& l, const SyntheticLatticeConfig& c, double conn_d_min,
                    double conn_d_max) {
  const Morphometry m = compute_morphometry(l.bone_at_day0, l.voxel_size_um);
  const double share = largest_component_share(l.bone_at_day0);
  std::printf(
      "[ synthetic ] %dx%dx%d BV/TV %.4f (target %.2f), Tb.Th %.1f um (target %.0f), "
      "Tb.Sp %.0f um, Tb.N %.2f /mm, Conn.D %.2f /mm^3, largest piece %.4f\n",
      c.size_voxels[0], c.size_voxels[1], c.size_voxels[2], m.bv_tv, c.bv_tv, m.tb_th_um,
      c.tb_th_um, m.tb_sp_um, m.tb_n_per_mm, m.conn_d_per_mm3, share);
  EXPECT_NEAR(m.bv_tv, c.bv_tv, 0.01);
  EXPECT_NEAR(m.tb_th_um, c.tb_th_um, 0.15 * c.tb_th_um);
  EXPECT_GE(share, 0.95);
  EXPECT_GE(m.conn_d_per_mm3, conn_d_min);
  EXPECT_LE(m.conn_d_per_mm3, conn_d_max);
}

TEST(SyntheticLattice, DefaultHitsTargets) {
  const BoneLattice& l = default_lattice();
  EXPECT_EQ(l.shape.nx, 150);
  EXPECT_EQ(l.shape.nz, 150);
  EXPECT_EQ(l.voxel_size_um, kVoxelUm);
  // Exact to the voxel: the threshold is a quantile of the distance field.
  EXPECT_EQ(count(l.bone_at_day0), std::llround(0.20 * 150 * 150 * 150));
  // Human iliac / vertebral Conn.D is a few per mm^3 (docs/MODEL.md).
  expect_targets(l, SyntheticLatticeConfig{}, 2.0, 10.0);
}

TEST(SyntheticLattice, LowDensityThinTrabeculae) {
  const SyntheticLatticeConfig c = config(100, 0.10, 100.0);
  expect_targets(generate_synthetic_lattice(c, kVoxelUm, 3), c, 0.5, 10.0);
}

TEST(SyntheticLattice, HighDensityThickTrabeculae) {
  const SyntheticLatticeConfig c = config(120, 0.30, 200.0);
  expect_targets(generate_synthetic_lattice(c, kVoxelUm, 4), c, 1.0, 15.0);
}

TEST(SyntheticLattice, RodRichAndPlateRich) {
  SyntheticLatticeConfig rods = config(100, 0.15, 120.0, 0.2);
  expect_targets(generate_synthetic_lattice(rods, kVoxelUm, 5), rods, 1.0, 40.0);
  SyntheticLatticeConfig plates = config(120, 0.25, 160.0, 0.9);
  expect_targets(generate_synthetic_lattice(plates, kVoxelUm, 6), plates, 0.0, 10.0);
}

TEST(SyntheticLattice, NonCubicDomainAndOtherVoxelSize) {
  SyntheticLatticeConfig c = config(0, 0.18, 150.0);
  c.size_voxels = {160, 120, 200};  // 2.4 x 1.8 x 3 mm at 15 um
  const BoneLattice l = generate_synthetic_lattice(c, 15.0, 2);
  EXPECT_EQ(l.shape.nx, 160);
  EXPECT_EQ(l.shape.ny, 120);
  EXPECT_EQ(l.shape.nz, 200);
  EXPECT_EQ(count(l.bone_at_day0), std::llround(0.18 * 160 * 120 * 200));
  const Morphometry m = compute_morphometry(l.bone_at_day0, 15.0);
  EXPECT_NEAR(m.tb_th_um, 150.0, 0.15 * 150.0);
}

TEST(SyntheticLattice, DayZeroState) {
  const BoneLattice& l = default_lattice();
  const Mask mask = bone_mask(l);
  EXPECT_EQ(mask.data, l.bone_at_day0.data);
  for (int k = 0; k < l.shape.nz; k += 7)
    for (int j = 0; j < l.shape.ny; j += 3)
      for (int i = 0; i < l.shape.nx; ++i) {
        ASSERT_TRUE(l.bone(i, j, k) == 0.0f || l.bone(i, j, k) == 1.0f);
        ASSERT_EQ(l.osteoid(i, j, k), 0.0f);
        ASSERT_EQ(l.day_last_formed(i, j, k), kNever);
        ASSERT_EQ(l.day_last_resorbed(i, j, k), kNever);
      }
}

TEST(SyntheticLattice, SameSeedIsBitIdentical) {
  const BoneLattice again = generate_synthetic_lattice(SyntheticLatticeConfig{}, kVoxelUm, 1);
  EXPECT_TRUE(same_bone(again, default_lattice()));
}

TEST(SyntheticLattice, DifferentSeedDiffers) {
  const BoneLattice other = generate_synthetic_lattice(SyntheticLatticeConfig{}, kVoxelUm, 2);
  EXPECT_FALSE(same_bone(other, default_lattice()));
}

TEST(SyntheticLattice, IndependentOfThreadCount) {
  const SyntheticLatticeConfig c = config(100, 0.2, 150.0);
  BoneLattice one, four;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = generate_synthetic_lattice(c, kVoxelUm, 8);
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
    four = generate_synthetic_lattice(c, kVoxelUm, 8);
  }
  EXPECT_TRUE(same_bone(one, four));
}

TEST(SyntheticLattice, RejectsImpossibleInputs) {
  EXPECT_THROW(generate_synthetic_lattice(config(100, 0.2, 150.0), 0.0, 1), std::invalid_argument);
  EXPECT_THROW(generate_synthetic_lattice(config(100, 0.0, 150.0), kVoxelUm, 1),
               std::invalid_argument);
  EXPECT_THROW(generate_synthetic_lattice(config(100, 0.2, 150.0, 1.5), kVoxelUm, 1),
               std::invalid_argument);
  // Trabeculae thinner than the voxels cannot be drawn.
  EXPECT_THROW(generate_synthetic_lattice(config(100, 0.2, 30.0), kVoxelUm, 1),
               std::invalid_argument);
  // A 0.4 mm cube holds less than one trabecular spacing.
  EXPECT_THROW(generate_synthetic_lattice(config(20, 0.2, 150.0), kVoxelUm, 1),
               std::invalid_argument);
  try {
    generate_synthetic_lattice(config(100, 0.9, 30.0), kVoxelUm, 1);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();  // every problem at once
    EXPECT_NE(msg.find("bv_tv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("tb_th_um"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace bonesim
