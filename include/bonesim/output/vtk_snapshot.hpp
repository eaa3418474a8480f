// VTK XML snapshots of a run (run.output.vtk): DIR/vtk/lattice_NNNNNNNN.vti and
// fields_NNNNNNNN.vti (on the fields' own grid, fields_geometry_of: spacing c h with
// fields.grid_coarsening c) with every voxel array as cell data,
// DIR/vtk/cells_<population>_NNNNNNNN.vtp per cell population, and one .pvd time
// collection per series (lattice.pvd, fields.pvd, cells_<population>.pvd) with
// timestep = simulated day. Layout: docs/OUTPUT_LAYOUT.md.
//
// What is written comes from visit_state (bonesim/sim/state.hpp), so arrays and cell
// populations added to the state appear here without changes. Every file is written
// to a temporary name and renamed, so a killed run leaves whole files only. This
// header is free of VTK types; without BONESIM_WITH_VTK the writer throws OutputError.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bonesim/sim/state.hpp"

namespace bonesim {

// One cell-population column, viewed (not copied) for the duration of a write.
struct CellColumnView {
  std::string_view name;
  ArrayInfo info;
  std::variant<const std::vector<std::uint64_t>*, const std::vector<std::int32_t>*,
               const std::vector<std::uint8_t>*, const std::vector<float>*,
               const std::vector<double>*, const std::vector<std::array<double, 3>>*>
      values;
};

// Collects a population's columns through the visit_columns(pop, c) protocol.
struct CellColumnCollector {
  std::vector<CellColumnView> columns;
  template <class T>
  void column(std::string_view name, const std::vector<T>& values, const ArrayInfo& info) {
    columns.push_back({name, info, &values});
  }
};

class VtkSeriesWriter {
 public:
  // One time step of a series: the file (relative to the vtk directory) and its day.
  struct Entry {
    std::int64_t step = 0;
    double day = 0.0;
    std::string file;
    bool operator==(const Entry&) const = default;
  };

  // Writes below run_dir/vtk (created if missing; OutputError if it cannot be).
  // Starts with empty series: call scan() to continue the series already on disk.
  explicit VtkSeriesWriter(const std::filesystem::path& run_dir);

  // Writes the parts of the snapshot that `parts` selects at sim.step / sim.day,
  // then rewrites the .pvd of every series that gained a file. Writing a step that
  // a series already holds replaces that file and entry.
  void write(const Simulation& sim, SnapshotParts parts);

  // Writes one cell population (any type with visit_columns, see state.hpp): how
  // write() writes each population, and how tests drive a synthetic one.
  template <class P>
  void write_cells(std::string_view population, const P& pop, std::int64_t step, double day) {
    CellColumnCollector collector;
    visit_columns(pop, collector);
    write_cell_columns(population, collector.columns, step, day);
  }

  // Rebuilds the series from the .pvd files and data files in the vtk directory (for
  // --resume). Entries and files of steps after `last_step` are removed: the resumed
  // run writes them again. A data file that its .pvd does not list (a run killed
  // between the two renames) is read to recover its day.
  void scan(std::int64_t last_step = INT64_MAX);

  const std::filesystem::path& directory() const { return dir_; }

  // The entries of one series ("lattice", "fields", "cells_<population>"), by step.
  std::span<const Entry> series(std::string_view name) const;

 private:
  void write_cell_columns(std::string_view population, std::span<const CellColumnView> columns,
                          std::int64_t step, double day);
  // Adds (or replaces) an entry and rewrites <name>.pvd.
  void add_entry(const std::string& name, Entry entry);
  void write_pvd(const std::string& name) const;

  std::filesystem::path dir_;
  std::map<std::string, std::vector<Entry>, std::less<>> series_;
};

// "lattice_00000012.vti": a series' data file name for a step.
std::string vtk_file_name(std::string_view series, std::int64_t step, std::string_view extension);

}  // namespace bonesim
