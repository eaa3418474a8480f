// Partial rank correlation coefficients and their p-values (docs/SWEEPS.md).
#include "bonesim/sweep/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace bonesim {
namespace {

TEST(Sensitivity, RanksAverageTies) {
  EXPECT_EQ(ranks({3.0, 1.0, 3.0, 2.0}), (std::vector<double>{3.5, 1.0, 3.5, 2.0}));
}

// Two-sided critical values of Student's t at p = 0.05 and 0.01 (standard tables).
TEST(Sensitivity, StudentTMatchesTheTables) {
  EXPECT_NEAR(student_t_two_sided_p(12.706, 1), 0.05, 1e-4);
  EXPECT_NEAR(student_t_two_sided_p(2.228, 10), 0.05, 1e-4);
  EXPECT_NEAR(student_t_two_sided_p(3.169, 10), 0.01, 1e-4);
  EXPECT_NEAR(student_t_two_sided_p(2.042, 30), 0.05, 1e-4);
  EXPECT_NEAR(student_t_two_sided_p(0.0, 5), 1.0, 1e-12);
  EXPECT_NEAR(student_t_two_sided_p(-2.228, 10), 0.05, 1e-4);
}

TEST(Sensitivity, MonotoneInfluenceGivesPrccNearOneAndNoiseNearZero) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 0.05);
  const int n = 200;
  std::vector<std::vector<double>> x(3, std::vector<double>(n));
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) {
    for (auto& col : x) col[std::size_t(i)] = u(rng);
    // Monotone but not linear in x0, decreasing in x1, independent of x2.
    y[std::size_t(i)] = std::exp(4 * x[0][std::size_t(i)]) - 20 * x[1][std::size_t(i)] + noise(rng);
  }
  const auto p = partial_rank_correlations(x, y);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_GT(p[0].coefficient, 0.9);
  EXPECT_LT(p[1].coefficient, -0.8);
  EXPECT_LT(std::abs(p[2].coefficient), 0.2);
  EXPECT_LT(p[0].p_value, 1e-10);
  EXPECT_GT(p[2].p_value, 0.01);
  EXPECT_EQ(p[0].n, n);
}

// PRCC controls for the other parameters: y depends on x1 only, but x0 is correlated
// with x1, so x0's plain rank correlation with y is high and its PRCC is not.
TEST(Sensitivity, ControlsForCorrelatedParameters) {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> g(0, 1);
  const int n = 300;
  std::vector<std::vector<double>> x(2, std::vector<double>(n));
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) {
    const double common = g(rng);
    x[1][std::size_t(i)] = common;
    x[0][std::size_t(i)] = common + 0.3 * g(rng);
    y[std::size_t(i)] = x[1][std::size_t(i)] + 0.05 * g(rng);
  }
  const auto p = partial_rank_correlations(x, y);
  EXPECT_GT(p[1].coefficient, 0.8);
  EXPECT_LT(std::abs(p[0].coefficient), 0.3);
}

TEST(Sensitivity, NaNRunsAreLeftOutAndConstantColumnsUndefined) {
  std::vector<std::vector<double>> x{{1, 2, 3, 4, 5, 6}, {7, 7, 7, 7, 7, 7}};
  std::vector<double> y{1, 2, NAN, 4, 5, 7};
  const auto p = partial_rank_correlations(x, y);
  EXPECT_EQ(p[0].n, 5);
  EXPECT_NEAR(p[0].coefficient, 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(p[1].coefficient));
  const auto few = partial_rank_correlations({{1, 2}}, {1, 2});
  EXPECT_TRUE(std::isnan(few[0].coefficient));  // no degree of freedom left
}

}  // namespace
}  // namespace bonesim
