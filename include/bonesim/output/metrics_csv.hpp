// metrics.csv: one row per metrics interval, written row by row so that an
// interrupted run keeps every complete row (docs/MODEL.md, "Outputs").
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <string>

#include "bonesim/sim/metrics.hpp"

namespace bonesim {

class MetricsCsv {
 public:
  using Row = std::vector<double>;  // the header's columns, in order

  // A new file (truncating any old one) with the header. Throws OutputError.
  explicit MetricsCsv(const std::filesystem::path& path);
  // Continues an existing file: keeps the rows up to `last_step` (rewritten
  // atomically) and appends after them. Throws InputError for a malformed file.
  MetricsCsv(const std::filesystem::path& path, std::int64_t last_step);
  ~MetricsCsv();
  MetricsCsv(const MetricsCsv&) = delete;
  MetricsCsv& operator=(const MetricsCsv&) = delete;

  // Appends one row and flushes it. Throws OutputError (e.g. disk full).
  void append(const Metrics& m);

  // Every row in the file, in order.
  const std::vector<Row>& rows() const { return rows_; }

  static std::string header();  // metrics_header()

 private:
  void open_for_append();

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::vector<Row> rows_;
};

}  // namespace bonesim
