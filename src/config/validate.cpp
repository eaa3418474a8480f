#include "bonesim/config/validate.hpp"

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

void check_synthetic(const LatticeConfig& l, std::vector<ConfigIssue>& out) {
  const SyntheticLatticeConfig& s = l.synthetic;
  // A trabecula thinner than two voxels cannot be resolved by the lattice.
  const double min_th = 2.0 * l.voxel_size_um;
  if (s.tb_th_um < min_th) {
    out.push_back({"lattice.synthetic.tb_th_um",
                   fmt::format("got {}, expected at least 2 voxels = {} um at voxel_size_um {}",
                               s.tb_th_um, min_th, l.voxel_size_um)});
  }
  // The sample must hold a few trabeculae along every axis to be trabecular bone.
  const int shortest = *std::min_element(s.size_voxels.begin(), s.size_voxels.end());
  const double side_um = shortest * l.voxel_size_um;
  if (side_um < 4.0 * s.tb_th_um) {
    out.push_back({"lattice.synthetic.size_voxels",
                   fmt::format("shortest side {} um is under 4 x tb_th_um = {} um; expected a larger "
                               "grid or thinner trabeculae",
                               side_um, 4.0 * s.tb_th_um)});
  }
}

void check_image(const ImageLatticeConfig& im, std::vector<ConfigIssue>& out) {
  if (im.path.empty()) {
    out.push_back({"lattice.image.path", "missing; expected an image file (.mhd, .vti or file.h5:/dataset)"});
    return;
  }
  std::error_code ec;
  const std::string file = file_part(im.path);
  if (!std::filesystem::is_regular_file(file, ec)) {
    out.push_back({"lattice.image.path", fmt::format("'{}' is not a readable file", file)});
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
  if (cfg.lattice.source == "synthetic") check_synthetic(cfg.lattice, out);
  if (cfg.lattice.source == "image") check_image(cfg.lattice.image, out);
  return out;
}

}  // namespace bonesim
