#include "bonesim/output/hdf5_checkpoint_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <sstream>

#include "bonesim/core/error.hpp"
#include "bonesim/core/parallel.hpp"
#include "hdf5_util.hpp"

namespace bonesim {

namespace {

using h5::Handle;

std::string dims_text(const std::vector<hsize_t>& d) {
  std::ostringstream s;
  s << '[';
  for (std::size_t i = 0; i < d.size(); ++i) s << (i ? " x " : "") << d[i];
  return s.str() + ']';
}

}  // namespace

struct CheckpointReader::Impl {
  std::filesystem::path path;
  Handle file, population;
  std::string population_name;
  std::int64_t count = 0;
  SnapshotGeometry geometry, fields_geometry;

  [[noreturn]] void fail(const std::string& object, const std::string& what) const {
    throw InputError(path.string() + ":" + object + ": " + what);
  }

  // Opens `object` and checks that it is a dataset of `type` and exactly `dims`.
  Handle open_checked(hid_t group, const std::string& name, const std::string& object,
                      ElementType type, const std::vector<hsize_t>& dims) const {
    if (!h5::has_link(group, name)) fail(object, "dataset missing");
    Handle d(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.valid()) fail(object, "not a dataset");
    Handle ftype(H5Dget_type(d.get()), H5Tclose);
    ElementType found{};
    if (!h5::element_type_of(ftype.get(), found) || found != type) {
      fail(object, std::string("wrong element type, expected ") + element_type_name(type));
    }
    Handle space(H5Dget_space(d.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> got(std::size_t(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space.get(), got.data(), nullptr);
    if (got != dims) fail(object, "shape " + dims_text(got) + ", expected " + dims_text(dims));
    return d;
  }

  void read(const Handle& d, ElementType type, void* out, const std::string& object) const {
    if (H5Dread(d.get(), h5::native_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
      fail(object, "cannot read: " + h5::last_error_reason());
    }
  }

  template <class T>
  void voxel_array(Part part, std::string_view name, Field<T>& f, ElementType type) {
    const bool is_lattice = part == Part::kLattice;
    const std::string group = is_lattice ? "lattice" : "fields";
    const std::string object = "/" + group + "/" + std::string(name);
    if (!h5::has_link(file.get(), group)) fail("/" + group, "group missing");
    Handle g = h5::open_group(file.get(), group);
    // Each part on its own grid: the fields' may be coarser than the lattice's.
    const auto& n = (is_lattice ? geometry : fields_geometry).grid_size;
    if (n[0] <= 0 || n[1] <= 0 || n[2] <= 0) fail("/" + group, "grid_size must be positive");
    Handle d = open_checked(g.get(), std::string(name), object, type,
                            {hsize_t(n[2]), hsize_t(n[1]), hsize_t(n[0])});
    // An empty array takes the file's grid; one already allocated must have it.
    if (f.shape.voxel_count() > 0 &&
        (f.shape.nx != n[0] || f.shape.ny != n[1] || f.shape.nz != n[2])) {
      fail(object,
           fmt::format("grid {} x {} x {}, expected {} x {} x {} (the run's {})", n[0], n[1], n[2],
                       f.shape.nx, f.shape.ny, f.shape.nz, is_lattice ? "lattice" : "fields"));
    }
    const auto voxels = std::size_t(n[0]) * std::size_t(n[1]) * std::size_t(n[2]);
    std::vector<T> flat(voxels);
    read(d, type, flat.data(), object);
    const GridShape s = GridShape::make(n[0], n[1], n[2]);
    if (!(f.shape == s)) f = Field<T>(s);
    // Rows are padded in memory (core/grid.hpp), not in the file.
    for_each_row(s, [&](int j, int k) {
      std::memcpy(f.row(j, k), flat.data() + (std::size_t(k) * s.ny + j) * std::size_t(s.nx),
                  sizeof(T) * std::size_t(s.nx));
    });
  }

  template <class T>
  void cell_column(std::string_view name, std::vector<T>& v, ElementType type, int components) {
    const std::string object = "/cells/" + population_name + "/" + std::string(name);
    std::vector<hsize_t> dims{hsize_t(count)};
    if (components > 1) dims.push_back(hsize_t(components));
    Handle d = open_checked(population.get(), std::string(name), object, type, dims);
    v.resize(std::size_t(count));
    if (count > 0) read(d, type, v.data(), object);
  }
};

CheckpointReader::CheckpointReader(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>()) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  m.path = path;
  m.file = h5::open_for_reading(path);
  auto& g = m.geometry;
  if (!h5::read_geometry(m.file.get(), g)) {
    m.fail("/", "root attributes grid_size, voxel_size_um, origin_um expected");
  }
  if (g.grid_size[0] <= 0 || g.grid_size[1] <= 0 || g.grid_size[2] <= 0) {
    m.fail("/", "grid_size must be positive");
  }
  // A snapshot without fields has no /fields group: its absence is reported when a
  // field is read.
  if (h5::has_link(m.file.get(), "fields")) {
    Handle fg = h5::open_group(m.file.get(), "fields");
    if (!fg.valid() || !h5::read_geometry(fg.get(), m.fields_geometry)) {
      m.fail("/fields", "attributes grid_size, voxel_size_um, origin_um expected");
    }
  }
}

CheckpointReader::~CheckpointReader() {
  h5::QuietErrors quiet;
  impl_.reset();
}

const SnapshotGeometry& CheckpointReader::geometry() const {
  return impl_->geometry;
}

const SnapshotGeometry& CheckpointReader::fields_geometry() const {
  return impl_->fields_geometry;
}

void CheckpointReader::scalar(std::string_view name, std::int64_t& value, const ArrayInfo&) {
  h5::QuietErrors quiet;
  if (!h5::read_attr(impl_->file.get(), std::string(name).c_str(), value)) {
    impl_->fail("/", "attribute " + std::string(name) + " missing or not an integer");
  }
}

void CheckpointReader::scalar(std::string_view name, double& value, const ArrayInfo&) {
  h5::QuietErrors quiet;
  if (!h5::read_attr(impl_->file.get(), std::string(name).c_str(), value)) {
    impl_->fail("/", "attribute " + std::string(name) + " missing or not a number");
  }
}

template <VoxelElement T>
void CheckpointReader::voxels(Part part, std::string_view name, Field<T>& f, const ArrayInfo&) {
  h5::QuietErrors quiet;
  impl_->voxel_array(part, name, f, h5::element_type<T>());
}
template void CheckpointReader::voxels(Part, std::string_view, Field<float>&, const ArrayInfo&);
template void CheckpointReader::voxels(Part, std::string_view, Field<std::uint8_t>&,
                                       const ArrayInfo&);
template void CheckpointReader::voxels(Part, std::string_view, Field<std::int32_t>&,
                                       const ArrayInfo&);

void CheckpointReader::begin_population(std::string_view name) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  m.population_name = std::string(name);
  const std::string object = "/cells/" + m.population_name;
  if (!h5::has_link(m.file.get(), "cells") ||
      !h5::has_link(m.file.get(), "cells/" + m.population_name)) {
    m.fail(object, "group missing");
  }
  m.population = h5::open_group(m.file.get(), "cells/" + m.population_name);
  if (!m.population.valid()) m.fail(object, "not a group");
  if (!h5::read_attr(m.population.get(), "count", m.count) || m.count < 0) {
    m.fail(object, "attribute count missing or negative");
  }
}

void CheckpointReader::column(std::string_view name, std::vector<std::uint64_t>& v,
                              const ArrayInfo&) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kUint64, 1);
}
void CheckpointReader::column(std::string_view name, std::vector<std::int32_t>& v,
                              const ArrayInfo&) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kInt32, 1);
}
void CheckpointReader::column(std::string_view name, std::vector<std::uint8_t>& v,
                              const ArrayInfo&) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kUint8, 1);
}
void CheckpointReader::column(std::string_view name, std::vector<float>& v, const ArrayInfo&) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kFloat32, 1);
}
void CheckpointReader::column(std::string_view name, std::vector<double>& v, const ArrayInfo&) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kFloat64, 1);
}
void CheckpointReader::column(std::string_view name, std::vector<std::array<double, 3>>& v,
                              const ArrayInfo&) {
  h5::QuietErrors quiet;
  impl_->cell_column(name, v, ElementType::kFloat64, 3);
}

