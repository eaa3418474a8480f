// Regression: configs/denosumab.yaml at a reduced size and on a shortened schedule (one
// 60 mg injection on day 180, the markers' baseline over days 90-180), against the same
// run without the drug: resorption collapses within weeks and formation follows, RANK
// occupancy falls, and bone is gained (docs/MODEL.md section 9). Then one 3 mg/kg
// injection of OPG-Fc instead (configs/opg_fc.yaml): RANKL is blocked for days only.
#include <gtest/gtest.h>

#include "bonesim/app/initial_lattice.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/sim/run_loop.hpp"
#include "support/metrics_rows.hpp"

namespace bonesim {
namespace {

using testing_support::mean_over;

std::vector<Metrics> run(const std::string& interventions) {
  const Config cfg =
      load_config(BONESIM_SOURCE_DIR "/configs/denosumab.yaml",
                  {"lattice.synthetic.size_voxels=[64,64,64]", "run.days=300",
                   "run.output.metrics_interval_days=5", "interventions=" + interventions});
  Simulation sim = make_simulation(make_initial_lattice(cfg), cfg);
  testing_support::MetricsRows rec;
  EXPECT_EQ(run_simulation(sim, cfg, rec, {}), RunStatus::kCompleted);
  return rec.rows;
}

TEST(Drugs, DenosumabStopsResorptionForMonthsAndOpgFcForDays) {
  const auto dmab = run("[{type: denosumab, start_day: 180, dose_mg: 60}]");
  const auto none = run("[]");
  auto resorbed = [](const Metrics& m) { return m.markers.resorption_marker_mm3_per_day; };
  auto formed = [](const Metrics& m) { return m.markers.formation_marker_mm3_per_day; };
  auto ctx = [](const Metrics& m) { return m.markers.resorption_marker_pct; };
  auto occupancy = [](const Metrics& m) { return m.fields.rank_occupancy; };
  const double ctx_weeks_2_6 = mean_over(dmab, 195, 222, ctx);
  const double resorbed_d = mean_over(dmab, 195, 300, resorbed);
  const double resorbed_n = mean_over(none, 195, 300, resorbed);
  const double formed_d = mean_over(dmab, 250, 300, formed);
  const double formed_n = mean_over(none, 250, 300, formed);
  const double bmd_end = dmab.back().markers.bmd_pct;
  const double serum_peak = [&] {
    double p = 0;
    for (const Metrics& m : dmab) p = std::max(p, m.markers.denosumab_serum_ng_per_mL);
    return p;
  }();
  std::printf(
      "denosumab 64^3: resorption marker %.1f %% of baseline in weeks 2-6; resorbed %.2g vs "
      "%.2g mm^3/day (days 195-300), formed %.2g vs %.2g (days 250-300) with vs without; "
      "RANK occupancy %.4f vs %.4f; BMD proxy %.2f %% of baseline at day 300; BV/TV %.4f vs "
      "%.4f; serum peak %.0f ng/mL\n",
      ctx_weeks_2_6, resorbed_d, resorbed_n, formed_d, formed_n,
      mean_over(dmab, 195, 300, occupancy), mean_over(none, 195, 300, occupancy), bmd_end,
      dmab.back().morphometry.bv_tv, none.back().morphometry.bv_tv, serum_peak);
  EXPECT_TRUE(std::isnan(none.back().markers.resorption_marker_pct));  // no baseline window
  EXPECT_LT(ctx_weeks_2_6, 20.0);  // biology.md section 3: 11-19 % at weeks 1-4
  EXPECT_LT(resorbed_d, 0.3 * resorbed_n);
  EXPECT_LT(formed_d, 0.6 * formed_n);
  EXPECT_LT(mean_over(dmab, 195, 300, occupancy), 0.1 * mean_over(none, 195, 300, occupancy));
  EXPECT_GT(bmd_end, 100.5);
  EXPECT_GT(dmab.back().morphometry.bv_tv, none.back().morphometry.bv_tv);
  EXPECT_GT(serum_peak, 4000.0);  // label Cmax 6750 ng/mL
  EXPECT_LT(serum_peak, 14000.0);

  // OPG-Fc, 3 mg/kg once (Bekker et al. 2001): RANKL blocked for days, not months.
  const auto opg = run("[{type: opg_fc, start_day: 180, dose_mg_per_kg: 3}]");
  const double occ_days_1_5 = mean_over(opg, 181, 186, occupancy);
  const double occ_weeks_3_6 = mean_over(opg, 200, 222, occupancy);
  std::printf("OPG-Fc 3 mg/kg: RANK occupancy %.4f (days 1-5), %.4f (weeks 3-6) vs %.4f\n",
              occ_days_1_5, occ_weeks_3_6, mean_over(none, 181, 186, occupancy));
  EXPECT_LT(occ_days_1_5, 0.6 * mean_over(none, 181, 186, occupancy));
  EXPECT_GT(occ_weeks_3_6, 0.9 * mean_over(none, 200, 222, occupancy));  // gone by then
}

}  // namespace
}  // namespace bonesim
