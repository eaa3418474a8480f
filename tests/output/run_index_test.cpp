#include "bonesim/output/run_index.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "bonesim/output/hdf5_snapshot.hpp"
#include "bonesim/output/metrics_csv.hpp"
#include "bonesim/output/run_xdmf.hpp"
#include "output/synthetic_cells.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace bonesim {
namespace {

using testing_support::make_synthetic_cells;
using testing_support::SyntheticCells;
using testing_support::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A metrics row: day, step, then 0.25, 1, 2, ... in the remaining columns.
std::vector<double> metrics_row(double day, int step) {
  std::vector<double> row{day, double(step), 0.25};
  while (row.size() < RunIndex::metrics_columns().size()) row.push_back(double(row.size() - 2));
  return row;
}

std::string csv_line(const std::vector<double>& row) {
  return fmt::format("{}\n", fmt::join(row, ","));
}

struct TestRun {
  Simulation sim;
  SyntheticCells cells;
  RunIndex index;
};

// Snapshots at steps 0 (everything), 5 (cells only) and 10 (lattice + cells).
TestRun write_run(const fs::path& dir) {
  TestRun r;
  r.sim = make_simulation(make_lattice(6, 5, 4, 20.0), Config{});
  r.sim.lattice.origin_um = {100.0, -40.0, 2.5};
  // One cell in the middle of every corner voxel and one on a voxel's lower faces:
  // both must land in the voxel the model puts them in.
  const auto g = geometry_of(r.sim.lattice);
  r.cells = make_synthetic_cells(0, g, 1, 1);
  auto add = [&](std::array<double, 3> p) {
    r.cells.id.push_back(r.cells.id.size());
    r.cells.position_um.push_back(p);
    r.cells.state.push_back(0);
    r.cells.age_days.push_back(0.0f);
    r.cells.variables[0].push_back(1.0f);
  };
  const double h = 20.0;
  for (int c = 0; c < 8; ++c) {
    const int i = c & 1 ? 5 : 0, j = c & 2 ? 4 : 0, k = c & 4 ? 3 : 0;
    add({100.0 + (i + 0.5) * h, -40.0 + (j + 0.5) * h, 2.5 + (k + 0.5) * h});
  }
  add({100.0 + 2 * h, -40.0 + 3 * h, 2.5 + 1 * h});
  fs::create_directories(dir / "snapshots");
  for (std::int64_t step : {0, 5, 10}) {
    r.sim.step = step;
    r.sim.day = double(step) * 0.5;
    const SnapshotParts parts{step != 5, step == 0, true};
    SnapshotWriter w(dir / "snapshots" / step_file_name(step), g, fields_geometry_of(r.sim), parts);
    visit_state(r.sim, w);
    w.cells("synthetic_cells", r.cells);
    r.index.add_snapshot(w.commit());
  }
  std::vector<std::vector<double>> rows;
  for (int s = 0; s <= 10; s += 5) rows.push_back(metrics_row(s * 0.5, s));
  r.index.set_metrics(rows);
  r.index.write(dir, "run:\n  days: 5\n", "seed: 3\n", 3);
  return r;
}

TEST(RunIndex, RunH5HasAttributesMetricsAndLinksThatResolveFromAnywhere) {
  TempDir d;
  const TestRun r = write_run(d.path);
  const fs::path cwd = fs::current_path();
  fs::current_path("/");  // external links must resolve beside run.h5, not in the cwd
  hid_t f = H5Fopen((d.path / "run.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  for (const char* a :
       {"program", "version", "git_commit", "seed", "config_yaml", "provenance_yaml"}) {
    EXPECT_GT(H5Aexists(f, a), 0) << a;
  }
  hid_t day = H5Dopen2(f, "/metrics/day", H5P_DEFAULT);
  double days[3] = {};
  EXPECT_GE(H5Dread(day, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, days), 0);
  EXPECT_EQ(days[2], 5.0);
  H5Dclose(day);
  EXPECT_GT(H5Lexists(f, "/metrics/euler", H5P_DEFAULT), 0);
  hid_t bone = H5Dopen2(f, "/snapshots/step_00000010/lattice/bone", H5P_DEFAULT);
  EXPECT_GE(bone, 0);
  if (bone >= 0) H5Dclose(bone);
  H5Fclose(f);
  fs::current_path(cwd);
  EXPECT_EQ(r.index.snapshots()[1].file, "snapshots/step_00000005.h5");
}

TEST(RunIndex, ScanRebuildsTheIndexFromTheFiles) {
  TempDir d;
  const TestRun r = write_run(d.path);
  std::ofstream(d.path / "metrics.csv")
      << MetricsCsv::header() << csv_line(metrics_row(0, 0)) << csv_line(metrics_row(2.5, 5))
      << csv_line(metrics_row(5, 10)) << "5.5,11,0.2";
  std::ofstream(d.path / "snapshots" / "step_00000015.h5.tmp.123") << "half written";
  const RunIndex scanned = RunIndex::scan(d.path);
  EXPECT_EQ(scanned.snapshots(), r.index.snapshots());
  EXPECT_EQ(scanned.metrics(), r.index.metrics());  // the cut-off last row is dropped
}

TEST(RunIndex, MetricsRowsMustHaveEveryColumn) {
  RunIndex index;
  EXPECT_EQ(RunIndex::metrics_columns().size(), 56u);
  EXPECT_EQ(RunIndex::metrics_columns()[0], "day");
  EXPECT_THROW(index.set_metrics({{1.0, 2.0}}), std::invalid_argument);
}

std::vector<double> numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream s(text);
  for (double v; s >> v;) out.push_back(v);
  return out;
}

// The XDMF the way ParaView reads it: node dimensions and origin/spacing in Z Y X
// order. Every cell position must fall in the mesh cell of the voxel the model puts
// it in: floor((p - origin) / h), with no half-voxel shift.
TEST(RunXdmf, CellsSitInTheirVoxels) {
  TempDir d;
  const TestRun r = write_run(d.path);
  const std::string x = slurp(d.path / "run.xdmf");
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(x, m, std::regex("TopologyType=\"3DCoRectMesh\" Dimensions=\"([^\"]*)\"")));
  EXPECT_EQ(numbers(m[1]), (std::vector<double>{5, 6, 7}));
  ASSERT_TRUE(std::regex_search(x, m, std::regex("Name=\"Origin\"[^>]*>([^<]*)<")));
  const std::vector<double> origin_zyx = numbers(m[1]);
  ASSERT_TRUE(std::regex_search(x, m, std::regex("Name=\"Spacing\"[^>]*>([^<]*)<")));
  const std::vector<double> spacing_zyx = numbers(m[1]);
  ASSERT_EQ(origin_zyx.size(), 3u);
  ASSERT_EQ(spacing_zyx.size(), 3u);
  ASSERT_TRUE(std::regex_search(x, m, std::regex("Format=\"HDF\">([^<]*)position_um<")));
  EXPECT_EQ(std::string(m[1]), "snapshots/step_00000000.h5:/cells/synthetic_cells/");

