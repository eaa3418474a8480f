#include "bonesim/morphometry/pits.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

namespace bonesim {
namespace {

constexpr double kH = 10.0;  // voxel size (um)

// What a remodelling run leaves behind: the lattice and the event that resorbed each voxel.
struct Dug {
  BoneLattice lattice;
  Field<std::int32_t> event;
};

// Bone in the layers k < top, marrow above: a flat bone surface facing +z.
Dug slab(int nx, int ny, int nz, int top) {
  Dug d{make_lattice(nx, ny, nz, kH), Field<std::int32_t>(GridShape::make(nx, ny, nz), -1)};
  for (int k = 0; k < top; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) d.lattice.bone(i, j, k) = 1.0f;
  mark_day0(d.lattice);
  return d;
}

// Osteoclasts of `event` remove voxel (i, j, k) on `day`.
void resorb(Dug& d, int i, int j, int k, std::int32_t event, float day) {
  d.lattice.bone(i, j, k) = 0.0f;
  d.lattice.osteoid(i, j, k) = 0.0f;
  d.lattice.day_last_resorbed(i, j, k) = day;
  d.event(i, j, k) = event;
}

// Resorbs the box [i0, i1] x [j0, j1] x [k0, k1] (inclusive), the top layer k1 first on
// `day`, one layer deeper each day.
void dig_box(Dug& d, int i0, int i1, int j0, int j1, int k0, int k1, std::int32_t event,
             float day) {
  for (int k = k0; k <= k1; ++k)
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i) resorb(d, i, j, k, event, day + float(k1 - k));
}

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

TEST(Pits, BoxPitInFlatSlab) {
  Dug d = slab(24, 20, 16, 10);
  dig_box(d, 5, 11, 4, 8, 7, 9, 42, 10.0f);  // 7 x 5 opening, 3 deep, days 10-12
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 1u);
  const Pit& p = r.pits[0];
  EXPECT_EQ(p.event, 42);
  EXPECT_EQ(p.label, 0);
  EXPECT_EQ(p.voxels, 7 * 5 * 3);
  EXPECT_EQ(p.volume_um3, 105 * kH * kH * kH);
  EXPECT_EQ(p.eroded_depth_um, 3 * kH);
  EXPECT_EQ(p.area_um2, 35 * kH * kH);
  EXPECT_EQ(p.start_day, 10.0);
  EXPECT_EQ(p.end_day, 12.0);
  EXPECT_EQ(p.refilled_fraction, 0.0);
  for (int k = 0; k < 16; ++k)
    for (int j = 0; j < 20; ++j)
      for (int i = 0; i < 24; ++i) {
        const bool in = i >= 5 && i <= 11 && j >= 4 && j <= 8 && k >= 7 && k <= 9;
        ASSERT_EQ(r.label(i, j, k), in ? 0 : -1) << i << " " << j << " " << k;
      }
}

TEST(Pits, FormationTimesGiveReversalFormationPeriodAndWallThickness) {
  Dug d = slab(24, 20, 16, 10);
  dig_box(d, 5, 11, 4, 8, 7, 9, 42, 10.0f);  // resorbed on days 10-12
  // Refilled bottom-up: layer k gets its first osteoid on day 30 + 30 (k - 7) and its
  // last 28 days later; every voxel is then full.
  for (int k = 7; k <= 9; ++k)
    for (int j = 4; j <= 8; ++j)
      for (int i = 5; i <= 11; ++i) {
        d.lattice.osteoid(i, j, k) = 1.0f;
        d.lattice.day_first_formed(i, j, k) = 30.0f + 30.0f * float(k - 7);
        d.lattice.day_last_formed(i, j, k) = 58.0f + 30.0f * float(k - 7);
      }
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 1u);
  EXPECT_EQ(r.pits[0].formation_start_day, 30.0);
  EXPECT_EQ(r.pits[0].formation_end_day, 118.0);
  const PitSummary s = summarize_pits(r.pits);
  EXPECT_EQ(s.mean_reversal_days, 18.0);        // 30 - 12
  EXPECT_EQ(s.mean_formation_days, 88.0);       // 118 - 30
  EXPECT_EQ(s.mean_wall_thickness_um, 3 * kH);  // refilled to the old surface
  EXPECT_EQ(s.volume_weighted_resorption_days, 2.0);
}

