#include "bonesim/output/metrics_csv.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "bonesim/core/error.hpp"

namespace bonesim {

namespace {
void put(std::FILE* f, const std::filesystem::path& path, const std::string& line) {
  // One fwrite + fflush per row: a killed run leaves whole rows only.
  if (std::fwrite(line.data(), 1, line.size(), f) != line.size() || std::fflush(f) != 0) {
    throw OutputError(path.string() + ": cannot write: " + std::strerror(errno));
  }
}
}  // namespace

const char* MetricsCsv::header() {
  return "day,step,bv_tv,bs_bv_per_mm,tb_th_um,tb_sp_um,tb_n_per_mm,conn_d_per_mm3,euler\n";
}

MetricsCsv::MetricsCsv(const std::filesystem::path& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "w");
  if (!file_) throw OutputError(path.string() + ": cannot create: " + std::strerror(errno));
  put(file_, path_, header());
}

MetricsCsv::~MetricsCsv() {
  if (file_) std::fclose(file_);
}

void MetricsCsv::write_metrics(const Simulation& sim, const Morphometry& m) {
  // {} prints the shortest text that reads back to the same double.
  put(file_, path_,
      fmt::format("{},{},{},{},{},{},{},{},{}\n", sim.day, sim.step, m.bv_tv, m.bs_bv_per_mm,
                  m.tb_th_um, m.tb_sp_um, m.tb_n_per_mm, m.conn_d_per_mm3, m.euler));
}

}  // namespace bonesim
