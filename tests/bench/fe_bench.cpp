// Micro-FE solver on a ~1 M-element trabecular-like sample: matrix-free matvec against a
// plain dense element loop in the same run, and full solves with each preconditioner.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "bonesim/mechanics/voxel_fe.hpp"

namespace {

using namespace bonesim;

constexpr int kN = 160;
constexpr double kH = 20.0;

// Sheet network around the zero set of a gyroid with a random phase per axis, period 40
// voxels, thickness set for ~25 % bone; moduli 5-15 GPa hashed per voxel.
Field<float> trabecular(int n) {
  const GridShape g = GridShape::make(n, n, n);
  Field<float> m(g, 0.f);
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> ph(0, 2 * std::numbers::pi);
  const double px = ph(rng), py = ph(rng), pz = ph(rng), w = 2 * std::numbers::pi / 40;
  for_each_voxel(g, [&](int i, int j, int k) {
    const double x = w * i + px, y = w * j + py, z = w * k + pz;
    const double s =
        std::sin(x) * std::cos(y) + std::sin(y) * std::cos(z) + std::sin(z) * std::cos(x);
    const std::uint32_t hsh =
        std::uint32_t(i) * 73856093u ^ std::uint32_t(j) * 19349663u ^ std::uint32_t(k) * 83492791u;
    if (std::abs(s) < 0.36) m(i, j, k) = float(5000 + (hsh % 1000) * 10);
  });
  return m;
}

const Field<float>& sample() {
  static const Field<float> m = trabecular(kN);
  return m;
}

void BM_Matvec(benchmark::State& state) {
  const FeMesh mesh = make_fe_mesh(sample(), kH);
  const ElementMatrix ke = hex8_stiffness(0.3);
  std::vector<double> x(3 * std::size_t(mesh.node_count)), y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.001 * double(i));
  for (auto _ : state) {
    benchmark::DoNotOptimize(apply_stiffness(mesh, ke, nullptr, x.data(), y.data()));
  }
  const double elems = double(mesh.element_count());
  state.counters["elements"] = elems;
  state.counters["elements/s"] =
      benchmark::Counter(elems, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Matvec)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// Every voxel, Ke u_e gathered from and scattered to a full node grid, element colours
// (i, j, k parities) in turn so that no two elements of a colour share a node.
void BM_DenseElementLoop(benchmark::State& state) {
  const Field<float>& m = sample();
  const GridShape& g = m.shape;
  const GridShape nodes = GridShape::make(g.nx + 1, g.ny + 1, g.nz + 1);
  const ElementMatrix ke = hex8_stiffness(0.3);
  std::vector<double> x(3 * std::size_t(nodes.storage_size())), y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.001 * double(i));
  Index off[8];
  for (int c = 0; c < 8; ++c) off[c] = (c & 1) + ((c >> 1) & 1) * nodes.sx + (c >> 2) * nodes.sxy;
  for (auto _ : state) {
    std::fill(y.begin(), y.end(), 0.0);
    for (int colour = 0; colour < 8; ++colour) {
      const int ci = colour & 1, cj = (colour >> 1) & 1, ck = colour >> 2;
      const int ry = (g.ny - cj + 1) / 2, rz = (g.nz - ck + 1) / 2;
      parallel_for(
          0, Index(ry) * rz,
          [&](Index r) {
            const int j = cj + 2 * int(r % ry), k = ck + 2 * int(r / ry);
            for (int i = ci; i < g.nx; i += 2) {
              const double e = m(i, j, k) * kH;
              const Index base = nodes.index(i, j, k);
              double ue[24], fe[24];
              for (int c = 0; c < 8; ++c)
                for (int d = 0; d < 3; ++d) ue[3 * c + d] = x[std::size_t(3 * (base + off[c]) + d)];
              for (int a = 0; a < 24; ++a) {
                double s = 0;
                for (int b = 0; b < 24; ++b) s += ke[std::size_t(24 * a + b)] * ue[b];
                fe[a] = e * s;
              }
              for (int c = 0; c < 8; ++c)
                for (int d = 0; d < 3; ++d)
                  y[std::size_t(3 * (base + off[c]) + d)] += fe[3 * c + d];
            }
          },
          4);
    }
    benchmark::DoNotOptimize(y.data());
  }
  const double elems = double(g.voxel_count());
  state.counters["elements"] = elems;
  state.counters["elements/s"] =
      benchmark::Counter(elems, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_DenseElementLoop)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_Solve(benchmark::State& state) {
  FeOptions o;
  o.preconditioner = FePreconditioner(state.range(0));
  o.max_iterations = 4000;  // block Jacobi needs thousands here
  VoxelFeSolver solver(sample(), kH, o);
  FeResult r;
  for (auto _ : state) r = solver.solve({2, -0.01, LoadCase::Lateral(state.range(1))});
  const double elems = double(solver.mesh().element_count());
  state.counters["elements"] = elems;
  state.counters["nodes"] = solver.mesh().node_count;
  state.counters["iterations"] = r.iterations;
  state.counters["matvec_eq"] = r.matvec_equivalents;
  state.counters["converged"] = r.converged;
  state.counters["rel_residual"] = r.relative_residual;
  state.counters["E_app_MPa"] = r.apparent_modulus_MPa;
  state.counters["bytes/element"] = double(solver.bytes()) / elems;
}
BENCHMARK(BM_Solve)
    ->ArgNames({"precond", "lateral"})
    ->Args({int(FePreconditioner::kBlockJacobi), int(LoadCase::Lateral::kFixedPlates)})
    ->Args({int(FePreconditioner::kMultigrid), int(LoadCase::Lateral::kFixedPlates)})
    ->Args({int(FePreconditioner::kMultigrid), int(LoadCase::Lateral::kFree)})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
