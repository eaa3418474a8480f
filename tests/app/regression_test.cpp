// Regression: a small scenario's metrics against a stored reference, within a
// tolerance. After an intended change of results, regenerate with
//   BONESIM_REGENERATE=1 build/tests/app/regression_test
// and commit tests/app/reference/ with a note on why the numbers moved.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "bonesim/app/initial_lattice.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/sim/run_loop.hpp"

namespace bonesim {
namespace {

const char* kScenario = R"(
run: {days: 2, dt_days: 0.5, seed: 7, output: {metrics_interval_days: 1, thickness_interval_days: 1}}
lattice:
  voxel_size_um: 20
  synthetic: {size_voxels: [72, 64, 80], bv_tv: 0.18, tb_th_um: 140}
fields:
  solver_tolerance: 1.0e-6
  rankl: {boundary: {all: fixed, fixed_value_pM: 5}}
  opg: {boundary: {x_min: fixed, fixed_value_pM: 100}}
)";

struct Rows : RunOutput {
  std::vector<std::vector<double>> rows;
  std::vector<std::string> names;
  void write_metrics(const Metrics& m) override {
    rows.emplace_back();
    names.clear();
    visit_metrics(m, [&](const char* name, double v) {
      rows.back().push_back(v);
      names.emplace_back(name);
    });
  }
};

// Relative tolerance of a column: rounding differences between compilers and vector
// widths for exact computations; the signalling fields come from iterative solves
// stopped at a relative residual of 1e-6 (fields.solver_tolerance, set above), so a change of the
// solver's path (not of the model) may move them by about that much.
double tolerance(const std::string& column) {
  const bool field = column.ends_with("_pM") || column == "rank_occupancy";
  return field ? 1e-5 : 1e-9;
}

TEST(Regression, SmallSyntheticScenarioMatchesReference) {
  const Config cfg = load_config_text(kScenario, "regression");
  Simulation sim = make_simulation(make_initial_lattice(cfg), cfg);
  Rows out;
  ASSERT_EQ(run_simulation(sim, cfg, out, {}), RunStatus::kCompleted);

  const std::string path = BONESIM_SOURCE_DIR "/tests/app/reference/small_synthetic.csv";
  if (std::getenv("BONESIM_REGENERATE")) {
    std::ofstream f(path);
    f.precision(17);
    for (const auto& r : out.rows) {
      for (std::size_t c = 0; c < r.size(); ++c) f << (c ? "," : "") << r[c];
      f << "\n";
    }
    GTEST_SKIP() << "regenerated " << path;
  }
  std::ifstream f(path);
  ASSERT_TRUE(f) << "missing reference " << path;
  std::string line;
  std::size_t n = 0;
  while (std::getline(f, line)) {
    ASSERT_LT(n, out.rows.size()) << "reference has more rows than the run";
    std::stringstream ss(line);
    std::string cell;
    for (std::size_t c = 0; std::getline(ss, cell, ','); ++c) {
      const double want = std::stod(cell), got = out.rows[n][c];
      const std::string& name = out.names.at(c);
      if (std::isnan(want)) {  // undefined (no pits yet, say) must stay undefined
        EXPECT_TRUE(std::isnan(got)) << "row " << n << " column " << name;
        continue;
      }
      EXPECT_NEAR(got, want, tolerance(name) * std::max(1.0, std::abs(want)))
          << "row " << n << " column " << name;
    }
    ++n;
  }
  EXPECT_EQ(n, out.rows.size());
}

}  // namespace
}  // namespace bonesim
