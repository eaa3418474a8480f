// Morphometry of synthetic plate/rod structures (~20 % bone, ~7-voxel trabeculae) on 256^3
// and 512^3 lattices: the whole of compute_morphometry, then each part on its own.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "bonesim/lattice/bone_lattice.hpp"
#include "bonesim/morphometry/distance_transform.hpp"
#include "bonesim/morphometry/euler.hpp"
#include "bonesim/morphometry/local_thickness.hpp"
#include "bonesim/morphometry/morphometry.hpp"
#include "bonesim/morphometry/pits.hpp"
#include "bonesim/morphometry/surface_area.hpp"

namespace {

using bonesim::GridShape;
using bonesim::Index;
using bonesim::Mask;

struct Strut {
  double c[3], u[3];  // centre; plate normal or rod axis (unit)
  double extent;      // plate radius or rod half-length (voxels)
  bool plate;
};

constexpr double kHalfThickness = 3.5;  // 7-voxel trabeculae

// Finite plates (discs) and rods (capsules) at random positions and orientations, added
// until their nominal volume reaches the target fraction, rasterised plane by plane.
Mask synthetic_struts(int n, double bone_fraction, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  std::normal_distribution<double> gauss;
  std::vector<Strut> struts;
  double volume = 0;
  const double target = bone_fraction * std::pow(double(n), 3) * 1.25;  // overlaps
  while (volume < target) {
    Strut s{};
    for (double& x : s.c) x = uni(rng) * n;
    double norm = 0;
    for (double& x : s.u) {
      x = gauss(rng);
      norm += x * x;
    }
    for (double& x : s.u) x /= std::sqrt(norm);
    s.plate = uni(rng) < 0.5;
    s.extent = s.plate ? 12 + 12 * uni(rng) : 15 + 15 * uni(rng);
    volume += s.plate ? M_PI * s.extent * s.extent * 2 * kHalfThickness
                      : M_PI * kHalfThickness * kHalfThickness * 2 * s.extent;
    struts.push_back(s);
  }
  Mask m(GridShape::make(n, n, n), 0);
  const double reach = 30 + kHalfThickness;
  bonesim::parallel_for(0, n, [&](Index kk) {
    const int k = int(kk);
    for (const Strut& s : struts) {
      if (std::abs(k - s.c[2]) > reach) continue;
      const int j0 = std::max(0, int(s.c[1] - reach)), j1 = std::min(n - 1, int(s.c[1] + reach));
      const int i0 = std::max(0, int(s.c[0] - reach)), i1 = std::min(n - 1, int(s.c[0] + reach));
      for (int j = j0; j <= j1; ++j) {
        std::uint8_t* row = m.row(j, k);
        for (int i = i0; i <= i1; ++i) {
          const double d[3] = {i - s.c[0], j - s.c[1], k - s.c[2]};
          const double along = d[0] * s.u[0] + d[1] * s.u[1] + d[2] * s.u[2];
          const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
          const double across2 = r2 - along * along;
          const bool in =
              s.plate ? std::abs(along) <= kHalfThickness && across2 <= s.extent * s.extent
                      : std::abs(along) <= s.extent && across2 <= kHalfThickness * kHalfThickness;
          if (in) row[i] = 1;
        }
      }
    }
  });
  return m;
}

const Mask& lattice(int n) {
  static std::map<int, Mask> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, synthetic_struts(n, 0.2, 42)).first;
  return it->second;
}

double bone_fraction(const Mask& m) {
  return double(std::count(m.data.begin(), m.data.end(), 1)) / double(m.shape.voxel_count());
}

void BM_Morphometry(benchmark::State& state) {
  const Mask& m = lattice(int(state.range(0)));
  bonesim::Morphometry r;
  for (auto _ : state) benchmark::DoNotOptimize(r = bonesim::compute_morphometry(m, 10.0));
  state.counters["BV/TV"] = r.bv_tv;
  state.counters["Tb.Th_vox"] = r.tb_th_um / 10.0;
  state.counters["Tb.Sp_vox"] = r.tb_sp_um / 10.0;
  state.counters["ConnD_mm3"] = r.conn_d_per_mm3;
}

