// Cell updates on the default synthetic bone (150^3 voxels of 20 um): throughput of each
// population's rule (cell updates per second at the threads given, default all) and the
// bytes per cell of every population's columns. Run:
//   build/tests/bench/cells_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include "bonesim/cells/osteoclasts.hpp"
#include "bonesim/cells/osteocytes.hpp"
#include "bonesim/cells/precursors.hpp"
#include "bonesim/cells/t_cells.hpp"
#include "bonesim/lattice/synthetic.hpp"
#include "bonesim/sim/simulation.hpp"

namespace {

using namespace bonesim;

// The default lattice with many more T cells and precursors than the default, so that
// each rule runs over enough cells to time.
struct Scene {
  Config cfg;
  Simulation sim;
  Scene() {
    cfg.cells.t_cells.density_per_mm3 = 20000;  // ~430 000 agents
    sim = make_simulation(
        generate_synthetic_lattice(cfg.lattice.synthetic, cfg.lattice.voxel_size_um, 1), cfg);
    cfg.cells.precursors.supply_per_mm2_per_day = 500;  // ~70 000 precursors after a step
    supply_precursors(sim.cells, sim.lattice, cfg.cells.precursors, {.seed = 1, .step = 0});
  }
};

Scene& scene() {
  static Scene s;
  return s;
}

void report(benchmark::State& state, std::size_t cells, std::size_t bytes_per_cell) {
  state.counters["cells"] = double(cells);
  state.counters["updates_per_s"] =
      benchmark::Counter(double(cells) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["B_per_cell"] = double(bytes_per_cell);
}

void BM_TCells(benchmark::State& state) {
  Scene& s = scene();
  TCells t = s.sim.cells.t_cells;
  std::uint32_t step = 0;
  for (auto _ : state) {
    update_t_cells(t, s.sim.lattice, s.cfg.cells.t_cells, {.seed = 1, .step = ++step, .dt = 0.25});
  }
  report(state, t.id.size(), bytes_per_row(t));
}
BENCHMARK(BM_TCells)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Precursors(benchmark::State& state) {
  Scene& s = scene();
  const SignallingFields f = make_signalling_fields(s.sim.fields.rankl.shape, s.cfg.fields);
  std::size_t n = 0;
  std::uint32_t step = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Precursors p = s.sim.cells.precursors;
    state.ResumeTiming();
    benchmark::DoNotOptimize(update_precursors(p, s.sim.lattice, f, s.cfg.fields,
                                               s.cfg.cells.precursors,
                                               {.seed = 1, .step = ++step, .dt = 0.25}));
    n = s.sim.cells.precursors.id.size();
  }
  report(state, n, bytes_per_row(s.sim.cells.precursors));
}
BENCHMARK(BM_Precursors)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_OsteocyteCheck(benchmark::State& state) {
  Scene& s = scene();
  Osteocytes o = s.sim.cells.osteocytes;
  for (auto _ : state) remove_resorbed_osteocytes(o, s.sim.lattice);
  report(state, o.id.size(), bytes_per_row(o));
}
BENCHMARK(BM_OsteocyteCheck)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Osteoclasts(benchmark::State& state) {
  // 2000 osteoclasts of 5 nuclei spread over the surface (the default run has tens).
  Scene& s = scene();
  CellPopulations cells;
  std::vector<Voxel> at;
  for (std::size_t r = 0; r < s.sim.cells.precursors.id.size() && at.size() < 2000; r += 30) {
    at.push_back(voxel_of(s.sim.lattice, s.sim.cells.precursors.position_um[r]));
  }
  OsteoclastConfig oc = s.cfg.cells.osteoclasts;
  oc.fusion_radius_um = 0;
  oc.bmu_radius_um = 0;
  fuse_into_osteoclasts(cells, at, s.sim.lattice, oc, {.seed = 1});
  oc.lifespan_days = 1e9;
  BoneLattice lattice = s.sim.lattice;
  SignallingFields f = make_signalling_fields(s.sim.fields.rankl.shape, s.cfg.fields);
  f.coarsening = s.sim.fields.coarsening;
  RemodellingTally tally;
  std::uint32_t step = 0;
  for (auto _ : state) {
    update_osteoclasts(cells.osteoclasts, lattice, f, s.cfg.fields, oc,
                       {.seed = 1, .step = ++step, .dt = 0.25}, tally);
  }
  report(state, cells.osteoclasts.id.size(), bytes_per_row(cells.osteoclasts));
  state.counters["resorbed_voxels_per_step"] =
      tally.resorbed_um3 / 8000.0 / double(state.iterations());
}
BENCHMARK(BM_Osteoclasts)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
