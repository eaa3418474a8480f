#include "bonesim/morphometry/morphometry.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <bit>
#include <cmath>
#include <cstdint>

#include "support/shapes.hpp"

namespace bonesim {
namespace {

using testing_support::make_mask;
using testing_support::rod_lattice_mask;

TEST(Morphometry, ParallelPlatesInPhysicalUnits) {
  // Plates of T = 5 layers, gaps of S = 10, the z faces cutting mid-gap (half gaps of 5).
  const int t = 5, s = 10, periods = 4;
  const double h = 20.0;  // um
  const Mask m = make_mask(23, 19, periods * (t + s),
                           [&](int, int, int k) { return (k + t + s - s / 2) % (t + s) < t; });
  const Morphometry r = compute_morphometry(m, h);
  EXPECT_DOUBLE_EQ(r.bv_tv, double(t) / (t + s));
  EXPECT_NEAR(r.tb_th_um, t * h, 0.5 * h);
  EXPECT_NEAR(r.tb_sp_um, s * h, 0.5 * h);
  EXPECT_DOUBLE_EQ(r.tb_n_per_mm, 1e3 / (r.tb_th_um + r.tb_sp_um));
  EXPECT_NEAR(r.tb_n_per_mm, 1e3 / ((t + s) * h), 0.05 * 1e3 / ((t + s) * h));
  // Plates do not change chi: no connectivity, Conn.D = 1 / TV.
  const double tv_mm3 = 23 * 19 * periods * (t + s) * std::pow(h * 1e-3, 3);
  EXPECT_EQ(r.euler, 0.0);
  EXPECT_NEAR(r.conn_d_per_mm3, 1.0 / tv_mm3, 1e-9 / tv_mm3);
  // BS/BV: two surfaces per plate, each read by the pairs that stay inside the 23 x 19 domain
  // (0.9266 of the area in the limit of a large domain).
  const double wa = 0.04577789120476, wf = 0.03698062787608, ws = 0.03519563978232;
  const double per_face = 4 * (wa * 23 * 19 + 2 * wf * (22 * 19 + 23 * 18) / std::sqrt(2.0) +
                               4 * ws * 22 * 18 / std::sqrt(3.0));
  const double bv_mm3 = periods * t * 23 * 19 * std::pow(h * 1e-3, 3);
  const double bs_mm2 = 2 * periods * per_face * std::pow(h * 1e-3, 2);
  EXPECT_NEAR(r.bs_bv_per_mm, bs_mm2 / bv_mm3, 1e-9 * r.bs_bv_per_mm);
  EXPECT_NEAR(r.bs_bv_per_mm, 0.9266 * 2.0 / (t * h * 1e-3), 0.08 * 2.0 / (t * h * 1e-3));
}

TEST(Morphometry, RodLatticeConnectivityDensity) {
  const int n = 3, a = 8;
  const Mask m = rod_lattice_mask(n, a, 3);
  const double h = 10.0, tv_mm3 = std::pow(n * a * h * 1e-3, 3);
  const Morphometry r = compute_morphometry(m, h);
  EXPECT_EQ(r.euler, -2.0 * n * n * n);
  EXPECT_NEAR(r.conn_d_per_mm3, (1 + 2.0 * n * n * n) / tv_mm3, 1e-9 * r.conn_d_per_mm3);
}

Mask random_blobs(int n) {
  // Deterministic pseudo-random trabeculae-like blobs: thresholded sums of waves.
  return make_mask(n, n + 3, n - 5, [](int i, int j, int k) {
    const double v = std::sin(0.37 * i + 0.11 * j) + std::sin(0.23 * j - 0.31 * k + 1.0) +
                     std::sin(0.29 * k + 0.17 * i + 2.0) + 0.3 * std::sin(1.7 * i * j + k);
    return v > 1.1;
  });
}

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

TEST(Morphometry, BitIdenticalAtAnyThreadCount) {
  const Mask m = random_blobs(61);
  Morphometry one, four;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = compute_morphometry(m, 12.5);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 4);
    four = compute_morphometry(m, 12.5);
  }
  EXPECT_GT(one.bv_tv, 0.05);
  EXPECT_LT(one.bv_tv, 0.6);
  EXPECT_EQ(bits(one.bv_tv), bits(four.bv_tv));
  EXPECT_EQ(bits(one.bs_bv_per_mm), bits(four.bs_bv_per_mm));
  EXPECT_EQ(bits(one.tb_th_um), bits(four.tb_th_um));
  EXPECT_EQ(bits(one.tb_sp_um), bits(four.tb_sp_um));
  EXPECT_EQ(bits(one.tb_n_per_mm), bits(four.tb_n_per_mm));
  EXPECT_EQ(bits(one.conn_d_per_mm3), bits(four.conn_d_per_mm3));
  EXPECT_EQ(bits(one.euler), bits(four.euler));
}

TEST(Morphometry, AllMarrow) {
  const Morphometry r = compute_morphometry(Mask(GridShape::make(13, 6, 5), 0), 10.0);
  EXPECT_EQ(r.bv_tv, 0.0);
  EXPECT_TRUE(std::isnan(r.bs_bv_per_mm));
  EXPECT_TRUE(std::isnan(r.tb_th_um));
  EXPECT_TRUE(std::isnan(r.tb_sp_um));
  EXPECT_TRUE(std::isnan(r.tb_n_per_mm));
  EXPECT_EQ(r.euler, 0.0);
  EXPECT_EQ(r.conn_d_per_mm3, 0.0);
}

TEST(Morphometry, AllBone) {
  const Morphometry r = compute_morphometry(Mask(GridShape::make(13, 6, 5), 1), 10.0);
  EXPECT_EQ(r.bv_tv, 1.0);
  EXPECT_EQ(r.bs_bv_per_mm, 0.0);
  EXPECT_TRUE(std::isnan(r.tb_th_um));
  EXPECT_TRUE(std::isnan(r.tb_sp_um));
  EXPECT_TRUE(std::isnan(r.tb_n_per_mm));
  EXPECT_EQ(r.euler, 0.0);
  EXPECT_NEAR(r.conn_d_per_mm3, 1.0 / (13 * 6 * 5 * 1e-6), 1e-6);
}

}  // namespace
}  // namespace bonesim