TEST(Pits, OneVoxelPitIsOneVoxelDeep) {
  Dug d = slab(8, 8, 8, 4);
  resorb(d, 3, 3, 3, 0, 2.0f);
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 1u);
  EXPECT_EQ(r.pits[0].eroded_depth_um, kH);
  EXPECT_EQ(r.pits[0].area_um2, kH * kH);
  EXPECT_EQ(r.pits[0].start_day, 2.0);
  EXPECT_EQ(r.pits[0].end_day, 2.0);
}

TEST(Pits, HemisphereDepthIsItsRadius) {
  for (double radius : {6.0, 8.5}) {
    const int n = 40, top = 20;
    Dug d = slab(n, n, n, top);
    // Bone voxels whose centres lie within the radius of a point on the old surface.
    const double c[3] = {19.5, 20.0, top - 0.5};
    Index voxels = 0, top_layer = 0;
    for (int k = 0; k < top; ++k)
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
          const double r2 =
              (i - c[0]) * (i - c[0]) + (j - c[1]) * (j - c[1]) + (k - c[2]) * (k - c[2]);
          if (r2 > radius * radius) continue;
          resorb(d, i, j, k, 1, 5.0f);
          ++voxels;
          top_layer += k == top - 1;
        }
    const PitAnalysis r = analyse_pits(d.lattice, d.event);
    ASSERT_EQ(r.pits.size(), 1u);
    const Pit& p = r.pits[0];
    EXPECT_EQ(p.voxels, voxels);
    EXPECT_NEAR(p.eroded_depth_um, radius * kH, kH) << "radius " << radius;
    EXPECT_EQ(p.area_um2, double(top_layer) * kH * kH);
    const double hemisphere = 2.0 / 3.0 * std::numbers::pi * radius * radius * radius;
    EXPECT_NEAR(double(voxels), hemisphere, 0.1 * hemisphere);
  }
}

TEST(Pits, TwoEventsSideBySideAreTwoPits) {
  Dug d = slab(24, 12, 12, 8);
  dig_box(d, 2, 7, 3, 8, 5, 7, 9, 1.0f);   // 3 deep, first in voxel order
  dig_box(d, 8, 11, 3, 8, 3, 7, 4, 1.0f);  // 5 deep, sharing a wall with event 9
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 2u);
  // Labels follow the first voxel of each pit: the deeper pit's lowest layer comes first.
  const Pit& deep = r.pits[0];
  const Pit& shallow = r.pits[1];
  EXPECT_EQ(deep.event, 4);
  EXPECT_EQ(shallow.event, 9);
  EXPECT_EQ(deep.voxels, 4 * 6 * 5);
  EXPECT_EQ(shallow.voxels, 6 * 6 * 3);
  // Dug at the same time: neither is the other's source marrow (no faces on the shared wall).
  EXPECT_EQ(deep.eroded_depth_um, 5 * kH);
  EXPECT_EQ(shallow.eroded_depth_um, 3 * kH);
  EXPECT_EQ(deep.area_um2, 24 * kH * kH);
  EXPECT_EQ(shallow.area_um2, 36 * kH * kH);
  EXPECT_EQ(r.label(2, 3, 7), 1);
  EXPECT_EQ(r.label(11, 8, 3), 0);
}

TEST(Pits, OneEventInTwoPiecesIsTwoPits) {
  Dug d = slab(24, 12, 12, 8);
  dig_box(d, 2, 5, 3, 6, 6, 7, 5, 3.0f);
  dig_box(d, 9, 12, 3, 6, 5, 7, 5, 4.0f);
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 2u);
  EXPECT_EQ(r.pits[0].event, 5);
  EXPECT_EQ(r.pits[1].event, 5);
  EXPECT_EQ(r.pits[0].voxels, 4 * 4 * 3);  // the deeper piece starts lower
  EXPECT_EQ(r.pits[1].voxels, 4 * 4 * 2);
  EXPECT_EQ(r.pits[0].eroded_depth_um, 3 * kH);
  EXPECT_EQ(r.pits[1].eroded_depth_um, 2 * kH);
  EXPECT_EQ(r.pits[0].start_day, 4.0);
  EXPECT_EQ(r.pits[1].end_day, 4.0);
}

