// Implicit diffusion solver against the machine's memory bandwidth (STREAM triad in the
// same run), and against explicit FTCS at its stability limit.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "bonesim/fields/diffusion_solver.hpp"
#include "bonesim/fields/multigrid.hpp"

namespace {

using namespace bonesim;

constexpr double kD = 1.728e6;  // 20 um^2/s in um^2/day
constexpr double kH = 20.0;

void BM_StreamTriad(benchmark::State& state) {
  const Index n = Index(1) << 26;  // 3 x 256 MiB
  std::vector<float, AlignedAllocator<float>> a(n, 0.f), b(n, 1.f), c(n, 2.f);
  const float s = 3.f;
  for (auto _ : state) {
    parallel_for(
        0, n / 4096,
        [&](Index blk) {
          for (Index i = blk * 4096; i < (blk + 1) * 4096; ++i) a[i] = b[i] + s * c[i];
        },
        16);
    benchmark::ClobberMemory();
  }
  state.counters["GB/s"] =
      benchmark::Counter(12.0 * double(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_StreamTriad)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// ~20 % bone: perforated plates 2 voxels thick every 10 voxels along z and y.
Mask plates(const GridShape& g) {
  Mask m(g, 0);
  for_each_voxel(g, [&](int i, int j, int k) {
    const std::uint32_t hsh = std::uint32_t(i / 6) * 73856093u ^ std::uint32_t(j / 6) * 19349663u ^
                              std::uint32_t(k / 6) * 83492791u;
    const bool plate = (k % 10 < 2 && hsh % 4 != 0) || (j % 10 < 1 && i % 3 != 0);
    m(i, j, k) = plate ? 1 : 0;
  });
  return m;
}

DiffusionParams params(double k) {
  DiffusionParams p;
  p.diffusivity_um2_per_day = kD;
  p.decay_per_day = k;
  p.boundary.type[0] = Boundary::kFixed;
  p.boundary.value[0] = 100.0;
  return p;
}

// One red-black sweep (arg 1 = 0) or one stencil application (arg 1 = 1) on n^3.
void BM_Sweep(benchmark::State& state) {
  const int n = int(state.range(0));
  const bool apply = state.range(1) == 1;
  const GridShape g = GridShape::make(n, n, n);
  const Mask bone = plates(g);
  Multigrid mg(bone, params(10).boundary, 1.0, 0.0);
  Field<float> x(g, 1.f), b(g, 2.f);
  const StencilScale s{1.25f, float(0.25 * kD / (kH * kH))};
  for (auto _ : state) {
    if (apply) {
      benchmark::DoNotOptimize(mg.apply(s, x, b));
    } else {
      mg.smooth(s, b, x);
    }
  }
  // Bytes per voxel: sweep = 2 x (x read + x write + b + flags); apply = x + y + flags.
  const double bytes = (apply ? 9.0 : 26.0) * double(g.voxel_count());
  state.counters["GB/s"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["Gvox/s"] = benchmark::Counter(double(g.voxel_count()) * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Sweep)->Args({256, 0})->Args({256, 1})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Sweep)
    ->Args({520, 0})
    ->Args({520, 1})
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One warm-started implicit step: args n, dt in hours, k in 1/100 day.
void BM_ImplicitStep(benchmark::State& state) {
  const int n = int(state.range(0));
  const double dt = double(state.range(1)) / 24.0, k = double(state.range(2)) / 100.0;
  const GridShape g = GridShape::make(n, n, n);
  DiffusionSolver solver(plates(g), kH, params(k));
  Field<float> c(g, 0.f), src(g, 0.f);
  for_each_voxel(g,
                 [&](int i, int j, int kk) { src(i, j, kk) = float((i * 7 + j * 13 + kk) % 50); });
  for (int s = 0; s < 3; ++s) solver.step(c, &src, dt);  // warm up the field
  double sweeps = 0, its = 0;
  for (auto _ : state) {
    const SolveStats st = solver.step(c, &src, dt);
    sweeps += st.sweep_equivalents;
    its += st.iterations;
  }
  const double steps = double(state.iterations());
  state.counters["sweep_eq"] = sweeps / steps;
  state.counters["cg_its"] = its / steps;
  state.counters["Mvox_upd/s"] = benchmark::Counter(double(g.voxel_count()) * 1e-6,
                                                    benchmark::Counter::kIsIterationInvariantRate);
  state.counters["scratch_B/vox"] = double(solver.scratch_bytes()) / double(g.voxel_count());
  // Explicit FTCS for the same simulated time at dt = h^2 / (6 D): one stencil
  // application plus an update per step, timed here.
  Multigrid mg(plates(g), params(k).boundary, 1.0, 0.0);
  Field<float> y(g, 0.f);
  const double dt_ftcs = kH * kH / (6 * kD);
  const StencilScale s{1.f, float(dt_ftcs * kD / (kH * kH))};
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < 3; ++r) {
    mg.apply(s, c, y);
    for_each_row(g, [&](int j, int kk) {
      float* cr = c.row(j, kk);
      const float* yr = y.row(j, kk);
      for (int i = 0; i < g.nx; ++i) cr[i] = 2 * cr[i] - yr[i];
    });
  }
  const double ftcs_step_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 3;
  state.counters["ftcs_s_per_dt"] = ftcs_step_s * dt / dt_ftcs;
  state.counters["implicit_speedup"] =
      benchmark::Counter(ftcs_step_s * dt / dt_ftcs, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ImplicitStep)
    ->Args({256, 6, 1000})
    ->Args({256, 24, 1000})
    ->Args({256, 6, 35})
    ->Args({256, 24, 35})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ImplicitStep)
    ->Args({520, 24, 1000})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Building the solver for a new lattice (face flags, component labelling, coarse levels):
// what set_bone costs once per simulated day.
void BM_Rebuild(benchmark::State& state) {
  const int n = int(state.range(0));
  const GridShape g = GridShape::make(n, n, n);
  const Mask bone = plates(g);
  DiffusionSolver solver(bone, kH, params(0.35));
  for (auto _ : state) solver.set_bone(bone);
  state.counters["Mvox/s"] = benchmark::Counter(double(g.voxel_count()) * 1e-6,
                                                benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Rebuild)->Arg(256)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// A simulated month: args n, steps, dt in hours, k in 1/100 day. 400 cell-like sources
// (3^3 voxels of 50 pM/day each, in marrow) take a random step of one voxel every step,
// no-flux faces: the warm start is only as good as the cells are slow. Reports the mean
// work per step.
void BM_Month(benchmark::State& state) {
  const int n = int(state.range(0)), steps = int(state.range(1));
  const double dt = double(state.range(2)) / 24.0, k = double(state.range(3)) / 100.0;
  const GridShape g = GridShape::make(n, n, n);
  const Mask bone = plates(g);
  DiffusionParams p;
  p.diffusivity_um2_per_day = 35 * 86400.0;  // RANKL-like, 35 um^2/s
  p.decay_per_day = k;
  DiffusionSolver solver(bone, kH, p);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pos(2, n - 3), dir(0, 5);
  std::vector<std::array<int, 3>> cells(400);
  for (auto& c : cells) c = {pos(rng), pos(rng), pos(rng)};
  Field<float> c(g, 0.f), src(g, 0.f);
  double sweeps = 0, its = 0, worst = 0;
  for (auto _ : state) {
    for (int s = 0; s < steps; ++s) {
      std::fill(src.data.begin(), src.data.end(), 0.f);
      for (auto& cell : cells) {
        const int d = dir(rng), a = d / 2;
        cell[std::size_t(a)] = std::clamp(cell[std::size_t(a)] + (d % 2 ? 1 : -1), 2, n - 3);
        for (int dk = -1; dk <= 1; ++dk)
          for (int dj = -1; dj <= 1; ++dj)
            for (int di = -1; di <= 1; ++di) {
              const int i = cell[0] + di, j = cell[1] + dj, kk = cell[2] + dk;
              if (!bone(i, j, kk)) src(i, j, kk) = 50.f;
            }
      }
      const SolveStats st = solver.step(c, &src, dt);
      sweeps += st.sweep_equivalents;
      its += st.iterations;
      worst = std::max(worst, st.sweep_equivalents);
    }
  }
  const double total = double(steps) * double(state.iterations());
  state.counters["sweep_eq"] = sweeps / total;
  state.counters["max_sweep_eq"] = worst;
  state.counters["cg_its"] = its / total;
  state.counters["s/step"] =
      benchmark::Counter(total, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Month)
    ->Args({128, 30, 24, 1000})
    ->Args({128, 30, 6, 0})
    ->Args({256, 30, 24, 1000})
    ->Args({256, 30, 24, 35})
    ->Args({256, 120, 6, 0})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
