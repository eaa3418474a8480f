// The runs of a sweep: combinations, ranges, samples, replicates (docs/SWEEPS.md).
#include "bonesim/sweep/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace bonesim {
namespace {

SweepParameter listed(const std::string& key, std::vector<std::string> values) {
  SweepParameter p;
  p.key = key;
  p.values = std::move(values);
  return p;
}

TEST(SweepPlan, ProductVariesTheLastParameterFastestAndAddsTheSeed) {
  SweepConfig cfg;
  cfg.set = {"run.days=10"};
  cfg.parameters = {listed("a", {"1", "2"}), listed("b", {"x", "[1, 2]", "z"})};
  cfg.replicates = 2;
  const auto runs = plan_sweep(cfg, 7);
  ASSERT_EQ(runs.size(), 12u);
  EXPECT_EQ(runs[0].id, "run_000000");
  EXPECT_EQ(runs[11].id, "run_000011");
  EXPECT_EQ(runs[0].overrides,
            (std::vector<std::string>{"run.days=10", "a=1", "b=x", "run.seed=7"}));
  EXPECT_EQ(runs[1].overrides.back(), "run.seed=8");  // replicates innermost
  EXPECT_EQ(runs[2].values, (std::vector<std::string>{"1", "[1, 2]"}));
  EXPECT_EQ(runs[6].values, (std::vector<std::string>{"2", "x"}));
  EXPECT_EQ(runs[6].numbers[0], 2.0);
  EXPECT_TRUE(std::isnan(runs[6].numbers[1]));
}

TEST(SweepPlan, ZipPairsTheListsAndRangesIncludeBothEnds) {
  SweepConfig cfg;
  cfg.combine = "zip";
  SweepParameter r;
  r.key = "r";
  r.from = 1;
  r.to = 100;
  r.count = 3;
  r.scale = "log";
  cfg.parameters = {listed("a", {"5", "6", "7"}), r};
  const auto runs = plan_sweep(cfg, 1);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[1].values, (std::vector<std::string>{"6", "10"}));
  EXPECT_EQ(runs[2].values[1], "100");
  r.scale = "linear";
  EXPECT_EQ(parameter_values(r), (std::vector<std::string>{"1", "50.5", "100"}));
}

TEST(SweepPlan, LatinHypercubeHitsEveryStratumOncePerAxis) {
  const int n = 17, k = 3;
  const auto pts = unit_sample(n, k, true, 42);
  for (int axis = 0; axis < k; ++axis) {
    std::set<int> strata;
    for (const auto& p : pts) {
      ASSERT_GE(p[std::size_t(axis)], 0.0);
      ASSERT_LT(p[std::size_t(axis)], 1.0);
      strata.insert(int(p[std::size_t(axis)] * n));
    }
    EXPECT_EQ(int(strata.size()), n) << "axis " << axis;
  }
  EXPECT_EQ(unit_sample(n, k, true, 42), pts);  // counter-based: same seed, same points
  EXPECT_NE(unit_sample(n, k, true, 43), pts);
  // The axes are not paired in the same order (random permutations).
  std::vector<double> a, b;
  for (const auto& p : pts) a.push_back(p[0]), b.push_back(p[1]);
  EXPECT_NE(std::is_sorted(a.begin(), a.end()) && std::is_sorted(b.begin(), b.end()), true);
}

TEST(SweepPlan, SampledParametersCrossTheGridWithinTheirBounds) {
  SweepConfig cfg;
  SweepParameter s;
  s.key = "s";
  s.distribution = "log_uniform";
  s.low = 0.01;
  s.high = 1;
  cfg.parameters = {listed("a", {"1", "2"}), s};
  cfg.samples = 4;
  const auto runs = plan_sweep(cfg, 1);
  ASSERT_EQ(runs.size(), 8u);
  for (const auto& run : runs) {
    EXPECT_GE(run.numbers[1], 0.01);
    EXPECT_LE(run.numbers[1], 1.0);
  }
  // The same four samples for each grid point: the grid is the outer loop.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(runs[std::size_t(i)].values[1], runs[std::size_t(i + 4)].values[1]);
  // Log-uniform Latin hypercube: one sample per decade half.
  std::set<int> halves;
  for (int i = 0; i < 4; ++i)
    halves.insert(int(std::floor(2 * std::log10(runs[std::size_t(i)].numbers[1]))));
  EXPECT_EQ(halves.size(), 4u);
}

}  // namespace
}  // namespace bonesim
