// One step of all signalling fields as the time step runs it (advance_signalling: six
// implicit diffusion solves, then sources, decay and binding in every voxel) on the
// default synthetic bone (BV/TV 0.2, Tb.Th 150 um, 20 um voxels) at 256^3 and 520^3.
// Point sources stand in for cells: one RANKL, one OPG and one coupling-factor source
// per 500 marrow voxels, a tenth of them moving one voxel each step.
//
// Arguments: {grid edge n, timed steps}. Counters: ms_per_step, Mvox_upd/s (voxel x
// species updates per second), sweep_eq (fine smoother-sweep equivalents per species
// and step, the solver's byte model), fields_B/vox, scratch_B/vox (solver work arrays),
// sources_B/vox (the dense source fields of this benchmark; cells own them in a run).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "bonesim/core/random.hpp"
#include "bonesim/fields/signalling.hpp"
#include "bonesim/lattice/synthetic.hpp"

namespace {

using namespace bonesim;

struct Source {
  int i, j, k;
};

// Deterministic sources in marrow; `moved` of them step to a marrow neighbour.
void place_sources(const Mask& bone, std::vector<Source>& s, std::uint32_t step) {
  const GridShape& g = bone.shape;
  auto marrow = [&](int i, int j, int k) {
    return i >= 0 && j >= 0 && k >= 0 && i < g.nx && j < g.ny && k < g.nz && !bone(i, j, k);
  };
  if (s.empty()) {
    const Index wanted = g.voxel_count() / 500;
    for (std::uint64_t id = 0; Index(s.size()) < wanted; ++id) {
      const auto u = uniform4(7, id, 0, Purpose::kLatticeGeometry);
      const Source c{int(u[0] * g.nx), int(u[1] * g.ny), int(u[2] * g.nz)};
      if (marrow(c.i, c.j, c.k)) s.push_back(c);
    }
    return;
  }
  for (std::size_t id = 0; id < s.size(); id += 10) {
    const auto u = uniform4(7, id, step, Purpose::kLatticeGeometry);
    Source c = s[id];
    (u[0] < 1.0 / 3 ? c.i : (u[0] < 2.0 / 3 ? c.j : c.k)) += u[1] < 0.5 ? 1 : -1;
    if (marrow(c.i, c.j, c.k)) s[id] = c;
  }
}

void BM_SignallingStep(benchmark::State& state) {
  const int n = int(state.range(0));
  const int timed = int(state.range(1));
  SyntheticLatticeConfig lc;
  lc.size_voxels = {n, n, n};
  const Mask bone = bone_mask(generate_synthetic_lattice(lc, 20.0, 1));
  const GridShape& g = bone.shape;
  const FieldsConfig cfg;
  SignallingFields f = make_signalling_fields(g, cfg);
  SignallingSolvers solvers = make_signalling_solvers(bone, 20.0, cfg);
  Field<float> s_rankl(g, 0.f), s_opg(g, 0.f), s_coupling(g, 0.f);
  const SignallingSources src{&s_rankl, &s_opg, nullptr, &s_coupling};
  std::vector<Source> cells;
  const double dt = 0.25;
  std::uint32_t step = 0;
  auto advance = [&] {
    for (const Source& c : cells) s_rankl(c.i, c.j, c.k) = s_opg(c.i, c.j, c.k) = 0.f;
    for (const Source& c : cells) s_coupling(c.i, c.j, c.k) = 0.f;
    place_sources(bone, cells, step++);
    // Rates (pM/day per voxel) of the order of Pivonka 2008's per-cell production.
    for (const Source& c : cells) {
      s_rankl(c.i, c.j, c.k) += 2000.f;
      s_opg(c.i, c.j, c.k) += 2e5f;
      s_coupling(c.i, c.j, c.k) += 500.f;
    }
    return advance_signalling(f, cfg, bone, src, dt, solvers);
  };
  for (int w = 0; w < 2; ++w) advance();  // develop the fields before timing
  double seconds = 0, sweeps = 0;
  for (auto _ : state) {
    for (int s = 0; s < timed; ++s) {
      const auto t0 = std::chrono::steady_clock::now();
      const SignallingStats st = advance();
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      sweeps += st.sweep_equivalents();
      if (std::getenv("VERBOSE")) {
        std::printf("its: L %d O %d LO %d D %d LD %d C %d; rel %.1e %.1e %.1e %.1e\n",
                    st.rankl.iterations, st.opg.iterations, st.rankl_opg.iterations,
                    st.drug.iterations, st.rankl_drug.iterations, st.coupling.iterations,
                    st.rankl.relative_residual, st.opg.relative_residual,
                    st.rankl_opg.relative_residual, st.coupling.relative_residual);
      }
    }
  }
  const double steps = double(timed) * double(state.iterations());
  const double voxels = double(g.voxel_count());
  state.counters["ms_per_step"] = 1e3 * seconds / steps;
  state.counters["Mvox_upd/s"] = 6 * voxels * steps / seconds * 1e-6;
  state.counters["sweep_eq"] = sweeps / steps / 6;
  state.counters["fields_B/vox"] = 7 * sizeof(float);
  state.counters["scratch_B/vox"] = double(scratch_bytes(solvers)) / voxels;
  state.counters["sources_B/vox"] = 3 * sizeof(float);
}
BENCHMARK(BM_SignallingStep)
    ->Args({128, 8})
    ->Args({256, 8})
    ->Args({520, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Step (b) alone, sources, decay and binding in every voxel, on fields as a run has them.
void BM_ReactStep(benchmark::State& state) {
  const int n = int(state.range(0));
  const GridShape g = GridShape::make(n, n, n);
  const Mask bone(g, 0);
  const FieldsConfig cfg;
  SignallingFields f = make_signalling_fields(g, cfg);
  Field<float> s_rankl(g, 0.f), s_opg(g, 0.f);
  for_each_voxel(g, [&](int i, int j, int k) {
    const bool src = (i * 7 + j * 13 + k * 29) % 500 == 0;
    s_rankl(i, j, k) = src ? 2000.f : 0.f;
    s_opg(i, j, k) = src ? 2e5f : 0.f;
    f.rankl(i, j, k) = 0.5f + 0.01f * float((i + j + k) % 50);
    f.opg(i, j, k) = 100.f + float(i % 7);
  });
  const SignallingSources src{&s_rankl, &s_opg, nullptr, nullptr};
  react_signalling(f, cfg, bone, src, 0.25);
  for (auto _ : state) react_signalling(f, cfg, bone, src, 0.25);
  state.counters["Mvox/s"] = benchmark::Counter(double(g.voxel_count()) * 1e-6,
                                                benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReactStep)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
