// Regression: configs/immobilization.yaml at a reduced size and on a shortened schedule
// (90 days habitual, 120 days at 10 % load, 90 days reloaded), checking the direction of
// each link of the disuse mechanism (docs/MODEL.md section 8): strain falls below the
// disuse threshold, osteocytes make more RANKL, the bone resorbed during disuse is where
// the habitual strain was lower than on the rest of the surface, the bone still missing
// after reloading (arrested cavities) lower still, and part of the loss comes back.
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

struct Recorder : testing_support::MetricsRows {
  Field<float> strain_at_onset;  // the habitual strain when disuse begins
  Mask bone_at_onset;            // and the bone then
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
  auto bv_tv = [&](double day) {
    for (const Metrics& m : r)
      if (m.day >= day) return m.morphometry.bv_tv;
    return r.back().morphometry.bv_tv;
  };
  const double bv_onset = bv_tv(kDisuseStart), bv_end_disuse = bv_tv(kDisuseEnd),
               bv_end = r.back().morphometry.bv_tv;

  // Habitual strain of the voxels resorbed during disuse, and of those of them still
  // without matrix at the end, against all surface bone at the onset.
  const BoneLattice& l = sim.lattice;
  const int c = int(sim.fields.coarsening);
  double lost = 0, lost_strain = 0, kept_lost = 0, kept_lost_strain = 0;
  for (int k = 0; k < l.shape.nz; ++k)
    for (int j = 0; j < l.shape.ny; ++j)
      for (int i = 0; i < l.shape.nx; ++i) {
        const float d = l.day_last_resorbed(i, j, k);
        if (d < kDisuseStart || d >= kDisuseEnd) continue;
        const double e = rec.strain_at_onset(i / c, j / c, k / c);
        lost += 1, lost_strain += e;
        if (l.bone(i, j, k) + l.osteoid(i, j, k) < 0.5f) kept_lost += 1, kept_lost_strain += e;
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
      "BV/TV %.4f (day 90) %.4f (day 210) %.4f (day 300); %g voxels resorbed in disuse at "
      "habitual strain %.0f, %g of them still empty at %.0f, vs %.0f microstrain on the "
      "bone surface then\n",
      disuse_before, disuse_during, disuse_after, rankl_before, rankl_during, bv_onset,
      bv_end_disuse, bv_end, lost, 1e6 * lost_strain / lost, kept_lost,
      1e6 * kept_lost_strain / kept_lost, 1e6 * surface_strain);
  EXPECT_LT(disuse_before, 0.5);
  EXPECT_GT(disuse_during, 0.9);
  EXPECT_LT(disuse_after, 0.5);
  EXPECT_GT(rankl_during, 1.5 * rankl_before);
  ASSERT_GT(lost, 100);
  EXPECT_LT(lost_strain / lost, surface_strain);
  ASSERT_GT(kept_lost, 50);
  EXPECT_LT(kept_lost_strain / kept_lost, lost_strain / lost);
  // Lost in disuse, partly regained: reloading refills the cavities still recruiting.
  EXPECT_LT(bv_end_disuse, bv_onset - 0.01);
  EXPECT_GT(bv_end, bv_end_disuse + 0.002);
  EXPECT_LT(bv_end, bv_onset - 0.002);
}

}  // namespace
}  // namespace bonesim
