// Synthetic trabecular bone generation at growing grid sizes (20 um voxels, so the
// structure has the same scale and only the sample grows).
#include <benchmark/benchmark.h>

#include "bonesim/lattice/synthetic.hpp"

namespace {

void BM_GenerateSynthetic(benchmark::State& state) {
  bonesim::SyntheticLatticeConfig cfg;  // BV/TV 0.20, Tb.Th 150 um, plate_fraction 0.5
  const int n = int(state.range(0));
  cfg.size_voxels = {n, n, n};
  for (auto _ : state) {
    bonesim::BoneLattice l = bonesim::generate_synthetic_lattice(cfg, 20.0, 1);
    benchmark::DoNotOptimize(l.bone.data.data());
  }
  state.counters["voxels"] = double(n) * n * n;
}

BENCHMARK(BM_GenerateSynthetic)->Arg(150)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GenerateSynthetic)
    ->Arg(512)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
