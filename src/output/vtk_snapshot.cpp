// VTK XML time series of a run: which files a snapshot writes, and the .pvd lists.
// The VTK file I/O itself is in vtk_xml.cpp.
#include "bonesim/output/vtk_snapshot.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <system_error>

#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "bonesim/output/snapshot_info.hpp"
#include "vtk_xml.hpp"

namespace fs = std::filesystem;

namespace bonesim {

namespace {

// Population names become parts of file names.
void check_population_name(std::string_view name) {
  const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  if (!ok) {
    throw OutputError("cell population '" + std::string(name) +
                      "': names of populations written to VTK must be letters, digits, '_' "
                      "or '-'");
  }
}

// Everything visit_state lists, as views for the VTK side. Names and infos are copied:
// visit_state may build them (one per load case) for the length of the call only.
class SnapshotCollector {
 public:
  explicit SnapshotCollector(SnapshotParts parts) : parts_(parts) {}

  template <class T>
  void scalar(std::string_view name, const T& value, const ArrayInfo&) {
    scalars.push_back({keep(name), value});
  }

  template <class T>
  void voxels(Part part, std::string_view name, const Field<T>& f, const ArrayInfo& info) {
    const bool wanted =
        (part == Part::kLattice && parts_.lattice) || (part == Part::kFields && parts_.fields);
    if (!wanted) return;
    const ArrayInfo kept{keep(info.units), keep(info.description)};
    (part == Part::kLattice ? lattice : fields).push_back({keep(name), kept, &f});
  }

  template <class P>
  void cells(std::string_view population, const P& pop) {
    if (!parts_.cells) return;
    CellColumnCollector c;
    visit_columns(pop, c);
    populations.push_back({population, std::move(c.columns)});
  }

  std::vector<vtk_xml::ScalarView> scalars;
  std::vector<vtk_xml::VoxelArrayView> lattice, fields;
  std::vector<std::pair<std::string_view, std::vector<CellColumnView>>> populations;

 private:
  std::string_view keep(std::string_view s) { return strings_.emplace_back(s); }

  SnapshotParts parts_;
  std::deque<std::string> strings_;  // stable addresses
};

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// "<series>_NNNNNNNN.<ext>" -> series and step; false for any other name.
bool parse_file_name(const std::string& name, std::string& series, std::int64_t& step) {
  static const std::regex pattern(R"(^(.+)_([0-9]{8})\.(vti|vtp)$)");
  std::smatch m;
  if (!std::regex_match(name, m, pattern)) return false;
  series = m[1];
  step = std::stoll(m[2]);
  return true;
}

// The entries a .pvd we wrote lists (one DataSet element per line).
std::vector<VtkSeriesWriter::Entry> read_pvd(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": cannot open");
  static const std::regex data_set(R"re(<DataSet\s+timestep="([^"]*)"[^>]*\sfile="([^"]*)")re");
  std::vector<VtkSeriesWriter::Entry> entries;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, data_set)) continue;
    VtkSeriesWriter::Entry e;
    std::string series;
    e.file = m[2];
    if (!parse_file_name(e.file, series, e.step)) continue;
    try {
      e.day = std::stod(m[1]);
    } catch (const std::exception&) {
      throw InputError(path.string() + ": timestep '" + std::string(m[1]) + "' is not a number");
    }
    entries.push_back(e);
  }
  return entries;
}

}  // namespace

std::string vtk_file_name(std::string_view series, std::int64_t step, std::string_view extension) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "_%08lld.", static_cast<long long>(step));
  return std::string(series) + digits + std::string(extension);
}

VtkSeriesWriter::VtkSeriesWriter(const fs::path& run_dir) : dir_(run_dir / "vtk") {
#if !BONESIM_WITH_VTK
  throw OutputError(dir_.string() +
                    ": this bonesim was built without VTK (BONESIM_WITH_VTK=OFF); "
                    "run.output.vtk needs it");
#endif
  prepare_output_directory(dir_);
}

void VtkSeriesWriter::write(const Simulation& sim, SnapshotParts parts) {
  SnapshotCollector c(parts);
  visit_state(sim, c);
  // Data files first, lists after: a .pvd never names a file that is not complete.
  std::vector<std::pair<std::string, Entry>> added;
  // Each part on its own grid: the fields' is the lattice's coarsened by
  // fields.grid_coarsening (spacing c h, same origin).
  for (auto [series, arrays] : {std::pair{"lattice", &c.lattice}, std::pair{"fields", &c.fields}}) {
    if (arrays->empty()) continue;  // a part the model does not have yet
    const bool is_lattice = series == std::string_view("lattice");
    const SnapshotGeometry g = is_lattice ? geometry_of(sim.lattice) : fields_geometry_of(sim);
    const vtk_xml::ImageGeometry geometry{
        GridShape::make(g.grid_size[0], g.grid_size[1], g.grid_size[2]), g.voxel_size_um,
        g.origin_um};
    Entry e{sim.step, sim.day, vtk_file_name(series, sim.step, "vti")};
    vtk_xml::write_image(dir_ / e.file, geometry, *arrays, c.scalars);
    added.emplace_back(series, e);
  }
  for (const auto& [population, columns] : c.populations) {
    check_population_name(population);
    const std::string series = "cells_" + std::string(population);
    Entry e{sim.step, sim.day, vtk_file_name(series, sim.step, "vtp")};
    vtk_xml::write_points(dir_ / e.file, columns, c.scalars);
    added.emplace_back(series, e);
  }
  for (auto& [series, e] : added) add_entry(series, std::move(e));
}