  const auto& l = r.sim.lattice;
  for (const auto& p : r.cells.position_um) {
    for (int a = 0; a < 3; ++a) {
      const double model =
          std::floor((p[std::size_t(a)] - l.origin_um[std::size_t(a)]) / l.voxel_size_um);
      const double paraview = std::floor((p[std::size_t(a)] - origin_zyx[std::size_t(2 - a)]) /
                                         spacing_zyx[std::size_t(2 - a)]);
      EXPECT_EQ(model, paraview) << "axis " << a;
    }
  }
}

// The fields (6 x 5 x 4 lattice coarsened by 2: 3 x 3 x 2 voxels of 40 um) have their
// own grid in every time step, the most recent fields part's (step 0's) where a step
// has none.
TEST(RunXdmf, FieldsHaveTheirOwnGridAtEveryTime) {
  TempDir d;
  const TestRun r = write_run(d.path);
  ASSERT_EQ(r.sim.fields.coarsening, 2);
  const std::string x = slurp(d.path / "run.xdmf");
  const std::regex grid(
      "<Grid Name=\"fields\" GridType=\"Uniform\">\\s*"
      "<Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"([^\"]*)\"/>\\s*"
      "<Geometry GeometryType=\"ORIGIN_DXDYDZ\">\\s*"
      "<DataItem Name=\"Origin\"[^>]*>([^<]*)</DataItem>\\s*"
      "<DataItem Name=\"Spacing\"[^>]*>([^<]*)</DataItem>");
  int grids = 0;
  for (auto it = std::sregex_iterator(x.begin(), x.end(), grid); it != std::sregex_iterator();
       ++it, ++grids) {
    EXPECT_EQ(numbers((*it)[1]), (std::vector<double>{3, 4, 4}));
    EXPECT_EQ(numbers((*it)[2]), (std::vector<double>{2.5, -40, 100}));
    EXPECT_EQ(numbers((*it)[3]), (std::vector<double>{40, 40, 40}));
  }
  EXPECT_EQ(grids, 3);
  EXPECT_EQ(x.find("step_00000005.h5:/fields/"), std::string::npos);
  EXPECT_EQ(x.find("step_00000010.h5:/fields/"), std::string::npos);
  EXPECT_NE(x.find("<DataItem Dimensions=\"2 3 3\" NumberType=\"Float\" Precision=\"4\" "
                   "Format=\"HDF\">snapshots/step_00000000.h5:/fields/coupling</DataItem>"),
            std::string::npos);
  // The lattice grid holds the lattice arrays only, on the lattice's grid.
  const std::size_t lattice = x.find("<Grid Name=\"lattice\"");
  const std::string block = x.substr(lattice, x.find("</Grid>", lattice) - lattice);
  EXPECT_EQ(block.find("/fields/"), std::string::npos);
  EXPECT_NE(block.find("Dimensions=\"5 6 7\""), std::string::npos);
}

TEST(RunXdmf, EveryTimeShowsTheMostRecentLattice) {
  TempDir d;
  write_run(d.path);
  const std::string x = slurp(d.path / "run.xdmf");
  std::vector<std::string> times;
  const std::regex time("<Time Value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(x.begin(), x.end(), time); it != std::sregex_iterator();
       ++it) {
    times.push_back((*it)[1]);
  }
  EXPECT_EQ(times, (std::vector<std::string>{"0", "2.5", "5"}));
  // Step 5 has no lattice: its time step shows step 0's.
  const std::size_t step5 = x.find("Name=\"step_00000005\"");
  const std::size_t step10 = x.find("Name=\"step_00000010\"");
  ASSERT_NE(step5, std::string::npos);
  const std::string block = x.substr(step5, step10 - step5);
  EXPECT_NE(block.find("step_00000000.h5:/lattice/bone"), std::string::npos);
  EXPECT_NE(block.find("step_00000005.h5:/cells/synthetic_cells/position_um"), std::string::npos);
  EXPECT_NE(block.find("AttributeType=\"Vector\""), std::string::npos);
}

}  // namespace
}  // namespace bonesim