TEST(Pits, RefilledFractionCountsOsteoidAndBone) {
  Dug d = slab(12, 12, 12, 8);
  dig_box(d, 4, 7, 4, 7, 6, 7, 0, 1.0f);  // 32 voxels, 2 deep
  // Bottom layer: 8 voxels full of osteoid, 8 half mineralised + 0.2 osteoid; top layer empty.
  for (int j = 4; j <= 7; ++j)
    for (int i = 4; i <= 7; ++i) {
      if (j < 6) {
        d.lattice.osteoid(i, j, 6) = 1.0f;
      } else {
        d.lattice.bone(i, j, 6) = 0.5f;
        d.lattice.osteoid(i, j, 6) = 0.2f;
      }
    }
  d.lattice.bone(4, 4, 6) = 0.8f;  // over-full voxel: counts as 1
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 1u);
  EXPECT_NEAR(r.pits[0].refilled_fraction, (8 * 1.0 + 8 * 0.7) / 32, 1e-6);
  // Refilling does not move the old surface: the pit keeps its depth and opening.
  EXPECT_EQ(r.pits[0].eroded_depth_um, 2 * kH);
  EXPECT_EQ(r.pits[0].area_um2, 16 * kH * kH);
  // Refilled completely.
  for (int k = 6; k <= 7; ++k)
    for (int j = 4; j <= 7; ++j)
      for (int i = 4; i <= 7; ++i) d.lattice.bone(i, j, k) = 1.0f;
  const PitAnalysis full = analyse_pits(d.lattice, d.event);
  EXPECT_EQ(full.pits[0].refilled_fraction, 1.0);
  EXPECT_EQ(summarize_pits(full.pits).completed_count, 1);
  EXPECT_EQ(summarize_pits(r.pits).completed_count, 0);
}

TEST(Pits, LaterPitMeasuredFromTheCavityItWasDugFrom) {
  Dug d = slab(20, 20, 20, 12);
  dig_box(d, 4, 13, 4, 13, 8, 11, 1, 10.0f);  // event 1: 4 deep, days 10-13
  dig_box(d, 7, 10, 7, 10, 6, 7, 2, 30.0f);   // event 2 digs 2 deeper from its floor
  {
    const PitAnalysis r = analyse_pits(d.lattice, d.event);
    ASSERT_EQ(r.pits.size(), 2u);
    const Pit& later = r.pits[0];
    EXPECT_EQ(later.event, 2);
    EXPECT_EQ(later.eroded_depth_um, 2 * kH);
    EXPECT_EQ(later.area_um2, 16 * kH * kH);
    // The earlier pit is measured from the surface: the later one was bone when it was dug.
    EXPECT_EQ(r.pits[1].eroded_depth_um, 4 * kH);
    EXPECT_EQ(r.pits[1].area_um2, 100 * kH * kH);
  }
  // Event 1's cavity refilled with osteoid before event 2 dug through it: event 2 then digs
  // from the old surface, 6 deep.
  for (int k = 8; k <= 11; ++k)
    for (int j = 4; j <= 13; ++j)
      for (int i = 4; i <= 13; ++i) d.lattice.osteoid(i, j, k) = 1.0f;
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  EXPECT_EQ(r.pits[0].eroded_depth_um, 6 * kH);
  EXPECT_EQ(r.pits[0].area_um2, 0.0);  // its opening lies under event 1's refilled cavity
}

TEST(Pits, DeepShaftNeedsAWiderBox) {
  Dug d = slab(16, 16, 40, 30);
  dig_box(d, 7, 7, 7, 7, 5, 29, 0, 0.0f);  // one voxel wide, 25 deep
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 1u);
  EXPECT_EQ(r.pits[0].eroded_depth_um, 25 * kH);
  EXPECT_EQ(r.pits[0].area_um2, kH * kH);
}

TEST(Pits, PitOnTheDomainEdge) {
  Dug d = slab(16, 12, 12, 8);
  dig_box(d, 0, 3, 0, 4, 5, 7, 0, 1.0f);  // touches the x = 0 and y = 0 faces
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 1u);
  EXPECT_EQ(r.pits[0].voxels, 4 * 5 * 3);
  EXPECT_EQ(r.pits[0].eroded_depth_um, 3 * kH);
  EXPECT_EQ(r.pits[0].area_um2, 20 * kH * kH);  // domain faces are not openings
}

TEST(Pits, BuriedPitHasNoDepth) {
  Dug d = slab(10, 10, 10, 10);  // all bone: no marrow anywhere
  dig_box(d, 3, 5, 3, 5, 3, 5, 0, 1.0f);
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_EQ(r.pits.size(), 1u);
  EXPECT_TRUE(std::isnan(r.pits[0].eroded_depth_um));
  EXPECT_EQ(r.pits[0].area_um2, 0.0);
  const PitSummary s = summarize_pits(r.pits);
  EXPECT_EQ(s.count, 1);
  EXPECT_TRUE(std::isnan(s.mean_eroded_depth_um));
  EXPECT_EQ(s.mean_volume_um3, 27 * kH * kH * kH);
}

