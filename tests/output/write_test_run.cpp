// write_test_run DIR [--perturb]: a small run directory in the layout of
// docs/OUTPUT_LAYOUT.md (snapshots with different parts, a checkpoint, metrics.csv,
// run.h5, run.xdmf; fields on a grid coarser than the lattice's) for the Python checks
// (h5py_check.py, compare_runs.py, paraview_check.py). --perturb changes one voxel of
// the last snapshot by 1e-3, for the comparison tool's "different" case.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bonesim/output/hdf5_snapshot.hpp"
#include "bonesim/output/metrics_csv.hpp"
#include "bonesim/output/run_index.hpp"
#include "output/synthetic_cells.hpp"

namespace fs = std::filesystem;
using namespace bonesim;

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && std::string(argv[2]) != "--perturb")) {
    std::fprintf(stderr, "usage: write_test_run DIR [--perturb]\n");
    return 2;
  }
  const fs::path dir = argv[1];
  const bool perturb = argc == 3;
  fs::create_directories(dir / "snapshots");
  fs::create_directories(dir / "checkpoints");

  Simulation sim = make_simulation(make_lattice(13, 9, 7, 20.0), Config{});
  sim.lattice.origin_um = {0.0, 20.0, -10.0};
  auto& l = sim.lattice;
  for (int k = 0; k < 7; ++k) {
    for (int j = 0; j < 9; ++j) {
      for (int i = 0; i < 13; ++i) {
        l.bone(i, j, k) = float((i + 2 * j + 3 * k) % 11) / 10.0f;
        l.osteoid(i, j, k) = 0.0f;
        l.day_last_resorbed(i, j, k) = kNever;
        l.day_last_formed(i, j, k) = kNever;
      }
    }
  }
  mark_day0(l);
  // The default fields.grid_coarsening 2: fields on 7 x 5 x 4 voxels of 40 um, the last
  // layer along each axis half outside the lattice.
  const GridShape& fg = sim.fields.rankl.shape;
  for (int k = 0; k < fg.nz; ++k) {
    for (int j = 0; j < fg.ny; ++j) {
      for (int i = 0; i < fg.nx; ++i) {
        sim.fields.rankl(i, j, k) = float(i + 10 * j + 100 * k);
        sim.fields.coupling(i, j, k) = 0.5f * float(k);
      }
    }
  }
  auto cells = testing_support::make_synthetic_cells(50, geometry_of(l), 5, 2);

  RunIndex index;
  std::ofstream csv(dir / "metrics.csv");
  csv.precision(17);  // reads back to the same doubles as /metrics
  csv << MetricsCsv::header();
  std::vector<std::vector<double>> rows;
  for (std::int64_t step = 0; step <= 20; step += 10) {
    sim.step = step;
    sim.day = double(step) * 0.1;
    if (step > 0) {  // some resorption, some growth
      l.bone(int(step / 10), 1, 1) = 0.0f;
      l.day_last_resorbed(int(step / 10), 1, 1) = float(sim.day);
      for (auto& a : cells.age_days) a += 1.0f;
    }
    if (perturb && step == 20) l.bone(6, 4, 3) += 1e-3f;
    const SnapshotParts parts{step != 10, step != 10, true};
    SnapshotWriter w(dir / "snapshots" / step_file_name(step), geometry_of(l),
                     fields_geometry_of(sim), parts, {.deflate_level = step == 20 ? 4 : 0});
    visit_state(sim, w);
    w.cells("synthetic_cells", cells);
    index.add_snapshot(w.commit());
    std::vector<double> row{
        sim.day, double(step), 0.4 - 0.001 * double(step), 10, 150, 400, 1.5, 2.0, -3};
    while (row.size() < RunIndex::metrics_columns().size()) row.push_back(0.5 * double(step));
    rows.push_back(row);
    for (std::size_t c = 0; c < row.size(); ++c) csv << (c ? "," : "") << row[c];
    csv << "\n";
  }
  write_checkpoint_h5(dir / "checkpoints" / step_file_name(20), sim);
  index.set_metrics(rows);
  index.write(dir, "run:\n  seed: 5\n", "started_utc: now\nseed: 5\n", 5);
  std::ofstream(dir / "config.yaml") << "run:\n  seed: 5\n";
  std::ofstream(dir / "provenance.yaml") << "started_utc: now\nseed: 5\n";
  return 0;
}
