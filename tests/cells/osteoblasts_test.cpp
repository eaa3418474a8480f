// Osteoblasts refill a dug pit to the surface it was dug from, after the reversal phase,
// at the mineral apposition rate; the osteoid then mineralises (docs/MODEL.md, "Cells:
// osteoblasts", "Cells: mineralisation").
#include "bonesim/cells/osteoblasts.hpp"

#include <gtest/gtest.h>

#include "bonesim/cells/mineralisation.hpp"
#include "cell_test_support.hpp"

namespace bonesim {
namespace {

constexpr int kTop = 10, kDepth = 2;  // bone below k = 10; a pit 2 layers deep

// A slab with a box pit of event 4 (x, y in [8, 20)), resorbed on day 0.
BoneLattice pitted_slab() {
  BoneLattice l = testing_support::slab_lattice(28, 28, 16, kTop);
  for (int k = kTop - kDepth; k < kTop; ++k)
    for (int j = 8; j < 20; ++j)
      for (int i = 8; i < 20; ++i) {
        l.bone(i, j, k) = 0;
        l.resorption_event(i, j, k) = 4;
        l.resorption_depth(i, j, k) = std::uint8_t(kTop - k);
        l.day_last_resorbed(i, j, k) = 0;
      }
  return l;
}

struct Refill {
  double first_formed_day = -1;  // first osteoid laid
  double filled_day = -1;        // every pit voxel refilled
  double outside_matrix = 0;     // matrix gained outside the pit
  double pit_bone = 0;           // mineralised fraction in the pit at the end
  std::size_t osteoblasts_left = 0, osteocytes = 0;
  double formed_um3 = 0;
};

Refill refill(double days) {
  const Config cfg;
  BoneLattice l = pitted_slab();
  SignallingFields f = make_signalling_fields(l.shape, cfg.fields);
  std::fill(f.coupling.data.begin(), f.coupling.data.end(), 1000.0f);  // saturating
  CellPopulations cells;
  RemodellingTally tally;
  Refill out;
  const double dt = 0.25;
  auto pit_voxels_full = [&] {
    for (int k = kTop - kDepth; k < kTop; ++k)
      for (int j = 8; j < 20; ++j)
        for (int i = 8; i < 20; ++i)
          if (l.bone(i, j, k) + l.osteoid(i, j, k) < 0.999f) return false;
    return true;
  };
  for (int s = 0; s * dt < days; ++s) {
    const StepClock c{.seed = 9, .step = std::uint32_t(s), .day = s * dt, .dt = dt};
    recruit_osteoblasts(cells, l, f, cfg.cells.osteoblasts, c);
    update_osteoblasts(cells, l, cfg.cells.osteoblasts, c, tally);
    mineralise(l, cfg.cells.mineralisation, c);
    if (out.first_formed_day < 0 && tally.formed_um3 > 0) out.first_formed_day = c.day_after();
    if (out.filled_day < 0 && pit_voxels_full()) out.filled_day = c.day_after();
  }
  testing_support::each_voxel(l.shape, [&](int i, int j, int k) {
    const bool pit = l.resorption_event(i, j, k) == 4;
    if (pit) out.pit_bone += l.bone(i, j, k);
    if (!pit && k >= kTop) out.outside_matrix += l.bone(i, j, k) + l.osteoid(i, j, k);
  });
  out.pit_bone /= 12.0 * 12.0 * kDepth;
  out.osteoblasts_left = cells.osteoblasts.id.size();
  out.osteocytes = cells.osteocytes.id.size();
  out.formed_um3 = tally.formed_um3;
  return out;
}

TEST(Osteoblasts, RefillThePitToItsOldSurfaceAndNoFurther) {
  const OsteoblastConfig ob;
  const double voxel_days = 20.0 / ob.apposition_um_per_day;  // one layer
  const Refill r = refill(200);
  std::printf(
      "pit 2 layers: first osteoid day %.2f, refilled day %.2f (layer %.1f days), "
      "%zu osteocytes, bone fraction at the end %.3f\n",
      r.first_formed_day, r.filled_day, voxel_days, r.osteocytes, r.pit_bone);
  // Nothing forms before the reversal phase and the precursor stage are over.
  EXPECT_GE(r.first_formed_day, ob.reversal_days + ob.precursor_days);
  ASSERT_GT(r.filled_day, 0);
  // Layer after layer at the apposition rate: at least two layers' time.
  EXPECT_GE(r.filled_day - r.first_formed_day, kDepth * voxel_days - 1.0);
  EXPECT_LT(r.filled_day, ob.reversal_days + ob.precursor_days + 2 * kDepth * voxel_days);
  EXPECT_EQ(r.outside_matrix, 0.0);  // wall thickness = eroded depth
  EXPECT_NEAR(r.formed_um3, 12.0 * 12.0 * kDepth * 8000.0, 0.01 * r.formed_um3);
  EXPECT_EQ(r.osteoblasts_left, 0u);
  EXPECT_GT(r.osteocytes, 0u);
  EXPECT_GT(r.pit_bone, 0.99);  // mineralised after the lag
}

// Precursors recruited to the pitted slab in one day-long step at `day`, the bone
// strained uniformly (`microstrain`, or no stimulus when negative), osteoid last laid
// on the pit floor on `formed_day`.
std::size_t recruited(double day, double microstrain, float formed_day = kNever) {
  const Config cfg;
  BoneLattice l = pitted_slab();
  for (int j = 8; j < 20; ++j)
    for (int i = 8; i < 20; ++i) l.day_last_formed(i, j, kTop - kDepth - 1) = formed_day;
  SignallingFields f = make_signalling_fields(l.shape, cfg.fields);
  std::fill(f.coupling.data.begin(), f.coupling.data.end(), 1000.0f);
  Field<float> strain(f.rankl.shape, float(microstrain * 1e-6));
  const StrainStimulus s{&strain, 1, 1.0, &cfg.mechanics.osteocytes};
  CellPopulations cells;
  recruit_osteoblasts(cells, l, f, cfg.cells.osteoblasts,
                      {.seed = 3, .step = 7, .day = day, .dt = 1.0},
                      microstrain < 0 ? nullptr : &s);
  return cells.osteoblasts.id.size();
}

TEST(Osteoblasts, ArrestedReversalSitesRecruitNoMore) {
  const OsteoblastConfig ob;
  EXPECT_GT(recruited(ob.reversal_days, -1), 20u);  // 144 sites at ~0.4 per day
  EXPECT_GT(recruited(ob.arrest_days - 1.5, -1), 20u);
  EXPECT_EQ(recruited(ob.arrest_days, -1), 0u);
  // Formation next to a site keeps it recruiting (the formation front moves on).
  EXPECT_GT(recruited(ob.arrest_days + 20, -1, 30.0f), 20u);
  EXPECT_EQ(recruited(ob.arrest_days + 40, -1, 15.0f), 0u);
}

TEST(Osteoblasts, SclerostinOfDisusedBoneHoldsRecruitmentBackAndLoadPromotesIt) {
  const Config cfg;
  const double day = cfg.cells.osteoblasts.reversal_days;
  const std::size_t lazy = recruited(day, 1000), none = recruited(day, -1);
  EXPECT_EQ(lazy, none);             // the lazy zone changes nothing
  EXPECT_EQ(recruited(day, 0), 0u);  // 1 - formation_disuse_loss < 0 without strain
  // d = 0.2: x (1 - 3 x 0.2) = 0.4 of the lazy rate.
  const std::size_t mild = recruited(day, 0.8 * cfg.mechanics.osteocytes.disuse_microstrain);
  const std::size_t over = recruited(day, 2 * cfg.mechanics.osteocytes.overload_microstrain);
  std::printf("recruits per day: no strain 0, mild disuse %zu, lazy %zu, overload %zu\n", mild,
              lazy, over);
  EXPECT_GT(mild, 0u);
  EXPECT_LT(mild, lazy * 6 / 10);
  EXPECT_GT(over, lazy + lazy / 3);  // x 2 of the lazy rate, saturating at 1 per day
}

TEST(Mineralisation, OsteoidWaitsForTheLagThenMineralisesExponentially) {
  const MineralisationConfig cfg;
  BoneLattice l = make_lattice(4, 4, 4, 20.0);
  l.osteoid(1, 1, 1) = 1.0f;
  l.day_last_formed(1, 1, 1) = 0.0f;
  const double dt = 0.25;
  int s = 0;
  for (; (s + 1) * dt < cfg.lag_days; ++s) {
    mineralise(l, cfg, {.seed = 1, .step = std::uint32_t(s), .day = s * dt, .dt = dt});
  }
  EXPECT_EQ(l.bone(1, 1, 1), 0.0f);
  for (int n = 0; n < int(cfg.primary_days / dt); ++n, ++s) {
    mineralise(l, cfg, {.seed = 1, .step = std::uint32_t(s), .day = s * dt, .dt = dt});
  }
  EXPECT_NEAR(l.bone(1, 1, 1), 1.0 - std::exp(-1.0), 1e-5);
  EXPECT_NEAR(l.bone(1, 1, 1) + l.osteoid(1, 1, 1), 1.0, 1e-6);
  // New bone enters at the primary degree, then creeps up: within a few % of it now.
  EXPECT_GT(l.mineral(1, 1, 1), cfg.primary_degree);
  EXPECT_LT(l.mineral(1, 1, 1), cfg.primary_degree + 0.01);
}

// Secondary mineralisation closes (1 - exp(-rate t)) of the gap to full mineral.
TEST(Mineralisation, SecondaryMineralisationApproachesFullMineral) {
  MineralisationConfig cfg;
  cfg.secondary_per_day = 0.002;
  BoneLattice l = make_lattice(2, 2, 2, 20.0);
  l.bone(0, 0, 0) = 1.0f;
  l.mineral(0, 0, 0) = 0.7f;
  for (int s = 0; s < 4 * 500; ++s) {
    mineralise(l, cfg, {.seed = 1, .step = std::uint32_t(s), .day = s * 0.25, .dt = 0.25});
  }
  EXPECT_NEAR(l.mineral(0, 0, 0), 1.0 - 0.3 * std::exp(-1.0), 1e-4);  // 500 days
  EXPECT_EQ(l.mineral(1, 1, 1), 0.0f);                                // no bone
}

// Day-0 bone: the mean degree of a steady turnover r, 1 - (1 - primary) r / (r + rate).
TEST(Mineralisation, SeededDegreesFollowTheSteadyAgeDistribution) {
  const MineralisationConfig cfg;
  BoneLattice l = make_lattice(40, 40, 40, 20.0);
  for (float& b : l.bone.data) b = 1.0f;
  seed_mineral(l, cfg, 7);
  double sum = 0, lowest = 1;
  for (int k = 0; k < 40; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i) {
        sum += l.mineral(i, j, k);
        lowest = std::min(lowest, double(l.mineral(i, j, k)));
      }
  const double r = cfg.initial_turnover_per_year / 365.0;
  const double expected = 1 - (1 - cfg.primary_degree) * r / (r + cfg.secondary_per_day);
  EXPECT_NEAR(sum / 64000, expected, 2e-3);
  EXPECT_GE(lowest, cfg.primary_degree);
}

}  // namespace
}  // namespace bonesim
