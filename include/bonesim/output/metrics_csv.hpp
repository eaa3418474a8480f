// metrics.csv: one row per metrics interval, written row by row so that an
// interrupted run keeps every complete row (docs/MODEL.md, "Outputs").
#pragma once

#include <cstdio>
#include <filesystem>

#include "bonesim/morphometry/morphometry.hpp"
#include "bonesim/sim/step.hpp"

namespace bonesim {

class MetricsCsv : public RunOutput {
 public:
  // Creates (truncates) the file and writes the header. Throws OutputError.
  explicit MetricsCsv(const std::filesystem::path& path);
  ~MetricsCsv() override;
  MetricsCsv(const MetricsCsv&) = delete;
  MetricsCsv& operator=(const MetricsCsv&) = delete;

  // Appends one row and flushes it. Throws OutputError (e.g. disk full).
  void write_metrics(const Simulation& sim, const Morphometry& m) override;

  static const char* header();

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

}  // namespace bonesim
