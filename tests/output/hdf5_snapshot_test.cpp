#include "bonesim/output/hdf5_snapshot.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "bonesim/core/error.hpp"
#include "bonesim/output/hdf5_checkpoint_reader.hpp"
#include "bonesim/output/run_xdmf.hpp"
#include "output/synthetic_cells.hpp"
#include "support/error_of.hpp"
#include "support/file_size_limit.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace bonesim {
namespace {

using testing_support::error_of;
using testing_support::make_synthetic_cells;
using testing_support::SyntheticCells;
using testing_support::TempDir;

// A 13 x 7 x 5 lattice (padded rows: sx > nx) with a distinct value in every voxel,
// including values that only survive a bit-exact round trip. The fields are on the
// lattice's grid coarsened by `coarsening` (2: 7 x 4 x 3, the last layer half outside).
Simulation make_sim(int coarsening = 2) {
  Config cfg;
  cfg.fields.grid_coarsening = coarsening;
  Simulation sim = make_simulation(make_lattice(13, 7, 5, 17.5), cfg);
  sim.lattice.origin_um = {-100.0, 5.5, 0.25};
  sim.step = 42;
  sim.day = 0.1 + 0.2;
  auto& l = sim.lattice;
  for (int k = 0; k < 5; ++k) {
    for (int j = 0; j < 7; ++j) {
      for (int i = 0; i < 13; ++i) {
        const float v = float(i + 13 * (j + 7 * k)) / 455.0f;
        l.bone(i, j, k) = v;
        l.osteoid(i, j, k) = std::nextafter(v, 2.0f);
        l.day_last_resorbed(i, j, k) = (i + j) % 3 == 0 ? kNever : 0.1f * float(k);
        l.day_last_formed(i, j, k) = float(i) * 1e-7f;
        l.bone_at_day0(i, j, k) = std::uint8_t((i * j + k) % 2);
      }
    }
  }
  auto& f = sim.fields;
  const GridShape& g = f.rankl.shape;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        const float v = float(i + g.nx * (j + g.ny * k)) / 455.0f;
        f.rankl(i, j, k) = std::nextafter(v, -1.0f);
        f.opg(i, j, k) = 3.0f * v;
        f.rankl_opg(i, j, k) = v + 1e-6f;
        f.drug(i, j, k) = float(k);
        f.rankl_drug(i, j, k) = float(j);
        f.rankl_rank(i, j, k) = float(i) * 1e-7f;
        f.coupling(i, j, k) = 1e-30f * float(i + j);
        sim.mechanics.sed_MPa(i, j, k) = 1e-3f * float(i * j + k);
        sim.mechanics.strain(i, j, k) = std::nextafter(1e-4f * float(k), 1.0f);
        sim.mechanics.cases[0].displacement_um[2](i, j, k) = -0.25f * float(k) + 1e-3f * float(i);
      }
    }
  }
  sim.mechanics.solved_day = 0.25;
  sim.mechanics.bone_at_solve_um3 = 1.0 / 3.0;
  sim.mechanics.cases[0].apparent_modulus_MPa = 812.5;
  return sim;
}

template <class T>
void expect_same_voxels(const Field<T>& a, const Field<T>& b, const char* name) {
  ASSERT_EQ(a.shape.nx, b.shape.nx);
  ASSERT_EQ(a.shape.ny, b.shape.ny);
  ASSERT_EQ(a.shape.nz, b.shape.nz);
  int diffs = 0;
  for (int k = 0; k < a.shape.nz; ++k) {
    for (int j = 0; j < a.shape.ny; ++j) {
      diffs += std::memcmp(a.row(j, k), b.row(j, k), sizeof(T) * std::size_t(a.shape.nx)) != 0;
    }
  }
  EXPECT_EQ(diffs, 0) << name;
}

