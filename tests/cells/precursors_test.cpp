// Osteoclast precursors: arrivals at the bone surface at the supply rate, a pool that
// fills while RANKL is blocked, and fusion that rises with RANK occupancy (docs/MODEL.md,
// "Cells: osteoclast precursors").
#include "bonesim/cells/precursors.hpp"

#include <gtest/gtest.h>

#include "cell_test_support.hpp"

namespace bonesim {
namespace {

struct Pool {
  double mean_pool = 0;      // over the second half
  double fused_per_day = 0;  // over the second half
  double surface_mm2 = 0;
};

// A supply 80x the default, so the pool on this small surface is large enough to count.
Config pool_config() {
  Config cfg;
  cfg.cells.precursors.supply_per_mm2_per_day = 20.0;
  return cfg;
}

Pool run_pool(double occupancy, double days) {
  const Config cfg = pool_config();
  const BoneLattice l = testing_support::slab_lattice(40, 40, 12, 6);
  const SignallingFields f = testing_support::fields_with_occupancy(l.shape, cfg.fields, occupancy);
  CellPopulations cells;
  Pool p;
  p.surface_mm2 = 40 * 40 * 0.02 * 0.02;  // the slab's top; its bottom is the domain face
  const double dt = 0.25;
  int samples = 0;
  double fused = 0;
  for (int s = 0; s * dt < days; ++s) {
    const StepClock c{.seed = 11, .step = std::uint32_t(s), .day = s * dt, .dt = dt};
    supply_precursors(cells, l, cfg.cells.precursors, c);
    const auto fusing =
        update_precursors(cells.precursors, l, f, cfg.fields, cfg.cells.precursors, c);
    if (s * dt >= days / 2) {
      p.mean_pool += double(cells.precursors.id.size());
      fused += double(fusing.size());
      ++samples;
    }
  }
  p.mean_pool /= samples;
  p.fused_per_day = fused / (samples * dt);
  return p;
}

TEST(Precursors, PoolFillsToSupplyTimesLifespanWhenRanklIsBlocked) {
  const PrecursorConfig pc = pool_config().cells.precursors;
  const Pool p = run_pool(0.0, 400);
  const double expected = pc.supply_per_mm2_per_day * p.surface_mm2 * pc.lifespan_days;
  std::printf("no RANKL: pool %.1f (expected %.1f), fused %.3f/day\n", p.mean_pool, expected,
              p.fused_per_day);
  EXPECT_NEAR(p.mean_pool, expected, 0.05 * expected);
  EXPECT_EQ(p.fused_per_day, 0.0);
}

TEST(Precursors, FusionRisesWithRankOccupancy) {
  const PrecursorConfig pc = pool_config().cells.precursors;
  const Pool low = run_pool(0.1, 400), high = run_pool(0.6, 400);
  const double supply = pc.supply_per_mm2_per_day * low.surface_mm2;
  auto predicted = [&](double occ) {  // steady state: supply = pool (1/L + f)
    const double f = pc.fusion_per_day * occ / (occ + pc.fusion_half_occupancy);
    return supply * f / (1.0 / pc.lifespan_days + f);
  };
  std::printf("fused per day: %.3f at occupancy 0.1 (predicted %.3f), %.3f at 0.6 (%.3f)\n",
              low.fused_per_day, predicted(0.1), high.fused_per_day, predicted(0.6));
  EXPECT_GT(high.fused_per_day, 1.2 * low.fused_per_day);  // supply-limited at both
  EXPECT_NEAR(low.fused_per_day, predicted(0.1), 0.05 * predicted(0.1));
  EXPECT_NEAR(high.fused_per_day, predicted(0.6), 0.05 * predicted(0.6));
}

}  // namespace
}  // namespace bonesim
