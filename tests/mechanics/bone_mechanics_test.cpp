#include "bonesim/mechanics/bone_mechanics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "bonesim/core/parallel.hpp"
#include "bonesim/fields/signalling.hpp"

namespace bonesim {
namespace {

BoneLattice solid(int n, float bone) {
  BoneLattice l = make_lattice(n, n, n, 20.0);
  for (float& b : l.bone.data) b = bone;
  return l;
}

TEST(BoneMechanics, ElementModulusIsTheMeanOverItsVoxelsOfThePowerLaw) {
  BoneLattice l = make_lattice(4, 4, 3, 20.0);  // coarsened by 2: 2 x 2 x 2, the last z half full
  l.bone(0, 0, 0) = 1.0f;
  l.bone(1, 0, 0) = 0.5f;
  l.bone(0, 0, 2) = 1.0f;
  MechanicsConfig cfg;
  cfg.tissue_modulus_MPa = 1000;
  cfg.modulus_exponent = 2;
  const Field<float> e = element_moduli(l, 2, cfg);
  ASSERT_EQ(e.shape.nx, 2);
  ASSERT_EQ(e.shape.nz, 2);
  EXPECT_FLOAT_EQ(e(0, 0, 0), (1000.f + 250.f) / 8.f);
  EXPECT_FLOAT_EQ(e(0, 0, 1), 1000.f / 4.f);  // 4 voxels below this element
  EXPECT_EQ(e(1, 1, 0), 0.f);
}

TEST(BoneMechanics, LoadFactorsOfOverlappingLoadInterventionsMultiply) {
  const std::vector<InterventionConfig> iv = {{"load", 10, 20, 0.5}, {"load", 15, 30, 0.2}};
  EXPECT_EQ(load_factor(iv, 5), 1.0);
  EXPECT_EQ(load_factor(iv, 10), 0.5);
  EXPECT_DOUBLE_EQ(load_factor(iv, 17), 0.1);
  EXPECT_EQ(load_factor(iv, 20), 0.2);  // the first has ended: [start, end)
  EXPECT_EQ(load_factor(iv, 30), 1.0);
}

TEST(BoneMechanics, DueFirstThenByIntervalOrBoneChange) {
  MechanicsConfig cfg;
  cfg.interval_days = 30;
  cfg.bone_change_fraction = 0.01;
  MechanicsState m;
  EXPECT_TRUE(mechanics_due(m, cfg, 0, 1000));
  m.solved_day = 0;
  m.bone_at_solve_um3 = 1000;
  EXPECT_FALSE(mechanics_due(m, cfg, 29.75, 1009));
  EXPECT_TRUE(mechanics_due(m, cfg, 29.75, 989));  // lost more than 1 %
  EXPECT_TRUE(mechanics_due(m, cfg, 30, 1000));
}

// A solid block under free uniaxial compression: SED = E eps^2 / 2 and strain = |eps| in
// every element, apparent modulus = E (the chain lattice -> moduli -> solve -> fields).
TEST(BoneMechanics, SolidBlockCarriesTheUniaxialStrainEverywhere) {
  const BoneLattice l = solid(6, 0.5f);
  MechanicsConfig cfg;
  cfg.tissue_modulus_MPa = 4000;  // E = 4000 x 0.5 = 2000 MPa
  cfg.load_cases = {LoadCaseConfig{.axis = "y", .apparent_strain = -0.001}};
  MechanicsState m = make_mechanics_state(field_shape(l.shape, 2), 1);
  solve_bone_mechanics(m, l, 2, cfg, 4.0, bone_volume_um3(l));
  EXPECT_NEAR(m.cases[0].apparent_modulus_MPa, 2000.0, 2000.0 * 1e-5);
  EXPECT_EQ(m.solved_day, 4.0);
  EXPECT_DOUBLE_EQ(m.bone_at_solve_um3, 0.5 * 216 * 8000.0);
  for_each_voxel(m.sed_MPa.shape, [&](int i, int j, int k) {
    EXPECT_NEAR(m.sed_MPa(i, j, k), 0.5 * 2000 * 1e-6, 1e-3 * 1e-3);
    EXPECT_NEAR(m.strain(i, j, k), 1e-3, 1e-6);
    // u_y = strain x y at the element centre, y = (j + 1/2) 40 um from the fixed plate.
    EXPECT_NEAR(m.cases[0].displacement_um[1](i, j, k), -1e-3 * (j + 0.5) * 40.0, 1e-6);
  });
}

// The same block under a prescribed stress of -2 MPa: E = 2000 MPa, so -0.001 strain,
// whatever strain it is solved at.
TEST(BoneMechanics, PrescribedStressScalesThroughTheApparentModulus) {
  const BoneLattice l = solid(6, 0.5f);
  MechanicsConfig cfg;
  cfg.tissue_modulus_MPa = 4000;
  cfg.load_cases = {
      LoadCaseConfig{.axis = "x", .apparent_strain = -0.01, .apparent_stress_MPa = -2.0}};
  MechanicsState m = make_mechanics_state(field_shape(l.shape, 2), 1);
  solve_bone_mechanics(m, l, 2, cfg, 0, 1);
  EXPECT_NEAR(m.cases[0].apparent_modulus_MPa, 2000.0, 2000.0 * 1e-5);
  for_each_voxel(m.sed_MPa.shape, [&](int i, int j, int k) {
    EXPECT_NEAR(m.sed_MPa(i, j, k), 0.5 * 2000 * 1e-6, 1e-3 * 1e-3);
    EXPECT_NEAR(m.strain(i, j, k), 1e-3, 1e-6);
    EXPECT_NEAR(m.cases[0].displacement_um[0](i, j, k), -1e-3 * (i + 0.5) * 40.0, 1e-5);
  });
}

// The next solve starts each case from its last displacement (rebuilt from the element
// centres in the state; a stress-controlled case scaled back to the strain it is solved
// at), so on an unchanged structure it needs far fewer iterations.
TEST(BoneMechanics, NextSolveStartsFromTheLastDisplacement) {
  BoneLattice l = make_lattice(12, 12, 12, 20.0);
  for_each_voxel(l.shape, [&](int i, int j, int k) {
    l.bone(i, j, k) = (i * 7 + j * 13 + k * 5) % 4 != 0 ? 1.0f : 0.0f;
  });
  MechanicsConfig cfg;
  cfg.load_cases = {
      LoadCaseConfig{.axis = "z"},
      LoadCaseConfig{.axis = "x", .apparent_strain = -0.01, .apparent_stress_MPa = -3}};
  MechanicsState m = make_mechanics_state(l.shape, 2);
  solve_bone_mechanics(m, l, 1, cfg, 0, 1);
  const std::int64_t cold = m.iterations;
  const Field<float> sed = m.sed_MPa;
  solve_bone_mechanics(m, l, 1, cfg, 30, 1);
  std::printf("cold %lld, warm %lld iterations\n", (long long)cold, (long long)m.iterations);
  EXPECT_GT(cold, 5);
  EXPECT_LT(m.iterations, cold * 3 / 4);
  for (std::size_t v = 0; v < sed.data.size(); ++v) {
    // Both solves stop at a 1e-6 relative residual: SED agrees to a few 1e-4.
    EXPECT_NEAR(m.sed_MPa.data[v], sed.data[v], 5e-4 * sed.data[v] + 1e-12);
  }
}

TEST(BoneMechanics, CombinedSedIsTheMaxOrTheWeightedSumOfTheCases) {
  const BoneLattice l = solid(4, 1.0f);
  MechanicsConfig cfg;
  cfg.tissue_modulus_MPa = 1000;
  cfg.load_cases = {LoadCaseConfig{.axis = "x", .apparent_strain = -0.001, .weight = 1},
                    LoadCaseConfig{.axis = "z", .apparent_strain = -0.002, .weight = 0.5}};
  MechanicsState m = make_mechanics_state(field_shape(l.shape, 1), 2);
  solve_bone_mechanics(m, l, 1, cfg, 0, 1);
  EXPECT_NEAR(m.sed_MPa(1, 2, 3), 0.5 * 1000 * 4e-6, 1e-8);  // max: the z case
  cfg.combine = "weighted_sum";
  solve_bone_mechanics(m, l, 1, cfg, 0, 1);
  EXPECT_NEAR(m.sed_MPa(1, 2, 3), 0.5 * 1000 * (1e-6 + 0.5 * 4e-6), 1e-8);
  EXPECT_NEAR(m.cases[0].apparent_modulus_MPa, 1000.0, 1e-2);
  EXPECT_NEAR(m.cases[1].apparent_modulus_MPa, 1000.0, 1e-2);
}

}  // namespace
}  // namespace bonesim
