// Hormones and disease (docs/MODEL.md section 9): the parameters of the day, and a
// regression of each scenario's direction against homeostasis at a reduced size
// (configs/estrogen_deficiency.yaml, pth_continuous.yaml, glucocorticoid.yaml: onset on
// day 120, the markers' baseline over days 30-120, 300 days in all).
#include "bonesim/interventions/effects.hpp"

#include <gtest/gtest.h>

#include "bonesim/app/initial_lattice.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/sim/run_loop.hpp"
#include "support/metrics_rows.hpp"

namespace bonesim {
namespace {

using testing_support::mean_over;

TEST(Effects, ActiveEntriesScaleTheirParametersAndOverlapsMultiply) {
  const CellsConfig base;
  const InterventionEffectsConfig g;
  const std::vector<InterventionConfig> list{
      {.type = "estrogen_deficiency", .start_day = 10, .end_day = 20, .severity = 0.5},
      {.type = "glucocorticoid", .start_day = 15, .end_day = 30, .severity = 1.0},
      {.type = "pth_intermittent", .start_day = 25, .end_day = 40, .severity = 0.5},
      {.type = "load", .start_day = 0, .end_day = 100, .load_factor = 0.5}};
  const CellsConfig before = cells_of_the_day(base, g, list, 9.9);
  EXPECT_EQ(before.t_cells.activation_per_day, base.t_cells.activation_per_day);
  EXPECT_EQ(before.osteoblasts.opg_pM_per_day, base.osteoblasts.opg_pM_per_day);
  const CellsConfig both = cells_of_the_day(base, g, list, 15);
  EXPECT_DOUBLE_EQ(
      both.t_cells.rankl_pM_per_day,
      base.t_cells.rankl_pM_per_day * (1 + 0.5 * g.estrogen_deficiency.t_cell_rankl_gain));
  EXPECT_DOUBLE_EQ(both.osteoblasts.opg_pM_per_day, base.osteoblasts.opg_pM_per_day *
                                                        (1 - 0.5 * g.estrogen_deficiency.opg_loss) *
                                                        (1 - g.glucocorticoid.opg_loss));
  EXPECT_DOUBLE_EQ(
      both.osteoblasts.active_lifespan_days,
      base.osteoblasts.active_lifespan_days * (1 - g.glucocorticoid.osteoblast_lifespan_loss));
  EXPECT_DOUBLE_EQ(both.osteoblasts.apposition_um_per_day,
                   base.osteoblasts.apposition_um_per_day * (1 - g.glucocorticoid.apposition_loss));
  const CellsConfig anabolic = cells_of_the_day(base, g, list, 35);
  EXPECT_EQ(anabolic.osteoblasts.overflow_fraction, 0.5 * g.pth_intermittent.overflow_fraction);
  EXPECT_DOUBLE_EQ(
      anabolic.osteoblasts.recruitment_per_day,
      base.osteoblasts.recruitment_per_day * (1 + 0.5 * g.pth_intermittent.recruitment_gain));
  const CellsConfig after = cells_of_the_day(base, g, list, 40);  // end_day excluded
  EXPECT_EQ(after.osteoblasts.recruitment_per_day, base.osteoblasts.recruitment_per_day);
  EXPECT_EQ(after.osteoblasts.overflow_fraction, 0.0);
}

// The scenario `name` (a config file and its intervention type) with its onset on day 120.
std::vector<Metrics> run(const std::string& name, const std::string& type) {
  const std::string onset =
      type.empty() ? "[]" : "[{type: " + type + ", start_day: 120, end_day: 10000}]";
  const Config cfg = load_config(BONESIM_SOURCE_DIR "/configs/" + name + ".yaml",
                                 {"lattice.synthetic.size_voxels=[64,64,64]", "run.days=300",
                                  "run.output.metrics_interval_days=5", "interventions=" + onset});
  Simulation sim = make_simulation(make_initial_lattice(cfg), cfg);
  testing_support::MetricsRows rec;
  EXPECT_EQ(run_simulation(sim, cfg, rec, {}), RunStatus::kCompleted);
  return rec.rows;
}

// Against homeostasis over days 150-300 (formation from day 180, after the reversal lag):
// estrogen deficiency and continuous PTH raise RANK occupancy and resorption,
// glucocorticoids cut formation, and all three lose bone; intermittent PTH forms more.
TEST(Effects, EachScenarioMovesBoneThroughItsMechanism) {
  const auto none = run("homeostasis", "");
  auto resorbed = [](const Metrics& m) { return m.markers.resorption_marker_mm3_per_day; };
  auto formed = [](const Metrics& m) { return m.markers.formation_marker_mm3_per_day; };
  auto occupancy = [](const Metrics& m) { return m.fields.rank_occupancy; };
  const double r0 = mean_over(none, 150, 300, resorbed), f0 = mean_over(none, 180, 300, formed);
  const double occ0 = mean_over(none, 150, 300, occupancy);
  const double bv0 = none.back().morphometry.bv_tv, bmd0 = none.back().markers.bmd_proxy;
  struct Scenario {
    const char* config;
    const char* type;
  };
  for (const auto& [name, type] :
       {Scenario{"estrogen_deficiency", "estrogen_deficiency"}, Scenario{"pth_continuous", "pth"},
        Scenario{"glucocorticoid", "glucocorticoid"},
        Scenario{"pth_intermittent", "pth_intermittent"}}) {
    const auto rows = run(name, type);
    const double r = mean_over(rows, 150, 300, resorbed), f = mean_over(rows, 180, 300, formed);
    const double occ = mean_over(rows, 150, 300, occupancy);
    const double bv = rows.back().morphometry.bv_tv;
    std::printf(
        "%s 64^3: RANK occupancy %.4f vs %.4f, resorbed %.3g vs %.3g, formed %.3g vs %.3g "
        "mm^3/day; BV/TV %.4f vs %.4f at day 300; markers %.0f %% / %.0f %%, BMD proxy "
        "%.2f %% of baseline (%.4g vs %.4g)\n",
        name, occ, occ0, r, r0, f, f0, bv, bv0,
        mean_over(rows, 150, 300, [](const Metrics& m) { return m.markers.resorption_marker_pct; }),
        mean_over(rows, 180, 300, [](const Metrics& m) { return m.markers.formation_marker_pct; }),
        rows.back().markers.bmd_pct, rows.back().markers.bmd_proxy, bmd0);
    const std::string what = type;
    if (what == "pth_intermittent") {
      EXPECT_GT(f, 1.3 * f0) << name;
      EXPECT_GT(bv, bv0) << name;
      EXPECT_GT(rows.back().markers.bmd_proxy, bmd0) << name;
      continue;
    }
    EXPECT_LT(bv, bv0) << name;
    EXPECT_LT(rows.back().markers.bmd_proxy, bmd0) << name;
    if (what == "glucocorticoid") {
      EXPECT_GT(occ, occ0) << name;
      EXPECT_LT(f, 0.8 * f0) << name;
    } else {
      EXPECT_GT(occ, 1.3 * occ0) << name;
      EXPECT_GT(r, 1.3 * r0) << name;
    }
  }
}

}  // namespace
}  // namespace bonesim
