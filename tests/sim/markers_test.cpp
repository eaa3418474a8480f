// Clinical-marker proxies: smoothing, the baseline window and the BMD proxy
// (docs/MODEL.md, "Markers").
#include "bonesim/sim/markers.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bonesim/sim/metrics.hpp"
#include "bonesim/sim/simulation.hpp"

namespace bonesim {
namespace {

TEST(Markers, MineralFractionWeighsBoneByItsDegreeOfMineralisation) {
  BoneLattice l = make_lattice(4, 2, 2, 20.0);
  l.bone(0, 0, 0) = 1.0f;
  l.mineral(0, 0, 0) = 0.75f;
  l.bone(1, 1, 1) = 0.5f;
  l.mineral(1, 1, 1) = 1.0f;
  l.mineral(2, 1, 1) = 1.0f;  // no bone there: no mineral
  EXPECT_DOUBLE_EQ(mineral_fraction(l), 1.25 / 16);
}

TEST(Markers, BaselineWindowEndsAtTheFirstInterventionAndSmoothingIsExponential) {
  Config cfg;
  cfg.run.output.marker_baseline_days = 3;
  cfg.run.output.marker_smoothing_days = 2;
  cfg.interventions = {{.type = "denosumab", .start_day = 10, .dose_mg = 60}};
  Simulation sim = make_simulation(make_lattice(4, 2, 2, 20.0), cfg);
  sim.lattice.bone(0, 0, 0) = 1.0f;
  sim.lattice.mineral(0, 0, 0) = 1.0f;
  RemodellingTally t;
  for (int day = 1; day <= 12; ++day) {
    t.resorbed_um3_per_day = day <= 10 ? 100.0 : 10.0;  // one tenth after day 10
    t.formed_um3_per_day = 50.0;
    close_marker_day(sim.markers, t, sim.lattice, cfg, day);
  }
  EXPECT_EQ(sim.markers.baseline_days, 3.0);  // days 8, 9, 10
  EXPECT_DOUBLE_EQ(sim.markers.baseline_resorbed_um3, 300.0);
  EXPECT_DOUBLE_EQ(sim.markers.baseline_mineral_sum, 3.0 / 16);
  // Ten days at 100 from 0 reach 100 (1 - e^-5); two days at 10 then keep e^-1 of the gap.
  const double expected = 10 + std::exp(-1.0) * (100 * (1 - std::exp(-5.0)) - 10);
  EXPECT_NEAR(sim.markers.resorbed_um3_per_day, expected, 1e-9 * expected);
  sim.day = 9;  // inside the window: no percentages yet
  EXPECT_TRUE(std::isnan(marker_metrics(sim, cfg).resorption_marker_pct));
  sim.day = 12;
  const MarkerMetrics m = marker_metrics(sim, cfg);
  EXPECT_NEAR(m.resorption_marker_pct, expected, 1e-9 * expected);  // baseline mean 100
  EXPECT_NEAR(m.formation_marker_pct, 100 * (1 - std::exp(-6.0)), 1e-9);
  EXPECT_DOUBLE_EQ(m.bmd_pct, 100.0);
  EXPECT_DOUBLE_EQ(m.bmd_proxy, 1.0 / 16);
}

}  // namespace
}  // namespace bonesim
