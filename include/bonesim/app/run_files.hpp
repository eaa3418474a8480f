// All files of one run directory (docs/OUTPUT_LAYOUT.md) behind the RunOutput
// interface that the run loop calls: metrics.csv, run.h5 + run.xdmf, snapshots/,
// checkpoints/ and, optionally, vtk/.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "bonesim/output/hdf5_snapshot.hpp"
#include "bonesim/output/metrics_csv.hpp"
#include "bonesim/output/run_index.hpp"
#include "bonesim/output/vtk_snapshot.hpp"
#include "bonesim/sim/step.hpp"

namespace bonesim {

struct RunFilesSettings {
  std::filesystem::path dir;
  SnapshotOptions snapshot;
  bool vtk = false;
  std::string config_yaml;      // stored in run.h5
  std::string provenance_yaml;  // stored in run.h5
  std::uint64_t seed = 0;       // stored in run.h5
  int checkpoints_kept = 2;     // the newest N checkpoints stay on disk
};

class RunFiles : public RunOutput {
 public:
  // A new run in settings.dir. Outputs of an earlier run there (snapshots/,
  // checkpoints/, vtk/, run.h5, run.xdmf, metrics.csv) are removed first.
  explicit RunFiles(const RunFilesSettings& settings);
  // Continues the run in settings.dir from the checkpoint at `resume_step`: metrics
  // rows, snapshots and VTK files of that step and later, and later checkpoints, are
  // dropped (run_simulation writes the step's records again); the index is rebuilt
  // from the files on disk.
  RunFiles(const RunFilesSettings& settings, std::int64_t resume_step);

  void write_metrics(const Metrics& m) override;
  void write_snapshot(const Simulation& sim, SnapshotParts parts) override;
  void write_checkpoint(const Simulation& sim) override;
  void end_records() override;

 private:
  void write_index();

  RunFilesSettings settings_;
  std::optional<MetricsCsv> metrics_;
  RunIndex index_;
  bool index_stale_ = false;  // records written since run.h5 / run.xdmf were
  std::optional<VtkSeriesWriter> vtk_;
};

// The newest checkpoint file in dir/checkpoints, or an empty path if there is none.
std::filesystem::path newest_checkpoint(const std::filesystem::path& dir);

}  // namespace bonesim
