// What one snapshot file holds, as the run index and the XDMF writer need it: time,
// geometry, parts, and the name and type of every array (docs/OUTPUT_LAYOUT.md).
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bonesim/sim/state.hpp"

namespace bonesim {

enum class ElementType { kUint8, kInt32, kUint64, kFloat32, kFloat64 };

// "uint8", "int32", "uint64", "float32", "float64".
const char* element_type_name(ElementType t);
std::size_t element_size(ElementType t);

// The element types of voxel arrays (Field<T>) that snapshots, checkpoints, XDMF and
// VTK files hold.
template <class T>
concept VoxelElement =
    std::same_as<T, float> || std::same_as<T, std::uint8_t> || std::same_as<T, std::int32_t>;

// Voxel geometry of a snapshot: the lattice's in the root attributes grid_size,
// voxel_size_um, origin_um; the fields' in the same attributes of the /fields group.
struct SnapshotGeometry {
  std::array<int, 3> grid_size{};     // nx ny nz
  double voxel_size_um = 0.0;         // edge of a cubic voxel
  std::array<double, 3> origin_um{};  // lower corner of voxel (0, 0, 0), x y z
  bool operator==(const SnapshotGeometry&) const = default;
};

// A voxel array (/lattice/<name> or /fields/<name>) or a cell column.
struct ArrayEntry {
  std::string name;
  ElementType type = ElementType::kFloat32;
  int components = 1;  // 3 for [n][3] cell columns (positions, vectors)
  bool operator==(const ArrayEntry&) const = default;
};

struct PopulationEntry {
  std::string name;
  std::int64_t count = 0;
  std::vector<ArrayEntry> columns;
  bool operator==(const PopulationEntry&) const = default;
};

struct SnapshotInfo {
  std::string file;  // relative to the run directory, e.g. "snapshots/step_00000010.h5"
  std::int64_t step = 0;
  double day = 0.0;
  SnapshotParts parts;
  SnapshotGeometry geometry;                // of the lattice (root attributes)
  SnapshotGeometry fields_geometry;         // of the /fields arrays; all zero without a fields part
  std::vector<ArrayEntry> lattice, fields;  // in visit_state order
  std::vector<PopulationEntry> populations;
  bool operator==(const SnapshotInfo&) const = default;
};

// Geometry of a lattice as written to a snapshot's root attributes.
SnapshotGeometry geometry_of(const BoneLattice& lattice);

// Geometry of the signalling fields (/fields group attributes): the lattice's grid
// coarsened by c = sim.fields.coarsening, i.e. field_shape() (fields/signalling.hpp):
// ceil(n / c) voxels of c h along each axis, from the lattice's origin.
SnapshotGeometry fields_geometry_of(const Simulation& sim);

// "snapshots/step_00000042.h5" style name: prefix + "step_" + 8-digit step + ".h5".
std::string step_file_name(std::int64_t step);

// Reads the description of a snapshot or checkpoint file (`file` is left empty).
// Throws InputError naming the file if it is not one of ours.
SnapshotInfo read_snapshot_info(const std::filesystem::path& path);

}  // namespace bonesim
