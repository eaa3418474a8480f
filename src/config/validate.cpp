#include "bonesim/config/validate.hpp"

#include "bonesim/config/sweep_config.hpp"

#include "bonesim/fields/signalling.hpp"
#include "bonesim/lattice/synthetic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace bonesim {

namespace {

// "file.h5:/group/data" names a dataset inside an HDF5 file; the file part must exist.
std::string file_part(const std::string& path) {
  const auto pos = path.find(".h5:");
  return pos == std::string::npos ? path : path.substr(0, pos + 3);
}

void check_image(const ImageLatticeConfig& im, std::vector<ConfigIssue>& out) {
  if (im.path.empty()) {
    out.push_back(
        {"lattice.image.path", "missing; expected an image file (.mhd, .vti or file.h5:/dataset)"});
    return;
  }
  std::error_code ec;
  const std::string file = file_part(im.path);
  if (!std::filesystem::is_regular_file(file, ec)) {
    out.push_back({"lattice.image.path", fmt::format("'{}' is not a readable file", file)});
  }
}

// Keys of the `cells` section that must agree with each other.
void check_cells(const CellsConfig& c, std::vector<ConfigIssue>& out) {
  if (c.osteoclasts.initial_nuclei > c.osteoclasts.max_nuclei) {
    out.push_back({"cells.osteoclasts.initial_nuclei",
                   fmt::format("{} exceeds cells.osteoclasts.max_nuclei = {}",
                               c.osteoclasts.initial_nuclei, c.osteoclasts.max_nuclei)});
  }
  const double fates = c.osteoblasts.osteocyte_fraction + c.osteoblasts.lining_fraction;
  if (fates > 1.0) {
    out.push_back(
        {"cells.osteoblasts.lining_fraction",
         fmt::format("{} + osteocyte_fraction {} = {} exceeds 1 (the rest die)",
                     c.osteoblasts.lining_fraction, c.osteoblasts.osteocyte_fraction, fates)});
  }
  if (c.osteoblasts.arrest_days <= c.osteoblasts.reversal_days) {
    out.push_back({"cells.osteoblasts.arrest_days",
                   fmt::format("{} is not after reversal_days = {}", c.osteoblasts.arrest_days,
                               c.osteoblasts.reversal_days)});
  }
}

// The mechanics and the schedule of interventions that acts on it.
void check_mechanics(const Config& cfg, std::vector<ConfigIssue>& out) {
  const MechanicsConfig& m = cfg.mechanics;
  if (m.enabled && m.load_cases.empty()) {
    out.push_back({"mechanics.load_cases", "empty; expected at least one load case"});
  }
  for (std::size_t i = 0; i < m.load_cases.size(); ++i) {
    if (m.load_cases[i].apparent_strain == 0) {
      out.push_back({fmt::format("mechanics.load_cases[{}].apparent_strain", i),
                     "0; expected a non-zero strain (the stress-controlled cases are solved "
                     "at it too)"});
    }
  }
  if (m.osteocytes.overload_microstrain <= m.osteocytes.disuse_microstrain) {
    out.push_back(
        {"mechanics.osteocytes.overload_microstrain",
         fmt::format("{} is not above disuse_microstrain = {}", m.osteocytes.overload_microstrain,
                     m.osteocytes.disuse_microstrain)});
  }
  for (std::size_t i = 0; i < cfg.interventions.size(); ++i) {
    const InterventionConfig& iv = cfg.interventions[i];
    const std::string key = fmt::format("interventions[{}]", i);
    const bool injection = iv.type == "denosumab" || iv.type == "opg_fc";
    if (!injection && iv.end_day <= iv.start_day) {
      out.push_back({key + ".end_day",
                     fmt::format("{} is not after start_day = {}", iv.end_day, iv.start_day)});
    }
    if (injection && iv.dose_mg <= 0 && iv.dose_mg_per_kg <= 0) {
      out.push_back({key + ".dose_mg",
                     "0; expected a dose per injection (dose_mg or dose_mg_per_kg) above 0"});
    }
    if (iv.type == "load" && !m.enabled) {
      out.push_back(
          {key + ".type", "load acts through the mechanics; set mechanics.enabled: true"});
    }
  }
}

}  // namespace