TEST(Pits, NoEventsNoPits) {
  for (int top : {0, 5}) {
    Dug d = slab(9, 7, 6, top);
    const PitAnalysis r = analyse_pits(d.lattice, d.event);
    EXPECT_TRUE(r.pits.empty());
    EXPECT_TRUE(std::all_of(r.label.data.begin(), r.label.data.end(),
                            [](std::int32_t l) { return l == -1; }));
    const PitSummary s = summarize_pits(r.pits);
    EXPECT_EQ(s.count, 0);
    EXPECT_EQ(s.completed_count, 0);
    EXPECT_EQ(s.total_volume_um3, 0.0);
    EXPECT_TRUE(std::isnan(s.mean_eroded_depth_um));
    EXPECT_TRUE(std::isnan(s.median_eroded_depth_um));
    EXPECT_TRUE(std::isnan(s.max_eroded_depth_um));
    EXPECT_TRUE(std::isnan(s.mean_volume_um3));
    EXPECT_TRUE(std::isnan(s.mean_resorption_days));
  }
}

TEST(Pits, ShapeMismatchIsRejected) {
  Dug d = slab(8, 8, 8, 4);
  EXPECT_THROW(analyse_pits(d.lattice, Field<std::int32_t>(GridShape::make(8, 8, 9), -1)),
               std::invalid_argument);
}

// A bone voxel with a marrow face neighbour.
bool on_surface(const BoneLattice& l, const int c[3]) {
  if (l.bone(c[0], c[1], c[2]) < 0.5f) return false;
  for (int a = 0; a < 3; ++a)
    for (int s : {-1, 1}) {
      int x[3] = {c[0], c[1], c[2]};
      x[a] += s;
      if (l.shape.contains(x[0], x[1], x[2]) && l.bone(x[0], x[1], x[2]) < 0.5f) return true;
    }
  return false;
}

// Bone with a wavy surface, then `count` events each digging a ball around a random surface
// voxel on its own day, later events cutting into earlier pits.
Dug random_pits(int n, int count, unsigned seed) {
  Dug d = slab(n, n, n, 0);
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const double v = std::sin(0.31 * i + 0.13 * j) + std::sin(0.27 * j - 0.19 * k + 1.0) +
                         std::sin(0.23 * k + 0.17 * i + 2.0);
        d.lattice.bone(i, j, k) = v > 0.2 ? 1.0f : 0.0f;
      }
  mark_day0(d.lattice);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pos(0, n - 1);
  std::uniform_real_distribution<double> radius(1.5, 4.5);
  for (int e = 0; e < count; ++e) {
    int c[3];
    do {
      for (int& x : c) x = pos(rng);
    } while (!on_surface(d.lattice, c));
    const double r = radius(rng);
    const int ri = int(r) + 1;
    for (int k = std::max(0, c[2] - ri); k <= std::min(n - 1, c[2] + ri); ++k)
      for (int j = std::max(0, c[1] - ri); j <= std::min(n - 1, c[1] + ri); ++j)
        for (int i = std::max(0, c[0] - ri); i <= std::min(n - 1, c[0] + ri); ++i) {
          const int di = i - c[0], dj = j - c[1], dk = k - c[2];
          if (di * di + dj * dj + dk * dk > r * r || d.lattice.bone(i, j, k) < 0.5f) continue;
          resorb(d, i, j, k, e, float(2 * e + (di + dj + dk > 0 ? 0 : 1)));
        }
    if (e % 3 == 0) {  // some pits partly refilled
      for (int k = std::max(0, c[2] - ri); k <= std::min(n - 1, c[2] + ri); ++k)
        for (int j = 0; j < n; ++j)
          for (int i = 0; i < n; ++i)
            if (d.event(i, j, k) == e && (i + j) % 2 == 0) d.lattice.osteoid(i, j, k) = 0.7f;
    }
  }
  return d;
}