void BM_DistanceTransformBone(benchmark::State& state) {
  const Mask& m = lattice(int(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(bonesim::squared_distance_transform(m, 1));
  state.counters["BV/TV"] = bone_fraction(m);
}

void BM_LocalThicknessBone(benchmark::State& state) {
  const Mask& m = lattice(int(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(bonesim::mean_local_thickness(m, 1));
}

void BM_LocalThicknessMarrow(benchmark::State& state) {
  const Mask& m = lattice(int(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(bonesim::mean_local_thickness(m, 0));
}

void BM_Euler(benchmark::State& state) {
  const Mask& m = lattice(int(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(bonesim::euler_contribution(m));
}

void BM_SurfaceArea(benchmark::State& state) {
  const Mask& m = lattice(int(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(bonesim::surface_area(m));
}

// The strut lattice with `count` pits: each event removes the bone within 2-6 voxels of a
// random surface voxel on its own day (later pits cut into earlier ones); every third pit is
// half refilled with osteoid.
struct PittedLattice {
  bonesim::BoneLattice lattice;
  bonesim::Field<std::int32_t> event;
};

PittedLattice pitted_lattice(int n, int count, unsigned seed) {
  const Mask& m = lattice(n);
  PittedLattice p{bonesim::make_lattice(n, n, n, 10.0), bonesim::Field<std::int32_t>(m.shape, -1)};
  bonesim::for_each_voxel(
      m.shape, [&](int i, int j, int k) { p.lattice.bone(i, j, k) = float(m(i, j, k)); });
  bonesim::mark_day0(p.lattice);
  const Mask surface = bonesim::surface_mask(m);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pos(0, n - 1);
  std::uniform_real_distribution<double> radius(2.0, 6.0);
  for (int e = 0; e < count; ++e) {
    int c[3];
    do {
      for (int& x : c) x = pos(rng);
    } while (!surface(c[0], c[1], c[2]));
    const double r = radius(rng);
    const int ri = int(r) + 1;
    for (int k = std::max(0, c[2] - ri); k <= std::min(n - 1, c[2] + ri); ++k)
      for (int j = std::max(0, c[1] - ri); j <= std::min(n - 1, c[1] + ri); ++j)
        for (int i = std::max(0, c[0] - ri); i <= std::min(n - 1, c[0] + ri); ++i) {
          const int di = i - c[0], dj = j - c[1], dk = k - c[2];
          if (di * di + dj * dj + dk * dk > r * r || p.lattice.bone(i, j, k) < 0.5f) continue;
          p.lattice.bone(i, j, k) = 0.0f;
          p.lattice.day_last_resorbed(i, j, k) = float(e);
          p.event(i, j, k) = e;
          if (e % 3 == 0 && (i + j + k) % 2 == 0) p.lattice.osteoid(i, j, k) = 1.0f;
        }
  }
  return p;
}

void BM_Pits(benchmark::State& state) {
  const PittedLattice p = pitted_lattice(int(state.range(0)), int(state.range(1)), 7);
  bonesim::PitAnalysis r;
  for (auto _ : state) benchmark::DoNotOptimize(r = bonesim::analyse_pits(p.lattice, p.event));
  const bonesim::PitSummary s = bonesim::summarize_pits(r.pits);
  state.counters["pits"] = double(s.count);
  state.counters["E.De_vox"] = s.mean_eroded_depth_um / 10.0;
  state.counters["voxels_per_pit"] = s.mean_volume_um3 / 1000.0;
}

BENCHMARK(BM_Pits)
    ->Args({150, 100})
    ->Args({256, 400})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

#define BONESIM_MORPH_BENCH(fn)                                          \
  BENCHMARK(fn)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime(); \
  BENCHMARK(fn)->Arg(512)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)

BONESIM_MORPH_BENCH(BM_Morphometry);
BONESIM_MORPH_BENCH(BM_DistanceTransformBone);
BONESIM_MORPH_BENCH(BM_LocalThicknessBone);
BONESIM_MORPH_BENCH(BM_LocalThicknessMarrow);
BONESIM_MORPH_BENCH(BM_Euler);
BONESIM_MORPH_BENCH(BM_SurfaceArea);

}  // namespace

BENCHMARK_MAIN();