void expect_same_state(const Simulation& a, const Simulation& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(std::memcmp(&a.day, &b.day, sizeof(double)), 0);
  EXPECT_EQ(a.lattice.voxel_size_um, b.lattice.voxel_size_um);
  EXPECT_EQ(a.lattice.origin_um, b.lattice.origin_um);
  expect_same_voxels(a.lattice.bone, b.lattice.bone, "bone");
  expect_same_voxels(a.lattice.osteoid, b.lattice.osteoid, "osteoid");
  expect_same_voxels(a.lattice.day_last_resorbed, b.lattice.day_last_resorbed, "resorbed");
  expect_same_voxels(a.lattice.day_last_formed, b.lattice.day_last_formed, "formed");
  expect_same_voxels(a.lattice.bone_at_day0, b.lattice.bone_at_day0, "bone_at_day0");
  EXPECT_EQ(a.fields.coarsening, b.fields.coarsening);
  expect_same_voxels(a.fields.rankl, b.fields.rankl, "rankl");
  expect_same_voxels(a.fields.opg, b.fields.opg, "opg");
  expect_same_voxels(a.fields.rankl_opg, b.fields.rankl_opg, "rankl_opg");
  expect_same_voxels(a.fields.drug, b.fields.drug, "drug");
  expect_same_voxels(a.fields.rankl_drug, b.fields.rankl_drug, "rankl_drug");
  expect_same_voxels(a.fields.rankl_rank, b.fields.rankl_rank, "rankl_rank");
  expect_same_voxels(a.mechanics.sed_MPa, b.mechanics.sed_MPa, "sed");
  expect_same_voxels(a.mechanics.strain, b.mechanics.strain, "strain");
  expect_same_voxels(a.mechanics.cases[0].displacement_um[2],
                     b.mechanics.cases[0].displacement_um[2], "displacement_z");
  expect_same_voxels(a.fields.coupling, b.fields.coupling, "coupling");
  EXPECT_EQ(a.fields.pth_pM, b.fields.pth_pM);
}

// Fields on the lattice's grid (coarsening 1) and on a coarser one (2) of an odd-sized
// lattice, whose last field layer reaches beyond the lattice.
class CheckpointRoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(CheckpointRoundTrip, IsBitIdenticalOnAPaddedGrid) {
  TempDir d;
  const int c = GetParam();
  const Simulation sim = make_sim(c);
  ASSERT_GT(sim.lattice.shape.sx, sim.lattice.shape.nx);  // the padding is exercised
  const GridShape& fg = sim.fields.rankl.shape;
  EXPECT_EQ((std::array<int, 3>{fg.nx, fg.ny, fg.nz}),
            c == 1 ? (std::array<int, 3>{13, 7, 5}) : (std::array<int, 3>{7, 4, 3}));
  const SnapshotInfo info = write_checkpoint_h5(d.file("c.h5"), sim);
  EXPECT_EQ(info.step, 42);
  EXPECT_EQ(info.lattice.size(), 10u);
  EXPECT_EQ(info.fields.size(), 12u);  // 7 signalling + SED, strain, displacement
  EXPECT_EQ(info.fields_geometry, fields_geometry_of(sim));

  Simulation fresh;  // no grid yet: takes the file's, the fields theirs
  read_checkpoint_h5(d.file("c.h5"), fresh);
  expect_same_state(sim, fresh);

  Simulation same_grid = make_sim(c);  // grids already there must match; overwritten
  same_grid.step = 0;
  same_grid.lattice.bone(3, 2, 1) = 7.0f;
  same_grid.fields.rankl(1, 2, 1) = 7.0f;
  read_checkpoint_h5(d.file("c.h5"), same_grid);
  expect_same_state(sim, same_grid);
}

INSTANTIATE_TEST_SUITE_P(Coarsening, CheckpointRoundTrip, ::testing::Values(1, 2));

TEST(Hdf5Snapshot, DescriptionMatchesTheFile) {
  TempDir d;
  const Simulation sim = make_sim();
  SnapshotInfo written = write_snapshot_h5(d.file("s.h5"), sim, {true, false, false});
  SnapshotInfo read = read_snapshot_info(d.file("s.h5"));
  written.file.clear();
  EXPECT_EQ(written, read);
  EXPECT_EQ(read.geometry.grid_size, (std::array<int, 3>{13, 7, 5}));
  EXPECT_EQ(read.geometry.origin_um, sim.lattice.origin_um);
  ASSERT_EQ(read.lattice.size(), 10u);
  EXPECT_EQ(read.lattice[0].name, "bone");
  EXPECT_EQ(read.lattice[6].type, ElementType::kUint8);  // bone_at_day0
  EXPECT_TRUE(read.fields.empty());
  EXPECT_EQ(read.fields_geometry, SnapshotGeometry{});  // no fields part
}

