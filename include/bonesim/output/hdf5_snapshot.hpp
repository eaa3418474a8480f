// Snapshot and checkpoint files: HDF5, layout in docs/OUTPUT_LAYOUT.md.
//
// The writer is a visitor over visit_state (sim/state.hpp), so every quantity added
// to the state appears in snapshots and checkpoints without touching this file.
// Files are written to `path + ".tmp.<pid>"` and renamed over `path`, so a reader
// (or a crash) only ever sees the old file or the complete new one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "bonesim/output/snapshot_info.hpp"
#include "bonesim/sim/state.hpp"

namespace bonesim {

struct SnapshotOptions {
  // 0 = uncompressed (default: fastest, never stalls the run); 1..9 = shuffle +
  // deflate at that level, compressed chunk by chunk on all worker threads.
  int deflate_level = 0;
  // fsync the file before renaming it: survives power loss, not only a killed process.
  bool sync = false;
};

// Writes one snapshot file. Generic over populations: cells() lists a population's
// columns through visit_columns(pop, c) (sim/state.hpp), so tests and benchmarks can
// write synthetic populations without a Simulation that has them.
class SnapshotWriter {
 public:
  // Creates the temporary file and writes the root attributes (`geometry`, the
  // lattice's) and, with a fields part, the /fields group's (`fields_geometry`: the grid
  // of the field arrays, fields_geometry_of(sim)). Throws OutputError.
  SnapshotWriter(const std::filesystem::path& path, const SnapshotGeometry& geometry,
                 const SnapshotGeometry& fields_geometry, SnapshotParts parts,
                 const SnapshotOptions& options = {});
  ~SnapshotWriter();  // removes the temporary file unless commit() succeeded
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // The visit_state interface. Voxel arrays of parts not requested are skipped; the
  // others must have their part's grid (std::invalid_argument otherwise).
  void scalar(std::string_view name, const std::int64_t& value, const ArrayInfo& info);
  void scalar(std::string_view name, const double& value, const ArrayInfo& info);
  template <VoxelElement T>
  void voxels(Part part, std::string_view name, const Field<T>& f, const ArrayInfo& info);
  template <class P>
  void cells(std::string_view population, const P& pop) {
    if (!begin_population(population)) return;
    ColumnSink sink{*this};
    visit_columns(pop, sink);
    end_population();
  }

  // Closes the file (optionally fsyncs it) and renames it over the final path.
  // Returns what was written (SnapshotInfo::file = the file name). Throws OutputError.
  SnapshotInfo commit();

  // One typed column of the current population (the non-template end of cells()).
  void column(std::string_view name, const std::vector<std::uint64_t>& v, const ArrayInfo& info);
  void column(std::string_view name, const std::vector<std::int32_t>& v, const ArrayInfo& info);
  void column(std::string_view name, const std::vector<std::uint8_t>& v, const ArrayInfo& info);
  void column(std::string_view name, const std::vector<float>& v, const ArrayInfo& info);
  void column(std::string_view name, const std::vector<double>& v, const ArrayInfo& info);
  void column(std::string_view name, const std::vector<std::array<double, 3>>& v,
              const ArrayInfo& info);

 private:
  struct ColumnSink {
    SnapshotWriter& w;
    template <class T>
    void column(std::string_view name, const std::vector<T>& v, const ArrayInfo& info) {
      w.column(name, v, info);
    }
  };
  bool begin_population(std::string_view name);
  void end_population();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A snapshot with the requested parts of `sim` (scalars always). Throws OutputError
// naming the file; the previous file at `path`, if any, is left intact on failure.
SnapshotInfo write_snapshot_h5(const std::filesystem::path& path, const Simulation& sim,
                               SnapshotParts parts, const SnapshotOptions& options = {});

// The whole state (every part), uncompressed, fsynced before the rename.
SnapshotInfo write_checkpoint_h5(const std::filesystem::path& path, const Simulation& sim);

}  // namespace bonesim
