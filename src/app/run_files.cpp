#include "bonesim/app/run_files.hpp"

#include <algorithm>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "bonesim/output/snapshot_info.hpp"

namespace fs = std::filesystem;

namespace bonesim {

namespace {

// step_NNNNNNNN.h5 files of a directory, oldest first (names sort by step).
std::vector<fs::path> step_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("step_") && name.ends_with(".h5")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::int64_t step_of(const fs::path& file) {
  return std::stoll(file.stem().string().substr(5));  // after "step_"
}

void remove_or_throw(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  if (ec) throw OutputError(p.string() + ": cannot remove: " + ec.message());
}

// Files a killed run was writing (step_N.h5.tmp.PID): never complete, never read.
void remove_temporaries(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) stale.push_back(e.path());
  }
  for (const fs::path& p : stale) remove_or_throw(p);
}

void create_or_throw(const fs::path& p) {
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec) throw OutputError(p.string() + ": cannot create directory: " + ec.message());
}

}  // namespace

RunFiles::RunFiles(const RunFilesSettings& s) : settings_(s) {
  for (const char* old : {"snapshots", "checkpoints", "vtk", "run.h5", "run.xdmf"}) {
    remove_or_throw(s.dir / old);
  }
  create_or_throw(s.dir / "snapshots");
  create_or_throw(s.dir / "checkpoints");
  metrics_.emplace(s.dir / "metrics.csv");
  if (s.vtk) vtk_.emplace(s.dir);
}

RunFiles::RunFiles(const RunFilesSettings& s, std::int64_t resume_step) : settings_(s) {
  // Records of the resumed step itself go too: the run loop writes them again as an
  // uninterrupted run would have (a stop writes more than is due).
  const std::int64_t last_kept = resume_step - 1;
  for (const char* sub : {"snapshots", "checkpoints"}) {
    create_or_throw(s.dir / sub);
    remove_temporaries(s.dir / sub);
    const std::int64_t keep_up_to = std::string(sub) == "checkpoints" ? resume_step : last_kept;
    for (const fs::path& f : step_files(s.dir / sub)) {
      if (step_of(f) > keep_up_to) remove_or_throw(f);
    }
  }
  metrics_.emplace(s.dir / "metrics.csv", last_kept);
  index_ = RunIndex::scan(s.dir);
  if (s.vtk) {
    vtk_.emplace(s.dir);
    vtk_->scan(last_kept);
  }
  write_index();
}

void RunFiles::write_index() {
  index_.set_metrics(metrics_->rows());
  index_.write(settings_.dir, settings_.config_yaml, settings_.provenance_yaml, settings_.seed);
}

void RunFiles::write_metrics(const Metrics& m) {
  metrics_->append(m);
  index_stale_ = true;
}

void RunFiles::write_snapshot(const Simulation& sim, SnapshotParts parts) {
  const std::string name = step_file_name(sim.step);
  SnapshotInfo info =
      write_snapshot_h5(settings_.dir / "snapshots" / name, sim, parts, settings_.snapshot);
  info.file = "snapshots/" + name;
  index_.add_snapshot(std::move(info));
  index_stale_ = true;
  if (vtk_) vtk_->write(sim, parts);
}

void RunFiles::end_records() {
  if (index_stale_) write_index();
  index_stale_ = false;
}

void RunFiles::write_checkpoint(const Simulation& sim) {
  const fs::path dir = settings_.dir / "checkpoints";
  write_checkpoint_h5(dir / step_file_name(sim.step), sim);
  std::vector<fs::path> files = step_files(dir);
  const std::size_t keep = std::size_t(std::max(1, settings_.checkpoints_kept));
  for (std::size_t i = 0; i + keep < files.size(); ++i) remove_or_throw(files[i]);
}

fs::path newest_checkpoint(const fs::path& dir) {
  const std::vector<fs::path> files = step_files(dir / "checkpoints");
  return files.empty() ? fs::path() : files.back();
}

}  // namespace bonesim