std::vector<ConfigIssue> validate_config(const Config& cfg) {
  std::vector<ConfigIssue> out;
  const RunConfig& r = cfg.run;
  if (r.days > 0 && r.dt_days > r.days) {
    out.push_back({"run.dt_days", fmt::format("{} exceeds run.days = {}; expected dt_days <= days",
                                              r.dt_days, r.days)});
  }
  if (r.output.directory.empty()) {
    out.push_back({"run.output.directory", "empty; expected a directory path"});
  }
  if (cfg.lattice.source == "synthetic") {
    for (auto& issue :
         synthetic_lattice_problems(cfg.lattice.synthetic, cfg.lattice.voxel_size_um)) {
      out.push_back(std::move(issue));
    }
  }
  if (cfg.lattice.source == "image") check_image(cfg.lattice.image, out);
  check_cells(cfg.cells, out);
  check_mechanics(cfg, out);
  const bool synthetic = cfg.lattice.source == "synthetic";
  for (auto& issue : fields_config_problems(
           cfg.fields, synthetic ? cfg.lattice.synthetic.size_voxels : std::array<int, 3>{})) {
    out.push_back(std::move(issue));
  }
  return out;
}

std::vector<ConfigIssue> sweep_config_problems(const SweepConfig& cfg) {
  std::vector<ConfigIssue> out;
  if (cfg.base.empty()) out.push_back({"base", "missing: the run config the sweep varies"});
  for (std::size_t i = 0; i < cfg.set.size(); ++i) {
    if (cfg.set[i].find('=') == std::string::npos || cfg.set[i].front() == '=') {
      out.push_back({fmt::format("set[{}]", i), fmt::format("'{}' is not key=value", cfg.set[i])});
    }
  }
  std::size_t sampled = 0;
  std::size_t zip_length = 0;
  for (std::size_t i = 0; i < cfg.parameters.size(); ++i) {
    const SweepParameter& p = cfg.parameters[i];
    const std::string key = fmt::format("parameters[{}]", i);
    if (p.key.empty()) out.push_back({key + ".key", "missing: the run-config key to vary"});
    const int ways = int(!p.values.empty()) + int(p.count > 0) + int(p.sampled());
    if (ways != 1) {
      out.push_back({key,
                     "give exactly one of: values; from, to and count; distribution, low "
                     "and high"});
      continue;
    }
    if (p.sampled()) {
      ++sampled;
      if (!(p.high > p.low)) {
        out.push_back({key + ".high", fmt::format("{} is not above low = {}", p.high, p.low)});
      } else if (p.distribution == "log_uniform" && !(p.low > 0)) {
        out.push_back({key + ".low", fmt::format("{} is not above 0 (log_uniform)", p.low)});
      }
      continue;
    }
    const std::size_t n = p.values.empty() ? std::size_t(p.count) : p.values.size();
    if (p.count > 0 && p.scale == "log" && !(p.from > 0 && p.to > 0)) {
      out.push_back({key + ".from", "a log range needs from and to above 0"});
    }
    if (cfg.combine == "zip") {
      if (zip_length == 0) zip_length = n;
      if (n != zip_length) {
        out.push_back(
            {key, fmt::format("{} values, but the first zipped parameter has {}", n, zip_length)});
      }
    }
  }
  if (sampled > 0 && cfg.samples < 1) {
    out.push_back({"samples", "0: sampled parameters need samples >= 1"});
  }
  if (sampled == 0 && cfg.samples > 0) {
    out.push_back({"samples", fmt::format("{} samples but no sampled parameter", cfg.samples)});
  }
  for (std::size_t i = 0; i < cfg.metrics.size(); ++i) {
    const SweepMetric& m = cfg.metrics[i];
    const std::string key = fmt::format("metrics[{}]", i);
    if (m.name.empty()) out.push_back({key + ".name", "missing"});
    if (m.column.empty()) out.push_back({key + ".column", "missing: a metrics.csv column"});
    for (std::size_t j = 0; j < i; ++j) {
      if (cfg.metrics[j].name == m.name) {
        out.push_back({key + ".name", fmt::format("'{}' is used twice", m.name)});
      }
    }
    if (m.to_day < m.from_day) {
      out.push_back({key + ".to_day", fmt::format("{} is before from_day", m.to_day)});
    }
  }
  return out;
}

}  // namespace bonesim