// Brute force: the largest squared distance from a pit voxel to the nearest voxel that the
// pit's source-marrow rule admits, over the whole domain; -1 when some voxel has none.
std::int64_t brute_force_depth2(const Dug& d, const PitAnalysis& r, const Pit& p) {
  const GridShape& g = d.lattice.shape;
  std::vector<std::array<int, 3>> source, pit;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const std::int32_t e = d.event(i, j, k);
        const float b = d.lattice.bone(i, j, k), o = d.lattice.osteoid(i, j, k);
        if (r.label(i, j, k) == p.label) pit.push_back({i, j, k});
        if (e == p.event) continue;
        if ((e < 0 && b < 0.5f) ||
            (e >= 0 && d.lattice.day_last_resorbed(i, j, k) < p.start_day && b + o < 0.5f))
          source.push_back({i, j, k});
      }
  std::int64_t deepest = 0;
  for (const auto& a : pit) {
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    for (const auto& b : source) {
      std::int64_t s = 0;
      for (int x = 0; x < 3; ++x) s += std::int64_t(a[x] - b[x]) * (a[x] - b[x]);
      best = std::min(best, s);
    }
    if (source.empty()) return -1;
    deepest = std::max(deepest, best);
  }
  return deepest;
}

TEST(Pits, DepthsMatchBruteForce) {
  const Dug d = random_pits(28, 25, 7);
  const PitAnalysis r = analyse_pits(d.lattice, d.event);
  ASSERT_GE(r.pits.size(), 20u);
  for (const Pit& p : r.pits) {
    const std::int64_t d2 = brute_force_depth2(d, r, p);
    if (d2 < 0) {
      EXPECT_TRUE(std::isnan(p.eroded_depth_um)) << "pit " << p.label;
    } else {
      EXPECT_EQ(p.eroded_depth_um, kH * std::sqrt(double(d2))) << "pit " << p.label;
    }
  }
}

TEST(Pits, IdenticalAtAnyThreadCount) {
  const Dug d = random_pits(48, 60, 11);
  std::vector<PitAnalysis> runs;
  for (int threads : {1, 2, 4}) {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
    runs.push_back(analyse_pits(d.lattice, d.event));
  }
  ASSERT_GE(runs[0].pits.size(), 40u);
  for (std::size_t t = 1; t < runs.size(); ++t) {
    EXPECT_EQ(runs[t].label.data, runs[0].label.data);
    ASSERT_EQ(runs[t].pits.size(), runs[0].pits.size());
    for (std::size_t n = 0; n < runs[0].pits.size(); ++n) {
      const Pit &a = runs[0].pits[n], &b = runs[t].pits[n];
      EXPECT_EQ(a.event, b.event);
      EXPECT_EQ(a.voxels, b.voxels);
      EXPECT_EQ(bits(a.eroded_depth_um), bits(b.eroded_depth_um));
      EXPECT_EQ(bits(a.area_um2), bits(b.area_um2));
      EXPECT_EQ(bits(a.refilled_fraction), bits(b.refilled_fraction));
      EXPECT_EQ(bits(a.start_day), bits(b.start_day));
    }
  }
}

TEST(PitSummary, MeansMedianAndCompletion) {
  std::vector<Pit> pits(4);
  const double depth[4] = {30, 10, std::numeric_limits<double>::quiet_NaN(), 20};
  for (int n = 0; n < 4; ++n) {
    pits[n].label = n;
    pits[n].eroded_depth_um = depth[n];
    pits[n].volume_um3 = 1000.0 * (n + 1);
    pits[n].area_um2 = 100.0 * (n + 1);
    pits[n].start_day = 2.0 * n;
    pits[n].end_day = 2.0 * n + n;
    pits[n].refilled_fraction = n / 3.0;  // 0, 1/3, 2/3, 1
  }
  PitSummary s = summarize_pits(pits);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.completed_count, 1);
  EXPECT_DOUBLE_EQ(s.total_volume_um3, 10000.0);
  EXPECT_DOUBLE_EQ(s.total_area_um2, 1000.0);
  EXPECT_DOUBLE_EQ(s.mean_eroded_depth_um, 20.0);
  EXPECT_DOUBLE_EQ(s.median_eroded_depth_um, 20.0);
  EXPECT_DOUBLE_EQ(s.max_eroded_depth_um, 30.0);
  EXPECT_DOUBLE_EQ(s.mean_volume_um3, 2500.0);
  EXPECT_DOUBLE_EQ(s.mean_area_um2, 250.0);
  EXPECT_DOUBLE_EQ(s.mean_resorption_days, 1.5);
  EXPECT_DOUBLE_EQ(s.mean_refilled_fraction, 0.5);
  pits.pop_back();  // two defined depths: the median is their mean
  s = summarize_pits(pits, 0.5);
  EXPECT_DOUBLE_EQ(s.median_eroded_depth_um, 20.0);
  EXPECT_EQ(s.completed_count, 1);
}

}  // namespace
}  // namespace bonesim