void VtkSeriesWriter::write_cell_columns(std::string_view population,
                                         std::span<const CellColumnView> columns, std::int64_t step,
                                         double day) {
  check_population_name(population);
  const std::string series = "cells_" + std::string(population);
  Entry e{step, day, vtk_file_name(series, step, "vtp")};
  const vtk_xml::ScalarView scalars[] = {{"step", step}, {"day", day}};
  vtk_xml::write_points(dir_ / e.file, columns, scalars);
  add_entry(series, std::move(e));
}

void VtkSeriesWriter::add_entry(const std::string& name, Entry entry) {
  auto& entries = series_[name];
  auto at = std::lower_bound(entries.begin(), entries.end(), entry.step,
                             [](const Entry& e, std::int64_t step) { return e.step < step; });
  if (at != entries.end() && at->step == entry.step) {
    *at = std::move(entry);
  } else {
    entries.insert(at, std::move(entry));
  }
  write_pvd(name);
}

void VtkSeriesWriter::write_pvd(const std::string& name) const {
  std::ostringstream out;
  out << "<?xml version=\"1.0\"?>\n"
         "<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
         "  <Collection>\n";
  if (auto it = series_.find(name); it != series_.end()) {
    for (const Entry& e : it->second) {
      char day[40];
      std::snprintf(day, sizeof day, "%.17g", e.day);  // round-trips the double
      out << "    <DataSet timestep=\"" << day << "\" group=\"\" part=\"0\" file=\""
          << xml_escape(e.file) << "\"/>\n";
    }
  }
  out << "  </Collection>\n</VTKFile>\n";
  write_file_atomically(dir_ / (name + ".pvd"), out.str());
}

std::span<const VtkSeriesWriter::Entry> VtkSeriesWriter::series(std::string_view name) const {
  auto it = series_.find(name);
  if (it == series_.end()) return {};
  return it->second;
}

void VtkSeriesWriter::scan(std::int64_t last_step) {
  series_.clear();
  std::error_code ec;
  std::vector<fs::path> data_files;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (name.find(".tmp.") != std::string::npos) {
      fs::remove(p, ec);  // the temporary of a write that was killed
      ec.clear();
    } else if (p.extension() == ".pvd") {
      series_[p.stem().string()] = read_pvd(p);
    } else if (p.extension() == ".vti" || p.extension() == ".vtp") {
      data_files.push_back(p);
    }
  }
  if (ec) throw InputError(dir_.string() + ": cannot list: " + ec.message());

  // Keep what the lists and the disk agree on, up to last_step.
  for (auto& [name, entries] : series_) {
    std::erase_if(entries,
                  [&](const Entry& e) { return e.step > last_step || !fs::exists(dir_ / e.file); });
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.step < b.step; });
  }
  std::sort(data_files.begin(), data_files.end());
  for (const fs::path& p : data_files) {
    std::string name;
    std::int64_t step = 0;
    if (!parse_file_name(p.filename().string(), name, step)) continue;
    if (step > last_step) {
      if (!fs::remove(p, ec)) {
        throw OutputError(p.string() + ": cannot remove a file of a later step: " + ec.message());
      }
      continue;
    }
    auto& entries = series_[name];
    const bool listed = std::any_of(entries.begin(), entries.end(), [&](const Entry& e) {
      return e.file == p.filename().string();
    });
    if (!listed) {
      entries.push_back({step, vtk_xml::read_day(p), p.filename().string()});
      std::sort(entries.begin(), entries.end(),
                [](const Entry& a, const Entry& b) { return a.step < b.step; });
    }
  }
  for (const auto& [name, entries] : series_) write_pvd(name);
}

#if !BONESIM_WITH_VTK
// Without VTK the constructor throws, so none of these is reached.
namespace vtk_xml {
void write_image(const fs::path& path, const ImageGeometry&, std::span<const VoxelArrayView>,
                 std::span<const ScalarView>) {
  throw OutputError(path.string() + ": built without VTK");
}
void write_points(const fs::path& path, std::span<const CellColumnView>,
                  std::span<const ScalarView>) {
  throw OutputError(path.string() + ": built without VTK");
}
double read_day(const fs::path& path) {
  throw InputError(path.string() + ": built without VTK");
}
}  // namespace vtk_xml
#endif

}  // namespace bonesim
