// Reading a checkpoint back into a Simulation (`bonesim run --resume`).
//
// The reader walks visit_state like the writer does, so whatever a checkpoint holds
// is exactly what is restored; anything missing or of the wrong type or shape is an
// InputError naming the file and the dataset, never a silently default value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "bonesim/output/snapshot_info.hpp"
#include "bonesim/sim/state.hpp"

namespace bonesim {

class CheckpointReader {
 public:
  // Opens the file and reads its geometries (the lattice's; the fields' when it has a
  // /fields group). Throws InputError.
  explicit CheckpointReader(const std::filesystem::path& path);
  ~CheckpointReader();
  CheckpointReader(const CheckpointReader&) = delete;
  CheckpointReader& operator=(const CheckpointReader&) = delete;

  const SnapshotGeometry& geometry() const;         // the lattice's (root attributes)
  const SnapshotGeometry& fields_geometry() const;  // /fields attributes; zero without

  // The visit_state interface. Each voxel array has its part's grid in the file (the
  // fields' may be coarser): an empty Field takes it, an allocated one must have it.
  void scalar(std::string_view name, std::int64_t& value, const ArrayInfo& info);
  void scalar(std::string_view name, double& value, const ArrayInfo& info);
  template <VoxelElement T>
  void voxels(Part part, std::string_view name, Field<T>& f, const ArrayInfo& info);
  template <class P>
  void cells(std::string_view population, P& pop) {
    begin_population(population);
    ColumnSource source{*this};
    visit_columns(pop, source);
  }

  // One typed column of the current population, resized to the stored count.
  void column(std::string_view name, std::vector<std::uint64_t>& v, const ArrayInfo& info);
  void column(std::string_view name, std::vector<std::int32_t>& v, const ArrayInfo& info);
  void column(std::string_view name, std::vector<std::uint8_t>& v, const ArrayInfo& info);
  void column(std::string_view name, std::vector<float>& v, const ArrayInfo& info);
  void column(std::string_view name, std::vector<double>& v, const ArrayInfo& info);
  void column(std::string_view name, std::vector<std::array<double, 3>>& v, const ArrayInfo& info);

 private:
  struct ColumnSource {
    CheckpointReader& r;
    template <class T>
    void column(std::string_view name, std::vector<T>& v, const ArrayInfo& info) {
      r.column(name, v, info);
    }
  };
  void begin_population(std::string_view name);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Restores the whole state of `sim` from a checkpoint written by write_checkpoint_h5.
// If sim.lattice already has a grid, the file's grid must match it; otherwise the
// lattice takes the file's grid, voxel size and origin. Likewise each field array:
// allocated to the file's fields grid when empty, checked against it otherwise; and
// that grid must be the lattice's coarsened by the file's fields_coarsening. Throws InputError
// naming the file and dataset; `sim` may be partly overwritten when it throws.
void read_checkpoint_h5(const std::filesystem::path& path, Simulation& sim);

}  // namespace bonesim
