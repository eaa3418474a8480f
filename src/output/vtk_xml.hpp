// The VTK side of VtkSeriesWriter (vtk_xml.cpp, built with BONESIM_WITH_VTK): writes
// and reads single VTK XML files from plain views of the state, so that the series
// logic (vtk_snapshot.cpp) stays free of VTK headers.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <variant>

#include "bonesim/core/grid.hpp"
#include "bonesim/output/vtk_snapshot.hpp"

namespace bonesim::vtk_xml {

struct VoxelArrayView {
  std::string_view name;
  ArrayInfo info;
  std::variant<const Field<float>*, const Field<std::uint8_t>*, const Field<std::int32_t>*> field;
};

// A state scalar (step, day, ...), stored as field data in every file.
struct ScalarView {
  std::string_view name;
  std::variant<std::int64_t, double> value;
};

// Voxels as cells: n + 1 points along each axis, point 0 at `origin_um`.
struct ImageGeometry {
  GridShape shape;
  double voxel_size_um = 1.0;
  std::array<double, 3> origin_um{};
};

// Image data with every array as cell data (appended raw binary, zlib), written to a
// temporary name, flushed and renamed over `path`. OutputError naming `path`.
void write_image(const std::filesystem::path& path, const ImageGeometry& geometry,
                 std::span<const VoxelArrayView> arrays, std::span<const ScalarView> scalars);

// Poly data: points = the "position_um" column, one vertex cell per point, every
// column as point data. Atomic like write_image.
void write_points(const std::filesystem::path& path, std::span<const CellColumnView> columns,
                  std::span<const ScalarView> scalars);

// The "day" field data of a .vti or .vtp written above; InputError naming `path`.
double read_day(const std::filesystem::path& path);

}  // namespace bonesim::vtk_xml