void read_checkpoint_h5(const std::filesystem::path& path, Simulation& sim) {
  CheckpointReader r(path);
  const SnapshotGeometry& g = r.geometry();
  BoneLattice& l = sim.lattice;
  if (l.shape.nx > 0 && (l.shape.nx != g.grid_size[0] || l.shape.ny != g.grid_size[1] ||
                         l.shape.nz != g.grid_size[2])) {
    std::ostringstream msg;
    msg << path.string() << ": grid " << g.grid_size[0] << " x " << g.grid_size[1] << " x "
        << g.grid_size[2] << ", expected " << l.shape.nx << " x " << l.shape.ny << " x "
        << l.shape.nz << " (the run's lattice)";
    throw InputError(msg.str());
  }
  l.shape = GridShape::make(g.grid_size[0], g.grid_size[1], g.grid_size[2]);
  l.voxel_size_um = g.voxel_size_um;
  l.origin_um = g.origin_um;
  visit_state(sim, r);
  // The fields' grid must be the lattice's coarsened by fields_coarsening, as the model
  // assumes (SignallingFields::coarsening).
  const SnapshotGeometry want = fields_geometry_of(sim);
  const SnapshotGeometry& got = r.fields_geometry();
  if (got != want) {
    throw InputError(fmt::format(
        "{}:/fields: grid {} x {} x {} of {} um voxels from ({}), expected {} x {} x {} of {} um "
        "from ({}) (the lattice coarsened by fields_coarsening {})",
        path.string(), got.grid_size[0], got.grid_size[1], got.grid_size[2], got.voxel_size_um,
        fmt::join(got.origin_um, ", "), want.grid_size[0], want.grid_size[1], want.grid_size[2],
        want.voxel_size_um, fmt::join(want.origin_um, ", "), sim.fields.coarsening));
  }
}

}  // namespace bonesim
