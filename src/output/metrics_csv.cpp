#include "bonesim/output/metrics_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"

namespace bonesim {

namespace {
void put(std::FILE* f, const std::filesystem::path& path, const std::string& line) {
  // One fwrite + fflush per row: a killed run leaves whole rows only.
  if (std::fwrite(line.data(), 1, line.size(), f) != line.size() || std::fflush(f) != 0) {
    throw OutputError(path.string() + ": cannot write: " + std::strerror(errno));
  }
}

// {} prints the shortest text that reads back to the same double.
std::string format_row(const MetricsCsv::Row& r) {
  return fmt::format("{}\n", fmt::join(r, ","));
}

MetricsCsv::Row parse_row(const std::string& line, const std::filesystem::path& path, int line_no,
                          std::size_t columns) {
  MetricsCsv::Row row;
  std::size_t start = 0;
  while (start <= line.size()) {
    const std::size_t comma = std::min(line.find(',', start), line.size());
    const std::string cell = line.substr(start, comma - start);
    double v = 0;
    if (cell == "nan") {
      v = std::nan("");
    } else {
      auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc() || p != cell.data() + cell.size() || cell.empty()) {
        throw InputError(fmt::format("{}:{}: '{}' is not a number", path.string(), line_no, cell));
      }
    }
    row.push_back(v);
    start = comma + 1;
  }
  if (row.size() != columns) {
    throw InputError(
        fmt::format("{}:{}: {} columns, expected {}", path.string(), line_no, row.size(), columns));
  }
  return row;
}
}  // namespace

std::string MetricsCsv::header() {
  return metrics_header();
}

MetricsCsv::MetricsCsv(const std::filesystem::path& path) : path_(path) {
  write_file_atomically(path_, header());
  open_for_append();
}

MetricsCsv::MetricsCsv(const std::filesystem::path& path, std::int64_t last_step) : path_(path) {
  std::ifstream in(path_);
  if (!in) throw InputError(path_.string() + ": cannot open metrics file to resume");
  const std::string head = header();
  const std::size_t columns = std::size_t(std::count(head.begin(), head.end(), ',')) + 1;
  std::string line, kept = head;
  std::getline(in, line);
  if (line + "\n" != head) throw InputError(path_.string() + ":1: unexpected header");
  for (int line_no = 2; std::getline(in, line); ++line_no) {
    if (in.eof()) break;  // an unterminated last line is a row cut by a kill: dropped
    Row row = parse_row(line, path_, line_no, columns);
    if (row[1] > double(last_step)) break;
    kept += line + "\n";
    rows_.push_back(std::move(row));
  }
  in.close();
  write_file_atomically(path_, kept);
  open_for_append();
}

void MetricsCsv::open_for_append() {
  file_ = std::fopen(path_.c_str(), "a");
  if (!file_) throw OutputError(path_.string() + ": cannot open: " + std::strerror(errno));
}

MetricsCsv::~MetricsCsv() {
  if (file_) std::fclose(file_);
}

void MetricsCsv::append(const Metrics& m) {
  Row row;
  visit_metrics(m, [&](const char*, double v) { row.push_back(v); });
  put(file_, path_, format_row(row));
  rows_.push_back(std::move(row));
}

}  // namespace bonesim
