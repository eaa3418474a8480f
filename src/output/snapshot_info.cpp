#include "bonesim/output/snapshot_info.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "bonesim/core/error.hpp"
#include "hdf5_util.hpp"

namespace bonesim {

namespace {

using h5::Handle;

struct Names {
  std::vector<std::string> names;
};

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<Names*>(data)->names.emplace_back(name);
  return 0;
}

// Link names of a group in creation order (visit_state order), or by name for groups
// written by other programs.
std::vector<std::string> children(hid_t group) {
  Names n;
  hsize_t idx = 0;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_name, &n) < 0) {
    n.names.clear();
    idx = 0;
    H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &n);
  }
  return n.names;
}

ArrayEntry describe(hid_t group, const std::string& name, const std::string& where) {
  Handle d(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.valid()) throw InputError(where + ": not a dataset");
  Handle type(H5Dget_type(d.get()), H5Tclose);
  Handle space(H5Dget_space(d.get()), H5Sclose);
  ArrayEntry e;
  e.name = name;
  if (!h5::element_type_of(type.get(), e.type)) {
    throw InputError(where + ": unsupported element type");
  }
  const int rank = H5Sget_simple_extent_ndims(space.get());
  hsize_t dims[3] = {};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  e.components = rank == 2 ? int(dims[1]) : 1;
  return e;
}

std::vector<ArrayEntry> describe_group(hid_t file, const char* group, const std::string& where) {
  std::vector<ArrayEntry> out;
  if (!h5::has_link(file, group)) return out;
  Handle g = h5::open_group(file, group);
  for (const std::string& name : children(g.get())) {
    out.push_back(describe(g.get(), name, where + ":/" + group + "/" + name));
  }
  return out;
}

}  // namespace

const char* element_type_name(ElementType t) {
  switch (t) {
    case ElementType::kUint8:
      return "uint8";
    case ElementType::kInt32:
      return "int32";
    case ElementType::kUint64:
      return "uint64";
    case ElementType::kFloat32:
      return "float32";
    case ElementType::kFloat64:
      return "float64";
  }
  return "?";
}

std::size_t element_size(ElementType t) {
  switch (t) {
    case ElementType::kUint8:
      return 1;
    case ElementType::kInt32:
    case ElementType::kFloat32:
      return 4;
    case ElementType::kUint64:
    case ElementType::kFloat64:
      return 8;
  }
  return 0;
}

SnapshotGeometry geometry_of(const BoneLattice& lattice) {
  return {{lattice.shape.nx, lattice.shape.ny, lattice.shape.nz},
          lattice.voxel_size_um,
          lattice.origin_um};
}

SnapshotGeometry fields_geometry_of(const Simulation& sim) {
  const BoneLattice& l = sim.lattice;
  const std::int64_t c = sim.fields.coarsening;
  if (c < 1) {
    throw std::invalid_argument(fmt::format("fields coarsening {}, must be at least 1", c));
  }
  // field_shape() without its GridShape, which an empty lattice (size 0) could not make.
  auto coarse = [c](int n) { return int((std::int64_t(n) + c - 1) / c); };
  return {{coarse(l.shape.nx), coarse(l.shape.ny), coarse(l.shape.nz)},
          double(c) * l.voxel_size_um,
          l.origin_um};
}

std::string step_file_name(std::int64_t step) {
  return fmt::format("step_{:08d}.h5", step);
}

SnapshotInfo read_snapshot_info(const std::filesystem::path& path) {
  h5::QuietErrors quiet;
  const std::string where = path.string();
  Handle f = h5::open_for_reading(path);
  const hid_t root = f.get();
  SnapshotInfo s;
  std::uint8_t lattice = 0, fields = 0, cells = 0;
  const bool ok = h5::read_attr(root, "step", s.step) && h5::read_attr(root, "day", s.day) &&
                  h5::read_geometry(root, s.geometry) && h5::read_attr(root, "lattice", lattice) &&
                  h5::read_attr(root, "fields", fields) && h5::read_attr(root, "cells", cells);
  if (!ok) {
    throw InputError(where +
                     ": not a bonesim snapshot (root attributes step, day, grid_size, "
                     "voxel_size_um, origin_um, lattice, fields, cells expected)");
  }
  s.parts = {lattice != 0, fields != 0, cells != 0};
  s.lattice = describe_group(root, "lattice", where);
  s.fields = describe_group(root, "fields", where);
  if (h5::has_link(root, "fields")) {
    Handle g = h5::open_group(root, "fields");
    // Files from before the fields had a grid of their own: the lattice's.
    const bool own = H5Aexists(g.get(), "grid_size") > 0;
    if (!own) {
      s.fields_geometry = s.geometry;
    } else if (!h5::read_geometry(g.get(), s.fields_geometry)) {
      throw InputError(where + ":/fields: attributes grid_size, voxel_size_um, origin_um expected");
    }
  }
  if (h5::has_link(root, "cells")) {
    Handle g = h5::open_group(root, "cells");
    for (const std::string& pop : children(g.get())) {
      Handle pg = h5::open_group(g.get(), pop);
      PopulationEntry p;
      p.name = pop;
      if (!h5::read_attr(pg.get(), "count", p.count)) {
        throw InputError(where + ":/cells/" + pop + ": attribute count missing");
      }
      for (const std::string& col : children(pg.get())) {
        p.columns.push_back(describe(pg.get(), col, where + ":/cells/" + pop + "/" + col));
      }
      s.populations.push_back(std::move(p));
    }
  }
  return s;
}

}  // namespace bonesim
