// What a sweep leaves on disk besides its runs (docs/SWEEPS.md): one record per run
// (runs/<id>/sweep_run.yaml: status, exit code, wall time, the hash of the run's
// effective config, the error), and the summary built from the records and each run's
// metrics.csv: summary.csv, sensitivity.csv and summary.h5.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bonesim/config/sweep_config.hpp"
#include "bonesim/sweep/plan.hpp"

namespace bonesim {

struct RunRecord {
  std::string status = "pending";  // ok | failed | invalid | interrupted | pending
  int exit_code = 0;               // of `bonesim run`; a signal s gives 128 + s
  double wall_s = 0;
  std::string config_hash;  // of the effective config, threads left out
  std::string error;        // one line
};

// 64-bit FNV-1a of `text`, as 16 hex digits.
std::string text_hash(const std::string& text);

std::filesystem::path run_dir(const std::filesystem::path& sweep_dir, const SweepRun& run);
void write_run_record(const std::filesystem::path& run_directory, const RunRecord& r);
// The record in run_directory, or status "pending" when there is none (or it is unreadable).
RunRecord read_run_record(const std::filesystem::path& run_directory);

// A metrics.csv column reduced as the metric says (NaN when the column is missing or no
// row falls in the window): last row; the last row at or before `day`; min, max or mean
// over the rows with day in [from_day, to_day].
double reduce_metric(const SweepMetric& m, const std::vector<std::string>& columns,
                     const std::vector<std::vector<double>>& rows);

// Builds and writes summary.csv, sensitivity.csv and summary.h5 into sweep_dir from every
// run's record and metrics (a run without a complete record is listed as pending with
// NaN metrics). Returns the number of runs with status ok.
std::size_t write_sweep_summary(const std::filesystem::path& sweep_dir, const SweepConfig& cfg,
                                const std::vector<SweepRun>& runs);

}  // namespace bonesim
