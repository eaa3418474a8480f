// Regression: configs/immobilization.yaml at a reduced size and on a shortened schedule
// (90 days habitual, 120 days at 10 % load, 90 days reloaded), checking the direction of
// each link of the disuse mechanism (docs/MODEL.md section 8): strain falls below the
// disuse threshold, osteocytes make more RANKL, and the bone resorbed during disuse is
// where the habitual strain was lower than on the rest of the surface.
#include <gtest/gtest.h>

#include <cmath>

#include "bonesim/app/initial_lattice.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/sim/run_loop.hpp"
#include "support/metrics_rows.hpp"

namespace bonesim {
namespace {

using testing_support::mean_over;

constexpr double kDisuseStart = 90, kDisuseEnd = 210;

struct Recorder : RunOutput {
  std::vector<Metrics> rows;
  Field<float> strain_at_onset;  // the habitual strain when disuse begins
  Mask bone_at_onset;            // and the bone then
  void write_metrics(const Metrics& m) override { rows.push_back(m); }
};

TEST(Immobilization, DisuseRaisesRanklWhereStrainIsLowest) {
  const Config cfg =
      load_config(BONESIM_SOURCE_DIR "/configs/immobilization.yaml",
                  {"lattice.synthetic.size_voxels=[64,64,64]", "run.days=300",
                   "run.output.metrics_interval_days=5",
                   "interventions=[{type: load, start_day: 90, end_day: 210, load_factor: 0.1}]"});
  Simulation sim = make_simulation(make_initial_lattice(cfg), cfg);
  Recorder rec;
  RunHooks hooks;
  hooks.on_step = [&](const Simulation& s, std::int64_t) {
    if (rec.strain_at_onset.data.empty() && s.day >= kDisuseStart) {
      rec.strain_at_onset = s.mechanics.strain;
      rec.bone_at_onset = bone_mask(s.lattice);
    }
  };
  ASSERT_EQ(run_simulation(sim, cfg, rec, hooks), RunStatus::kCompleted);
  const auto& r = rec.rows;
  auto disuse = [](const Metrics& m) { return m.mechanics.disuse_fraction; };
  auto rankl = [](const Metrics& m) { return m.fields.rankl_pM; };
  const double disuse_before = mean_over(r, 30, kDisuseStart, disuse);
  const double disuse_during = mean_over(r, kDisuseStart + 5, kDisuseEnd, disuse);
  const double disuse_after = mean_over(r, kDisuseEnd + 5, 300, disuse);
  const double rankl_before = mean_over(r, 30, kDisuseStart, rankl);
  const double rankl_during = mean_over(r, kDisuseStart + 10, kDisuseEnd, rankl);

  // Habitual strain of the voxels resorbed during disuse against all surface bone then.
  const BoneLattice& l = sim.lattice;
  const int c = int(sim.fields.coarsening);
  double lost = 0, lost_strain = 0;
  for (int k = 0; k < l.shape.nz; ++k)
    for (int j = 0; j < l.shape.ny; ++j)
      for (int i = 0; i < l.shape.nx; ++i) {
        const float d = l.day_last_resorbed(i, j, k);
        if (d < kDisuseStart || d >= kDisuseEnd) continue;
        lost += 1;
        lost_strain += rec.strain_at_onset(i / c, j / c, k / c);
      }
  // Surface bone at the onset: bone voxels with a marrow face neighbour.
  const double surface_strain = [&] {
    const Mask& b = rec.bone_at_onset;
    const GridShape& g = b.shape;
    double n = 0, s = 0;
    for (int k = 1; k + 1 < g.nz; ++k)
      for (int j = 1; j + 1 < g.ny; ++j)
        for (int i = 1; i + 1 < g.nx; ++i) {
          if (!b(i, j, k)) continue;
          if (b(i - 1, j, k) && b(i + 1, j, k) && b(i, j - 1, k) && b(i, j + 1, k) &&
              b(i, j, k - 1) && b(i, j, k + 1))
            continue;
          s += rec.strain_at_onset(i / c, j / c, k / c), n += 1;
        }
    return s / n;
  }();
  std::printf(
      "immobilization 64^3: disuse fraction %.2f -> %.2f -> %.2f; RANKL %.1f -> %.1f pM; "
      "BV/TV %.4f (day 90) %.4f (day 210) %.4f (day 300); %g voxels resorbed in disuse, "
      "their habitual strain %.0f vs %.0f microstrain on the bone surface then\n",
      disuse_before, disuse_during, disuse_after, rankl_before, rankl_during,
      r[18].morphometry.bv_tv, r[42].morphometry.bv_tv, r.back().morphometry.bv_tv, lost,
      1e6 * lost_strain / lost, 1e6 * surface_strain);
  EXPECT_LT(disuse_before, 0.5);
  EXPECT_GT(disuse_during, 0.9);
  EXPECT_LT(disuse_after, 0.5);
  EXPECT_GT(rankl_during, 1.5 * rankl_before);
  ASSERT_GT(lost, 100);
  EXPECT_LT(lost_strain / lost, surface_strain);
}

}  // namespace
}  // namespace bonesim