TEST(Hdf5Snapshot, DescriptionHasBothGeometries) {
  TempDir d;
  const Simulation sim = make_sim(2);
  SnapshotInfo written = write_snapshot_h5(d.file("s.h5"), sim, {true, true, false});
  SnapshotInfo read = read_snapshot_info(d.file("s.h5"));
  written.file.clear();
  EXPECT_EQ(written, read);
  EXPECT_EQ(read.geometry,
            (SnapshotGeometry{{13, 7, 5}, 17.5, sim.lattice.origin_um}));  // the lattice's
  EXPECT_EQ(read.fields_geometry, (SnapshotGeometry{{7, 4, 3}, 35.0, sim.lattice.origin_um}));
  ASSERT_EQ(read.fields.size(), 12u);
  EXPECT_EQ(read.fields[0].name, "rankl");

  // The attributes a reader of /fields needs, and the coarsening as a root attribute.
  hid_t f = H5Fopen(d.file("s.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t g = H5Gopen2(f, "/fields", H5P_DEFAULT);
  int n[3] = {};
  double h = 0, origin[3] = {};
  hid_t a = H5Aopen(g, "grid_size", H5P_DEFAULT);
  EXPECT_GE(H5Aread(a, H5T_NATIVE_INT, n), 0);
  H5Aclose(a);
  a = H5Aopen(g, "voxel_size_um", H5P_DEFAULT);
  EXPECT_GE(H5Aread(a, H5T_NATIVE_DOUBLE, &h), 0);
  H5Aclose(a);
  a = H5Aopen(g, "origin_um", H5P_DEFAULT);
  EXPECT_GE(H5Aread(a, H5T_NATIVE_DOUBLE, origin), 0);
  H5Aclose(a);
  std::int64_t c = 0;
  a = H5Aopen(f, "fields_coarsening", H5P_DEFAULT);
  EXPECT_GE(H5Aread(a, H5T_NATIVE_INT64, &c), 0);
  H5Aclose(a);
  hid_t ds = H5Dopen2(f, "/fields/rankl", H5P_DEFAULT);
  hid_t space = H5Dget_space(ds);
  hsize_t dims[3] = {};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  H5Dclose(ds);
  H5Gclose(g);
  H5Fclose(f);
  EXPECT_EQ((std::array<int, 3>{n[0], n[1], n[2]}), (std::array<int, 3>{7, 4, 3}));
  EXPECT_EQ(h, 35.0);
  EXPECT_EQ((std::array<double, 3>{origin[0], origin[1], origin[2]}), sim.lattice.origin_um);
  EXPECT_EQ(c, 2);
  EXPECT_EQ((std::array<hsize_t, 3>{dims[0], dims[1], dims[2]}), (std::array<hsize_t, 3>{3, 4, 7}));

  // run.xdmf shows the fields on a second grid of their own: 8 x 5 x 4 nodes (Z Y X),
  // spacing 2 h, the lattice's origin.
  read.file = "snapshots/step_00000042.h5";
  const std::string x = run_xdmf({read});
  EXPECT_NE(x.find("<Grid Name=\"lattice\" GridType=\"Uniform\">\n"
                   "        <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"6 8 14\"/>"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<Grid Name=\"fields\" GridType=\"Uniform\">\n"
                   "        <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"4 5 8\"/>\n"
                   "        <Geometry GeometryType=\"ORIGIN_DXDYDZ\">\n"
                   "          <DataItem Name=\"Origin\" Dimensions=\"3\" NumberType=\"Float\" "
                   "Precision=\"8\" Format=\"XML\">0.25 5.5 -100</DataItem>\n"
                   "          <DataItem Name=\"Spacing\" Dimensions=\"3\" NumberType=\"Float\" "
                   "Precision=\"8\" Format=\"XML\">35 35 35</DataItem>"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<DataItem Dimensions=\"3 4 7\" NumberType=\"Float\" Precision=\"4\" "
                   "Format=\"HDF\">snapshots/step_00000042.h5:/fields/rankl</DataItem>"),
            std::string::npos)
      << x;
  // The lattice grid holds the lattice arrays only.
  const std::string lattice_grid =
      x.substr(x.find("Name=\"lattice\""), x.find("Name=\"fields\"") - x.find("Name=\"lattice\""));
  EXPECT_EQ(lattice_grid.find("/fields/"), std::string::npos) << x;
}

// A run whose fields are on another grid than the checkpoint's: the first field array
// names both grids. A /fields geometry that is not the lattice's coarsened: named too.
TEST(Hdf5Snapshot, FieldsOnAnotherGridAreNamed) {
  TempDir d;
  const std::string path = d.file("c.h5");
  write_checkpoint_h5(path, make_sim(2));
  Simulation fine = make_sim(1);
  EXPECT_EQ(error_of([&] { read_checkpoint_h5(path, fine); }),
            path + ":/fields/rankl: grid 7 x 4 x 3, expected 13 x 7 x 5 (the run's fields)");
  {
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t g = H5Gopen2(f, "/fields", H5P_DEFAULT);
    hid_t a = H5Aopen(g, "voxel_size_um", H5P_DEFAULT);
    const double h = 30.0;
    H5Awrite(a, H5T_NATIVE_DOUBLE, &h);
    H5Aclose(a);
    H5Gclose(g);
    H5Fclose(f);
  }
  Simulation back;
  EXPECT_EQ(error_of([&] { read_checkpoint_h5(path, back); }),
            path +
                ":/fields: grid 7 x 4 x 3 of 30 um voxels from (-100, 5.5, 0.25), expected "
                "7 x 4 x 3 of 35 um from (-100, 5.5, 0.25) (the lattice coarsened by "
                "fields_coarsening 2)");
}

TEST(Hdf5Snapshot, PartsNotRequestedAreNotWritten) {
  TempDir d;
  const Simulation sim = make_sim();
  const SnapshotInfo info = write_snapshot_h5(d.file("s.h5"), sim, {false, false, true});
  EXPECT_TRUE(info.lattice.empty());
  const SnapshotInfo read = read_snapshot_info(d.file("s.h5"));
  EXPECT_TRUE(read.lattice.empty());
  EXPECT_EQ(read.parts, (SnapshotParts{false, false, true}));
  EXPECT_EQ(read.day, sim.day);
  // A cells-only snapshot is no checkpoint: reading it as one names what is missing.
  Simulation back;
  {
    const std::string what = error_of([&] { read_checkpoint_h5(d.file("s.h5"), back); });
    EXPECT_NE(what.find(d.file("s.h5") + ":/lattice: group missing"), std::string::npos) << what;
  }
}

// An int32 voxel array (the model has none yet) with negative values and odd values
// above 2^24, which a detour through float would change.
Field<std::int32_t> make_int32_voxels(const GridShape& s) {
  Field<std::int32_t> f(s);
  for (int k = 0; k < s.nz; ++k) {
    for (int j = 0; j < s.ny; ++j) {
      for (int i = 0; i < s.nx; ++i) {
        const std::int32_t v = (1 << 24) + 1 + 2 * (i + s.nx * (j + s.ny * k));
        f(i, j, k) = (i + j + k) % 2 ? -v : v;
      }
    }
  }
  f(0, 0, 0) = std::numeric_limits<std::int32_t>::min();
  f(s.nx - 1, s.ny - 1, s.nz - 1) = std::numeric_limits<std::int32_t>::max();
  return f;
}

TEST(Hdf5Snapshot, Int32VoxelsRoundTripExactlyAndShowInXdmf) {
  TempDir d;
  const Simulation sim = make_sim();
  const Field<std::int32_t> events = make_int32_voxels(sim.lattice.shape);
  for (int level : {0, 6}) {
    const std::string path = d.file("s" + std::to_string(level) + ".h5");
    SnapshotWriter w(path, geometry_of(sim.lattice), fields_geometry_of(sim), {true, true, true},
                     {.deflate_level = level});
    visit_state(sim, w);
    w.voxels(Part::kLattice, "events", events, {"1", "test events"});
    SnapshotInfo info = w.commit();
    EXPECT_EQ(info.lattice.back(), (ArrayEntry{"events", ElementType::kInt32, 1}));
    info.file.clear();
    EXPECT_EQ(read_snapshot_info(path), info);

    CheckpointReader r(path);
    Field<std::int32_t> back;
    r.voxels(Part::kLattice, "events", back, {});
    expect_same_voxels(events, back, "events");
    EXPECT_EQ(back(0, 0, 0), events(0, 0, 0));

    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t ds = H5Dopen2(f, "/lattice/events", H5P_DEFAULT);
    EXPECT_GT(H5Aexists(ds, "units"), 0);
    EXPECT_GT(H5Aexists(ds, "description"), 0);
    H5Dclose(ds);
    H5Fclose(f);
  }

  SnapshotInfo info = read_snapshot_info(d.file("s0.h5"));
  info.file = "snapshots/step_00000042.h5";
  EXPECT_NE(run_xdmf({info}).find(
                "<Attribute Name=\"events\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
                "          <DataItem Dimensions=\"5 7 13\" NumberType=\"Int\" Precision=\"4\" "
                "Format=\"HDF\">snapshots/step_00000042.h5:/lattice/events</DataItem>"),
            std::string::npos)
      << run_xdmf({info});

  // Wrong type or shape either way is an InputError naming the file and dataset.
  const std::string path = d.file("s0.h5");
  {  // a [5][7][12] int32 dataset where the grid is 13 x 7 x 5
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hsize_t dims[3] = {5, 7, 12};
    hid_t space = H5Screate_simple(3, dims, nullptr);
    hid_t ds = H5Dcreate2(f, "/lattice/short", H5T_NATIVE_INT32, space, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT);
    H5Dclose(ds);
    H5Sclose(space);
    H5Fclose(f);
  }
  CheckpointReader r(path);
  Field<float> as_float;
  Field<std::int32_t> as_int32;
  EXPECT_EQ(error_of([&] { r.voxels(Part::kLattice, "events", as_float, {}); }),
            path + ":/lattice/events: wrong element type, expected float32");
  EXPECT_EQ(error_of([&] { r.voxels(Part::kLattice, "bone", as_int32, {}); }),
            path + ":/lattice/bone: wrong element type, expected int32");
  EXPECT_EQ(error_of([&] { r.voxels(Part::kLattice, "short", as_int32, {}); }),
            path + ":/lattice/short: shape [5 x 7 x 12], expected [5 x 7 x 13]");
}

// Writes the lattice of `sim` and one synthetic population.
SnapshotInfo write_with_cells(const fs::path& path, const Simulation& sim,
                              const SyntheticCells& cells, int level) {
  SnapshotWriter w(path, geometry_of(sim.lattice), fields_geometry_of(sim), {true, true, true},
                   {.deflate_level = level});
  visit_state(sim, w);
  w.cells("synthetic_cells", cells);
  return w.commit();
}

void read_with_cells(const fs::path& path, Simulation& sim, SyntheticCells& cells) {
  CheckpointReader r(path);
  sim.lattice.voxel_size_um = r.geometry().voxel_size_um;  // as read_checkpoint_h5 does
  sim.lattice.origin_um = r.geometry().origin_um;
  visit_state(sim, r);
  r.cells("synthetic_cells", cells);
}

TEST(Hdf5Snapshot, SyntheticPopulationRoundTrip) {
  TempDir d;
  const Simulation sim = make_sim();
  SyntheticCells cells = make_synthetic_cells(1000, geometry_of(sim.lattice), 7, 0);
  cells.with_age = false;  // id, position_um, state: three columns
  const SnapshotInfo info = write_with_cells(d.file("s.h5"), sim, cells, 0);
  ASSERT_EQ(info.populations.size(), 6u);  // the model's five, then the synthetic one
  const auto& pop = info.populations.back();
  EXPECT_EQ(pop.name, "synthetic_cells");
  EXPECT_EQ(pop.count, 1000);
  ASSERT_EQ(pop.columns.size(), 3u);
  EXPECT_EQ(pop.columns[1].components, 3);

  Simulation back_sim = make_sim();
  SyntheticCells back;
  back.with_age = false;
  back.id = {1, 2};  // resized to the stored count
  read_with_cells(d.file("s.h5"), back_sim, back);
  EXPECT_EQ(back.id, cells.id);
  EXPECT_EQ(back.position_um, cells.position_um);
  EXPECT_EQ(back.state, cells.state);

  // A column the population lists but the file lacks.
  SyntheticCells more;
  more.with_age = true;
  {
    const std::string what = error_of([&] { read_with_cells(d.file("s.h5"), back_sim, more); });
    EXPECT_NE(what.find(":/cells/synthetic_cells/age_days: dataset missing"), std::string::npos)
        << what;
  }
}

TEST(Hdf5Snapshot, CompressionChangesTheFileNotTheData) {
  TempDir d;
  const Simulation sim = make_sim();
  const SyntheticCells cells = make_synthetic_cells(5000, geometry_of(sim.lattice), 3, 4);
  write_with_cells(d.file("plain.h5"), sim, cells, 0);
  write_with_cells(d.file("deflate.h5"), sim, cells, 6);
  for (const char* name : {"plain.h5", "deflate.h5"}) {
    Simulation back;
    SyntheticCells back_cells;
    back_cells.variables.resize(4);
    read_with_cells(d.file(name), back, back_cells);
    expect_same_state(sim, back);
    EXPECT_EQ(back_cells.position_um, cells.position_um) << name;
    EXPECT_EQ(back_cells.variables, cells.variables) << name;
    EXPECT_EQ(back_cells.age_days, cells.age_days) << name;
  }
  EXPECT_LT(fs::file_size(d.file("deflate.h5")), fs::file_size(d.file("plain.h5")));

  // The deflated datasets say so, so that any HDF5 reader can decode them.
  hid_t f = H5Fopen(d.file("deflate.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t ds = H5Dopen2(f, "/lattice/bone", H5P_DEFAULT);
  hid_t dcpl = H5Dget_create_plist(ds);
  EXPECT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  EXPECT_EQ(H5Pget_nfilters(dcpl), 2);
  H5Pclose(dcpl);
  H5Dclose(ds);
  H5Fclose(f);
}

TEST(Hdf5Snapshot, WrongTypeOrShapeIsNamed) {
  TempDir d;
  const std::string path = d.file("c.h5");
  write_checkpoint_h5(path, make_sim());
  {  // replace /lattice/osteoid by a double dataset of the same shape
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(f, "/lattice/osteoid", H5P_DEFAULT);
    hsize_t dims[3] = {5, 7, 13};
    hid_t space = H5Screate_simple(3, dims, nullptr);
    hid_t ds = H5Dcreate2(f, "/lattice/osteoid", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT);
    H5Dclose(ds);
    H5Sclose(space);
    H5Fclose(f);
  }
  Simulation back;
  EXPECT_EQ(error_of([&] { read_checkpoint_h5(path, back); }),
            path + ":/lattice/osteoid: wrong element type, expected float32");
  Simulation other;
  other.lattice = make_lattice(8, 7, 5, 17.5);
  {
    const std::string what = error_of([&] { read_checkpoint_h5(path, other); });
    EXPECT_NE(what.find("grid 13 x 7 x 5, expected 8 x 7 x 5"), std::string::npos) << what;
  }
  EXPECT_THROW(read_checkpoint_h5(d.file("absent.h5"), back), InputError);
}

// A file too large for the space left (here a file-size limit, which root cannot
// ignore) is refused before HDF5 starts: HDF5 1.10 cannot cleanly abandon a file whose
// write failed part-way (a half-closed file id crashes it at exit), so the space is
// checked first (ensure_space_for).
TEST(Hdf5Snapshot, FailedWriteKeepsThePreviousFileAndNamesIt) {
  TempDir d;
  const std::string path = d.file("s.h5");
  Simulation sim = make_sim();
  sim.lattice = make_lattice(64, 64, 16, 10.0);
  write_snapshot_h5(path, sim, {true, false, false});
  const auto size = fs::file_size(path);

  sim.step = 99;
  std::string what;
  {
    testing_support::FileSizeLimit limit(100000);
    ASSERT_TRUE(limit.ok());
    try {
      write_snapshot_h5(path, sim, {true, false, false});
    } catch (const OutputError& e) {
      what = e.what();
    }
  }
  EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0) << what;  // no half-closed file
  EXPECT_EQ(what.rfind(path + ": cannot write", 0), 0u) << what;
  EXPECT_NE(what.find("File too large"), std::string::npos) << what;
  EXPECT_EQ(fs::file_size(path), size);
  EXPECT_EQ(read_snapshot_info(path).step, 42);
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path), fs::directory_iterator{}), 1);
}

TEST(Hdf5Snapshot, UnwritableDirectoryIsNamed) {
  TempDir d;
  std::ofstream(d.file("plain_file")) << "x";
  const std::string path = d.file("plain_file") + "/s.h5";
  try {
    write_snapshot_h5(path, make_sim(), {true, false, false});
    FAIL() << "no error";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot create a temporary file: Not a directory");
  }
  if (::geteuid() != 0) {  // root ignores directory permissions
    fs::create_directory(d.path / "ro");
    fs::permissions(d.path / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_THROW(write_checkpoint_h5(d.path / "ro" / "c.h5", make_sim()), OutputError);
  }
}

}  // namespace
}  // namespace bonesim
