#include "bonesim/lattice/bone_lattice.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace bonesim {
namespace {

// A solid cube of side n with its lower corner at (x0, y0, z0).
void fill_cube(BoneLattice& l, int x0, int y0, int z0, int n) {
  for (int k = z0; k < z0 + n; ++k)
    for (int j = y0; j < y0 + n; ++j)
      for (int i = x0; i < x0 + n; ++i) l.bone(i, j, k) = 1.0f;
}

TEST(BoneLattice, MakeLatticeIsAllMarrow) {
  const BoneLattice l = make_lattice(7, 5, 3, 12.5);
  EXPECT_EQ(l.shape.nx, 7);
  EXPECT_EQ(l.shape.ny, 5);
  EXPECT_EQ(l.shape.nz, 3);
  EXPECT_EQ(l.voxel_size_um, 12.5);
  EXPECT_EQ(l.bone.data.size(), std::size_t(l.shape.storage_size()));
  EXPECT_EQ(count(bone_mask(l)), 0);
  EXPECT_EQ(count(l.bone_at_day0), 0);
  EXPECT_EQ(l.day_last_formed(6, 4, 2), kNever);
  EXPECT_EQ(l.day_last_resorbed(0, 0, 0), kNever);
  EXPECT_EQ(l.osteoid(3, 2, 1), 0.0f);
}

TEST(BoneLattice, MakeLatticeRejectsEmptyGrid) {
  EXPECT_THROW(make_lattice(0, 4, 4, 20.0), std::invalid_argument);
}

TEST(BoneLattice, BoneMaskUsesThreshold) {
  BoneLattice l = make_lattice(4, 4, 4, 20.0);
  l.bone(0, 0, 0) = kBoneThreshold;
  l.bone(1, 0, 0) = std::nextafter(kBoneThreshold, 0.0f);
  l.bone(2, 3, 1) = 1.0f;
  const Mask m = bone_mask(l);
  EXPECT_EQ(m(0, 0, 0), 1);
  EXPECT_EQ(m(1, 0, 0), 0);
  EXPECT_EQ(m(2, 3, 1), 1);
  EXPECT_EQ(count(m), 2);
}

TEST(BoneLattice, SurfaceOfInteriorCubeIsItsOuterLayer) {
  BoneLattice l = make_lattice(10, 11, 12, 20.0);
  fill_cube(l, 2, 3, 4, 5);
  const Mask s = surface_mask(bone_mask(l));
  EXPECT_EQ(count(s), 5 * 5 * 5 - 3 * 3 * 3);
  EXPECT_EQ(s(2, 3, 4), 1);  // corner
  EXPECT_EQ(s(4, 5, 6), 0);  // centre
  EXPECT_EQ(s(0, 0, 0), 0);  // marrow is never surface
}

TEST(BoneLattice, SurfaceIgnoresFacesOnDomainBoundary) {
  // A 4-cube in the corner: its three faces on x = 0, y = 0, z = 0 lie on the domain
  // boundary, so only the layers at x = 3, y = 3, z = 3 are surface.
  BoneLattice l = make_lattice(8, 8, 8, 20.0);
  fill_cube(l, 0, 0, 0, 4);
  const Mask s = surface_mask(bone_mask(l));
  EXPECT_EQ(count(s), 4 * 4 * 4 - 3 * 3 * 3);
  EXPECT_EQ(s(0, 0, 0), 0);
  EXPECT_EQ(s(3, 0, 0), 1);
  EXPECT_EQ(s(0, 0, 3), 1);
}

TEST(BoneLattice, AllBoneHasNoSurface) {
  BoneLattice l = make_lattice(5, 6, 7, 20.0);
  for (int k = 0; k < 7; ++k)
    for (int j = 0; j < 6; ++j)
      for (int i = 0; i < 5; ++i) l.bone(i, j, k) = 1.0f;
  EXPECT_EQ(count(surface_mask(bone_mask(l))), 0);
}

TEST(BoneLattice, MarkDay0RecordsCurrentBone) {
  BoneLattice l = make_lattice(6, 6, 6, 20.0);
  fill_cube(l, 1, 1, 1, 2);
  mark_day0(l);
  EXPECT_EQ(count(l.bone_at_day0), 8);
  l.bone(1, 1, 1) = 0.0f;  // later changes do not touch the day-0 record
  EXPECT_EQ(l.bone_at_day0(1, 1, 1), 1);
}

}  // namespace
}  // namespace bonesim
