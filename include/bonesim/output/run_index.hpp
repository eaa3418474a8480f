// The run's entry points for Python and ParaView: DIR/run.h5 and DIR/run.xdmf
// (docs/OUTPUT_LAYOUT.md). Both are derived from the snapshot files and the metrics,
// rewritten whole and atomically after every change, and can be rebuilt from the
// files on disk (scan) when a run is resumed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bonesim/output/snapshot_info.hpp"

namespace bonesim {

class RunIndex {
 public:
  // Records a snapshot written to DIR/snapshots/step_NNNNNNNN.h5 (info.file is set to
  // that relative path). A snapshot of a step already listed replaces it.
  void add_snapshot(SnapshotInfo info);

  // The metrics table, one row per metrics.csv line, columns as metrics_columns().
  // Throws std::invalid_argument for a row of the wrong length.
  void set_metrics(std::vector<std::vector<double>> rows);

  const std::vector<SnapshotInfo>& snapshots() const { return snapshots_; }
  const std::vector<std::vector<double>>& metrics() const { return metrics_; }

  // Rewrites DIR/run.h5 (root attributes program, version, git_commit, seed,
  // config_yaml, provenance_yaml; /metrics/<column>; /snapshots/step_NNNNNNNN
  // external links) and DIR/run.xdmf, each to a temporary file renamed into place.
  // Throws OutputError naming the file.
  void write(const std::filesystem::path& dir, std::string_view config_yaml,
             std::string_view provenance_yaml, std::uint64_t seed) const;

  // The index of an existing run directory: every DIR/snapshots/step_NNNNNNNN.h5
  // (temporary files ignored) and the complete rows of DIR/metrics.csv.
  // Throws InputError naming a file that cannot be read.
  static RunIndex scan(const std::filesystem::path& dir);

  // The metrics.csv columns: day, step, bv_tv, ... (MetricsCsv::header()).
  static std::vector<std::string> metrics_columns();

 private:
  std::vector<SnapshotInfo> snapshots_;  // sorted by step
  std::vector<std::vector<double>> metrics_;
};

}  // namespace bonesim
