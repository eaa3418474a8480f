#include "bonesim/output/run_index.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "bonesim/core/error.hpp"
#include "bonesim/core/version.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "bonesim/output/metrics_csv.hpp"
#include "bonesim/output/run_xdmf.hpp"
#include "hdf5_util.hpp"

namespace bonesim {

namespace {

using h5::Handle;

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  for (std::string cell; std::getline(s, cell, ',');) out.push_back(cell);
  return out;
}

void write_run_h5(const std::filesystem::path& path, const std::vector<SnapshotInfo>& snapshots,
                  const std::vector<std::vector<double>>& metrics, std::string_view config_yaml,
                  std::string_view provenance_yaml, std::uint64_t seed) {
  h5::QuietErrors quiet;
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  Handle f(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  auto fail = [&](const std::string& what) {
    const std::string reason = h5::last_error_reason();
    if (f.valid()) h5::divert_to_memory(f.get());  // open groups close into memory
    h5::abandon(f);
    ::unlink(tmp.c_str());
    throw OutputError(path.string() + ": cannot " + what + ": " + reason);
  };
  {
    if (!f.valid()) fail("create");
    const hid_t root = f.get();
    if (!h5::write_attr(root, "program", std::string_view("bonesim")) ||
        !h5::write_attr(root, "version", std::string_view(version())) ||
        !h5::write_attr(root, "git_commit", std::string_view(git_commit())) ||
        !h5::write_attr(root, "seed", seed) || !h5::write_attr(root, "config_yaml", config_yaml) ||
        !h5::write_attr(root, "provenance_yaml", provenance_yaml)) {
      fail("write the root attributes");
    }
    Handle m = h5::create_group(root, "metrics");
    const std::vector<std::string> columns = RunIndex::metrics_columns();
    const hsize_t n = metrics.size();
    std::vector<double> values(metrics.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      for (std::size_t r = 0; r < metrics.size(); ++r) values[r] = metrics[r][c];
      Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
      Handle d(H5Dcreate2(m.get(), columns[c].c_str(), H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT,
                          H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose);
      if (!d.valid() || (n > 0 && H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                                           H5P_DEFAULT, values.data()) < 0)) {
        fail("write /metrics/" + columns[c]);
      }
    }
    Handle s = h5::create_group(root, "snapshots");
    for (const SnapshotInfo& info : snapshots) {
      // Relative target: HDF5 looks for it beside run.h5, so the directory can move.
      const std::string name = step_file_name(info.step);
      const std::string link = name.substr(0, name.size() - 3);
      if (H5Lcreate_external(info.file.c_str(), "/", s.get(), link.c_str(), H5P_DEFAULT,
                             H5P_DEFAULT) < 0) {
        fail("write link /snapshots/" + link);
      }
    }
    if (!m.close() || !s.close() || H5Fflush(f.get(), H5F_SCOPE_LOCAL) < 0) fail("write");
    if (!f.close()) fail("write");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw OutputError(path.string() + ": cannot replace: " + std::strerror(err));
  }
}

}  // namespace

void RunIndex::add_snapshot(SnapshotInfo info) {
  info.file = "snapshots/" + step_file_name(info.step);
  auto at =
      std::lower_bound(snapshots_.begin(), snapshots_.end(), info.step,
                       [](const SnapshotInfo& s, std::int64_t step) { return s.step < step; });
  if (at != snapshots_.end() && at->step == info.step) {
    *at = std::move(info);
  } else {
    snapshots_.insert(at, std::move(info));
  }
}

void RunIndex::set_metrics(std::vector<std::vector<double>> rows) {
  const std::size_t n = metrics_columns().size();
  for (const auto& r : rows) {
    if (r.size() != n) {
      throw std::invalid_argument("RunIndex: metrics row of " + std::to_string(r.size()) +
                                  " values, expected " + std::to_string(n));
    }
  }
  metrics_ = std::move(rows);
}

void RunIndex::write(const std::filesystem::path& dir, std::string_view config_yaml,
                     std::string_view provenance_yaml, std::uint64_t seed) const {
  // run.h5 is small: the metrics, two texts and one link per snapshot, plus metadata.
  std::uintmax_t bytes = (std::uintmax_t(1) << 20) + config_yaml.size() + provenance_yaml.size() +
                         4096 * snapshots_.size();
  for (const auto& row : metrics_) bytes += row.size() * sizeof(double);
  ensure_space_for(dir / "run.h5", bytes);
  write_run_h5(dir / "run.h5", snapshots_, metrics_, config_yaml, provenance_yaml, seed);
  write_file_atomically(dir / "run.xdmf", run_xdmf(snapshots_));
}

RunIndex RunIndex::scan(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  RunIndex index;
  const fs::path snapshots = dir / "snapshots";
  std::error_code ec;
  if (fs::is_directory(snapshots, ec)) {
    static const std::regex kName("step_[0-9]{8}\\.h5");
    for (const auto& e : fs::directory_iterator(snapshots, ec)) {
      if (!std::regex_match(e.path().filename().string(), kName)) continue;  // temporaries
      index.add_snapshot(read_snapshot_info(e.path()));
    }
  }
  const fs::path csv = dir / "metrics.csv";
  std::ifstream in(csv);
  if (in) {
    const std::size_t n = metrics_columns().size();
    std::string line;
    std::getline(in, line);  // header
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // no newline: a row cut short by a killed run
      const std::vector<std::string> cells = split(line);
      std::vector<double> row;
      for (const std::string& c : cells) {
        char* end = nullptr;
        row.push_back(std::strtod(c.c_str(), &end));
        if (end == c.c_str()) throw InputError(csv.string() + ": not a number: '" + c + "'");
      }
      if (row.size() != n) {
        throw InputError(csv.string() + ": line " + std::to_string(rows.size() + 2) + " has " +
                         std::to_string(row.size()) + " values, expected " + std::to_string(n));
      }
      rows.push_back(std::move(row));
    }
    index.metrics_ = std::move(rows);
  }
  return index;
}

std::vector<std::string> RunIndex::metrics_columns() {
  std::string header = MetricsCsv::header();
  while (!header.empty() && (header.back() == '\n' || header.back() == '\r')) header.pop_back();
  return split(header);
}

}  // namespace bonesim
