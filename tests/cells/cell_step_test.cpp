// The whole model step with cells on a small synthetic bone: results bit-identical at
// 1, 2 and 4 threads (every array and scalar of the state), and the cells at work.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>

#include "bonesim/lattice/synthetic.hpp"
#include "bonesim/sim/state.hpp"
#include "bonesim/sim/step.hpp"

namespace bonesim {
namespace {

// FNV-1a over the bytes of every array and scalar that visit_state lists, in order.
struct StateHash {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 1099511628211ull;
  }
  template <class T>
  void scalar(std::string_view, const T& v, const ArrayInfo&) {
    bytes(&v, sizeof v);
  }
  template <class T>
  void voxels(Part, std::string_view, const Field<T>& f, const ArrayInfo&) {
    for (int k = 0; k < f.shape.nz; ++k)
      for (int j = 0; j < f.shape.ny; ++j) bytes(f.row(j, k), sizeof(T) * std::size_t(f.shape.nx));
  }
  template <class P>
  void cells(std::string_view, const P& pop) {
    visit_columns(pop, *this);
  }
  template <class T>
  void column(std::string_view, const std::vector<T>& v, const ArrayInfo&) {
    const std::size_t n = v.size();
    bytes(&n, sizeof n);
    if (n) bytes(v.data(), n * sizeof(T));
  }
};

// A busy little bone: many precursors so that osteoclasts and osteoblasts appear early.
Config busy_config() {
  Config cfg;
  cfg.lattice.synthetic.size_voxels = {40, 36, 32};
  cfg.lattice.synthetic.tb_th_um = 100;
  cfg.cells.precursors.supply_per_mm2_per_day = 5.0;
  cfg.cells.osteoblasts.reversal_days = 2.0;
  cfg.cells.t_cells.density_per_mm3 = 20000;
  cfg.cells.t_cells.rankl_pM_per_day = 1000;  // 40x the T cells: keep their RANKL moderate
  // The mechanics solve too (days 0, 10, 20) under a changing load, so the whole step is
  // compared.
  cfg.mechanics.enabled = true;
  cfg.mechanics.interval_days = 10;
  cfg.mechanics.bone_change_fraction = 0.9;     // only the interval (this bone turns over fast)
  cfg.mechanics.osteocytes.targeting_gain = 1;  // keeps bone in this busy sample for 25 days
  cfg.interventions = {{.type = "load", .start_day = 5, .end_day = 15, .load_factor = 0.1}};
  return cfg;
}

struct Outcome {
  std::uint64_t hash = 0;
  Simulation sim;
};

Outcome run_steps(int threads, int steps) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
  const Config cfg = busy_config();
  Outcome o{0, make_simulation(generate_synthetic_lattice(cfg.lattice.synthetic,
                                                          cfg.lattice.voxel_size_um, cfg.run.seed),
                               cfg)};
  StepWorkspace ws = make_step_workspace(o.sim, cfg);
  for (int s = 0; s < steps; ++s) step(o.sim, cfg, ws);
  StateHash hash;
  visit_state(o.sim, hash);
  o.hash = hash.h;
  return o;
}

TEST(CellStep, BitIdenticalAtOneTwoAndFourThreads) {
  const int steps = 100;  // 25 days
  const Outcome one = run_steps(1, steps);
  const Simulation& s = one.sim;
  std::printf(
      "after 25 days: %zu precursors, %zu osteoclasts, %zu osteoblasts, %zu osteocytes, "
      "%zu T cells, resorbed %.0f um^3/day\n",
      s.cells.precursors.id.size(), s.cells.osteoclasts.id.size(), s.cells.osteoblasts.id.size(),
      s.cells.osteocytes.id.size(), s.cells.t_cells.id.size(), s.remodelling.resorbed_um3_per_day);
  // The comparison means something only if the cells were at work.
  EXPECT_GT(s.cells.next_event, 0);
  EXPECT_GT(s.cells.osteoblasts.id.size() + std::size_t(s.cells.lining_cells_formed), 0u);
  EXPECT_GT(s.cells.osteocytes.id.size(), 0u);
  EXPECT_EQ(s.mechanics.solved_day, 20.0);
  EXPECT_GT(s.mechanics.cases[0].apparent_modulus_MPa, 0.0);
  EXPECT_EQ(run_steps(2, steps).hash, one.hash);
  EXPECT_EQ(run_steps(4, steps).hash, one.hash);
}

}  // namespace
}  // namespace bonesim
