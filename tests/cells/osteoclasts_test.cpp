// Osteoclasts on a flat slab of bone: resorbed volume = nuclei x rate x time, pits no
// deeper than the cell's limit, lattice history and coupling factor written
// consistently, and apoptosis slowed by RANKL (docs/MODEL.md, "Cells: osteoclasts").
#include "bonesim/cells/osteoclasts.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "cell_test_support.hpp"

namespace bonesim {
namespace {

using testing_support::fields_with_occupancy;
using testing_support::slab_lattice;

constexpr int kTop = 10;  // bone in layers k < 10

void add_osteoclast(CellPopulations& cells, const BoneLattice& l, const Voxel& v, int nuclei,
                    float max_depth_um, std::int32_t event) {
  Osteoclasts& oc = cells.osteoclasts;
  oc.id.push_back(std::uint64_t(cells.next_id++));
  oc.position_um.push_back(centre_of(l, v));
  oc.nuclei.push_back(nuclei);
  oc.age_days.push_back(0);
  oc.event.push_back(event);
  oc.max_depth_um.push_back(max_depth_um);
  oc.credit_um3.push_back(0);
  oc.heading.push_back({1, 0, 0});
}

struct Dig {
  double tally_um3 = 0;
  Index voxels = 0;       // voxels with the event's label
  int deepest_layer = 0;  // resorption_depth, largest
  int lowest_k = kTop;
  double coupling = 0;  // sum of the coupling factor (pM x voxels)
  bool days_ok = true;
};

Dig dig(int osteoclasts, int nuclei, float max_depth_um, double days) {
  Config cfg;
  cfg.cells.osteoclasts.lifespan_days = 1e9;  // no apoptosis here
  BoneLattice l = slab_lattice(48, 48, 20, kTop);
  SignallingFields f = fields_with_occupancy(l.shape, cfg.fields, 0.25);
  std::fill(f.coupling.data.begin(), f.coupling.data.end(), 0.0f);
  CellPopulations cells;
  for (int n = 0; n < osteoclasts; ++n) {
    add_osteoclast(cells, l, {6 + 6 * (n % 6), 6 + 6 * (n / 6), kTop}, nuclei, max_depth_um, 7);
  }
  RemodellingTally tally;
  const double dt = 0.25;
  for (int s = 0; s * dt < days; ++s) {
    update_osteoclasts(cells.osteoclasts, l, f, cfg.fields, cfg.cells.osteoclasts,
                       {.seed = 3, .step = std::uint32_t(s), .day = s * dt, .dt = dt}, tally);
  }
  Dig d;
  d.tally_um3 = tally.resorbed_um3;
  testing_support::each_voxel(l.shape, [&](int i, int j, int k) {
    d.coupling += f.coupling(i, j, k);
    if (l.resorption_event(i, j, k) != 7) return;
    ++d.voxels;
    d.deepest_layer = std::max(d.deepest_layer, int(l.resorption_depth(i, j, k)));
    d.lowest_k = std::min(d.lowest_k, k);
    const float day = l.day_last_resorbed(i, j, k);
    d.days_ok = d.days_ok && day > 0 && day <= days && l.bone(i, j, k) == 0;
  });
  return d;
}

TEST(Osteoclasts, ResorbNucleiTimesRateTimesTime) {
  const OsteoclastConfig oc;
  const double days = 10, voxel = 20.0 * 20.0 * 20.0;
  const Dig d = dig(1, 3, 45.0f, days);
  const double expected = 3 * oc.resorption_um3_per_nucleus_day * days;
  std::printf("one osteoclast, 3 nuclei, %g days: %lld voxels (%.0f um^3, expected %.0f)\n", days,
              static_cast<long long>(d.voxels), d.tally_um3, expected);
  EXPECT_DOUBLE_EQ(d.tally_um3, double(d.voxels) * voxel);  // whole bone voxels
  EXPECT_LE(d.tally_um3, expected);
  EXPECT_GT(d.tally_um3, expected - 2 * voxel);  // at most the capacity of one voxel unspent
  EXPECT_TRUE(d.days_ok);
  EXPECT_NEAR(d.coupling, double(d.voxels) * oc.coupling_release_pM_per_voxel, 1e-3 * d.coupling);
}

TEST(Osteoclasts, DigNoDeeperThanTheirLimit) {
  for (const float limit : {25.0f, 45.0f, 65.0f}) {
    const Dig d = dig(36, 5, limit, 20);
    const int layers = int(std::floor(limit / 20.0 + 0.5));  // (depth - 1/2) h <= limit
    std::printf("limit %.0f um: %lld voxels, deepest layer %d\n", double(limit),
                static_cast<long long>(d.voxels), d.deepest_layer);
    EXPECT_EQ(d.deepest_layer, layers);
    EXPECT_EQ(d.lowest_k, kTop - layers);
  }
}

double surviving_fraction(double occupancy, double days) {
  Config cfg;
  BoneLattice l = slab_lattice(8, 8, 4, 2);
  const SignallingFields f0 = fields_with_occupancy(l.shape, cfg.fields, occupancy);
  CellPopulations cells;
  const int n = 4000;
  for (int c = 0; c < n; ++c) add_osteoclast(cells, l, {4, 4, 2}, 1, 0.0f, c);
  cfg.cells.osteoclasts.resorption_um3_per_nucleus_day = 0;
  RemodellingTally tally;
  SignallingFields f = f0;
  const double dt = 0.25;
  for (int s = 0; s * dt < days; ++s) {
    update_osteoclasts(cells.osteoclasts, l, f, cfg.fields, cfg.cells.osteoclasts,
                       {.seed = 5, .step = std::uint32_t(s), .day = s * dt, .dt = dt}, tally);
  }
  return double(cells.osteoclasts.id.size()) / n;
}

TEST(Osteoclasts, RanklProlongsTheirLife) {
  const OsteoclastConfig oc;  // lifespan at occupancy = survival_half_occupancy
  const double half = oc.survival_half_occupancy;
  const double at_half = surviving_fraction(half, oc.lifespan_days);
  const double at_high = surviving_fraction(3 * half, oc.lifespan_days);  // rate halved
  std::printf("alive after one lifespan: %.3f at the reference occupancy, %.3f at 3x it\n", at_half,
              at_high);
  const double sigma = std::sqrt(0.25 / 4000);
  EXPECT_NEAR(at_half, std::exp(-1.0), 4 * sigma);
  EXPECT_NEAR(at_high, std::exp(-0.5), 4 * sigma);
}

TEST(Osteoclasts, NewOnesJoinANearbyEventOrStartTheirOwn) {
  Config cfg;
  const BoneLattice l = slab_lattice(40, 40, 16, 8);
  CellPopulations cells;
  const StepClock c{.seed = 1, .step = 0, .day = 0, .dt = 0.25};
  fuse_into_osteoclasts(cells, {{5, 5, 8}}, l, cfg.cells.osteoclasts, c);
  ASSERT_EQ(cells.osteoclasts.id.size(), 1u);
  EXPECT_EQ(cells.osteoclasts.nuclei[0], cfg.cells.osteoclasts.initial_nuclei);
  // Within the fusion radius: one more nucleus, no new cell.
  fuse_into_osteoclasts(cells, {{6, 5, 8}}, l, cfg.cells.osteoclasts, c);
  ASSERT_EQ(cells.osteoclasts.id.size(), 1u);
  EXPECT_EQ(cells.osteoclasts.nuclei[0], cfg.cells.osteoclasts.initial_nuclei + 1);
  // Within the BMU radius (200 um = 10 voxels): a new cell of the same event.
  fuse_into_osteoclasts(cells, {{12, 5, 8}}, l, cfg.cells.osteoclasts, c);
  ASSERT_EQ(cells.osteoclasts.id.size(), 2u);
  EXPECT_EQ(cells.osteoclasts.event[1], cells.osteoclasts.event[0]);
  // Far away: a new event.
  fuse_into_osteoclasts(cells, {{35, 35, 8}}, l, cfg.cells.osteoclasts, c);
  ASSERT_EQ(cells.osteoclasts.id.size(), 3u);
  EXPECT_NE(cells.osteoclasts.event[2], cells.osteoclasts.event[0]);
  EXPECT_EQ(cells.next_event, 2);
}

}  // namespace
}  // namespace bonesim
