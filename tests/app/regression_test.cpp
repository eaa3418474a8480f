// Regression: a small scenario's metrics against a stored reference, within a
// tolerance. After an intended change of results, regenerate with
//   BONESIM_REGENERATE=1 build/tests/app/regression_test
// and commit tests/app/reference/ with a note on why the numbers moved.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bonesim/app/initial_lattice.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/sim/run_loop.hpp"

namespace bonesim {
namespace {

const char* kScenario = R"(
run: {days: 2, dt_days: 0.5, seed: 7, output: {metrics_interval_days: 1}}
lattice:
  voxel_size_um: 20
  synthetic: {size_voxels: [72, 64, 80], bv_tv: 0.18, tb_th_um: 140}
)";

struct Rows : RunOutput {
  std::vector<std::vector<double>> rows;
  void write_metrics(const Simulation& s, const Morphometry& m) override {
    rows.push_back({s.day, double(s.step), m.bv_tv, m.bs_bv_per_mm, m.tb_th_um, m.tb_sp_um,
                    m.tb_n_per_mm, m.conn_d_per_mm3, m.euler});
  }
};

TEST(Regression, SmallSyntheticScenarioMatchesReference) {
  const Config cfg = load_config_text(kScenario, "regression");
  Simulation sim;
  sim.lattice = make_initial_lattice(cfg);
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
      // Tolerance: rounding differences between compilers and vector widths only.
      EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::abs(want)))
          << "row " << n << " column " << c;
    }
    ++n;
  }
  EXPECT_EQ(n, out.rows.size());
}

}  // namespace
}  // namespace bonesim
