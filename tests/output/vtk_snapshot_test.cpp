// VtkSeriesWriter: files read back with VTK's own readers, .pvd lists, resume scan.
#include "bonesim/output/vtk_snapshot.hpp"

#include <gtest/gtest.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkFieldData.h>
#include <vtkImageData.h>
#include <vtkIntArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkXMLImageDataReader.h>
#include <vtkXMLPolyDataReader.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "bonesim/core/error.hpp"
#include "support/temp_dir.hpp"
#include "vtk_xml.hpp"

namespace fs = std::filesystem;

namespace bonesim {
namespace {

using testing_support::TempDir;

// A cell population as the model will hold one: a struct of arrays.
struct SyntheticCells {
  std::vector<std::uint64_t> id;
  std::vector<std::array<double, 3>> position_um;
  std::vector<std::int32_t> state;
  std::vector<std::uint8_t> alive;
  std::vector<float> age_days;
  std::vector<double> energy;
  std::vector<std::array<double, 3>> velocity_um_per_day;
};

template <class P, class C>
void visit_columns(P& pop, C& c) {
  c.column("id", pop.id, {"1", "cell id"});
  c.column("position_um", pop.position_um, {"um", "position"});
  c.column("state", pop.state, {"1", "state"});
  c.column("alive", pop.alive, {"1", "alive"});
  c.column("age_days", pop.age_days, {"d", "age"});
  c.column("energy", pop.energy, {"1", "energy"});
  c.column("velocity_um_per_day", pop.velocity_um_per_day, {"um/d", "velocity"});
}

SyntheticCells make_cells(int n) {
  SyntheticCells c;
  for (int i = 0; i < n; ++i) {
    c.id.push_back(std::uint64_t(1000 + i));
    c.position_um.push_back({1.5 * i, -2.0 + i, 0.25 * i * i});
    c.state.push_back(i % 3 - 1);
    c.alive.push_back(std::uint8_t(i % 2));
    c.age_days.push_back(0.5f * float(i));
    c.energy.push_back(1e-3 * i);
    c.velocity_um_per_day.push_back({double(i), 0.0, -double(i)});
  }
  return c;
}

// A padded lattice (nx = 13) with a distinct value in every voxel of every array; the
// fields on its grid coarsened by `coarsening` (2: 7 x 3 x 2 voxels of 5 um).
Simulation make_sim(int coarsening = 2) {
  Config cfg;
  cfg.fields.grid_coarsening = coarsening;
  Simulation sim = make_simulation(make_lattice(13, 5, 4, 2.5), cfg);
  sim.lattice.origin_um = {-10.0, 3.0, 7.5};
  const GridShape& g = sim.lattice.shape;
  EXPECT_GT(g.sx, g.nx);  // the test is about padding
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        const float v = float(i + 100 * j + 1000 * k);
        sim.lattice.bone(i, j, k) = v;
        sim.lattice.osteoid(i, j, k) = -v;
        sim.lattice.day_last_resorbed(i, j, k) = v + 0.5f;
        sim.lattice.day_last_formed(i, j, k) = kNever;
        sim.lattice.bone_at_day0(i, j, k) = std::uint8_t((i + j + k) % 2);
      }
    }
  }
  const GridShape& f = sim.fields.rankl.shape;
  for (int k = 0; k < f.nz; ++k) {
    for (int j = 0; j < f.ny; ++j) {
      for (int i = 0; i < f.nx; ++i) {
        sim.fields.rankl(i, j, k) = float(i + 100 * j + 1000 * k) + 0.25f;
        sim.fields.coupling(i, j, k) = -float(i + j + k);
      }
    }
  }
  sim.step = 12;
  sim.day = 3.0;
  return sim;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// (timestep, file) of every DataSet in a .pvd.
std::vector<std::pair<std::string, std::string>> pvd_entries(const fs::path& p) {
  const std::string text = slurp(p);
  static const std::regex data_set(R"re(<DataSet timestep="([^"]*)"[^>]* file="([^"]*)")re");
  std::vector<std::pair<std::string, std::string>> out;
  for (std::sregex_iterator it(text.begin(), text.end(), data_set), end; it != end; ++it) {
    out.emplace_back((*it)[1], (*it)[2]);
  }
  return out;
}

std::vector<std::string> leftover_temporaries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) {
      out.push_back(e.path().filename().string());
    }
  }
  return out;
}

TEST(VtkSnapshot, FileNames) {
  EXPECT_EQ(vtk_file_name("lattice", 12, "vti"), "lattice_00000012.vti");
  EXPECT_EQ(vtk_file_name("cells_osteoclasts", 123456789, "vtp"),
            "cells_osteoclasts_123456789.vtp");
}

TEST(VtkSnapshot, LatticeRoundTripThroughVtkReader) {
  TempDir tmp;
  const Simulation sim = make_sim();
  VtkSeriesWriter writer(tmp.path);
  writer.write(sim, {.lattice = true});

  const fs::path file = tmp.path / "vtk" / "lattice_00000012.vti";
  ASSERT_TRUE(fs::exists(file));
  const std::string text = slurp(file);
  EXPECT_NE(text.find("format=\"appended\""), std::string::npos);
  EXPECT_NE(text.find("encoding=\"raw\""), std::string::npos);
  EXPECT_NE(text.find("compressor=\"vtkZLibDataCompressor\""), std::string::npos);

  vtkNew<vtkXMLImageDataReader> reader;
  reader->SetFileName(file.c_str());
  reader->Update();
  vtkImageData* image = reader->GetOutput();
  int extent[6];
  image->GetExtent(extent);
  EXPECT_EQ(std::vector<int>(extent, extent + 6), (std::vector<int>{0, 13, 0, 5, 0, 4}));
  EXPECT_EQ(image->GetNumberOfCells(), 13 * 5 * 4);
  const double* spacing = image->GetSpacing();
  const double* origin = image->GetOrigin();
  for (int a = 0; a < 3; ++a) {
    EXPECT_EQ(spacing[a], 2.5);
    EXPECT_EQ(origin[a], sim.lattice.origin_um[std::size_t(a)]);
  }
  EXPECT_EQ(image->GetPointData()->GetNumberOfArrays(), 0);

  vtkCellData* cd = image->GetCellData();
  std::set<std::string> names;
  for (int a = 0; a < cd->GetNumberOfArrays(); ++a) names.insert(cd->GetArrayName(a));
  EXPECT_EQ(names, (std::set<std::string>{"bone", "osteoid", "mineral", "day_last_resorbed",
                                          "day_last_formed", "bone_at_day0", "resorption_event",
                                          "resorption_depth", "day_first_formed", "pit_label"}));
  EXPECT_EQ(cd->GetArray("bone")->GetDataType(), VTK_FLOAT);
  EXPECT_EQ(cd->GetArray("bone_at_day0")->GetDataType(), VTK_UNSIGNED_CHAR);
  const GridShape& g = sim.lattice.shape;
  int mismatches = 0;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        int ijk[3] = {i, j, k};
        const vtkIdType c = image->ComputeCellId(ijk);
        mismatches += cd->GetArray("bone")->GetTuple1(c) != sim.lattice.bone(i, j, k);
        mismatches += cd->GetArray("osteoid")->GetTuple1(c) != sim.lattice.osteoid(i, j, k);
        mismatches += cd->GetArray("day_last_resorbed")->GetTuple1(c) !=
                      sim.lattice.day_last_resorbed(i, j, k);
        mismatches += cd->GetArray("day_last_formed")->GetTuple1(c) != kNever;
        mismatches +=
            cd->GetArray("bone_at_day0")->GetTuple1(c) != sim.lattice.bone_at_day0(i, j, k);
      }
    }
  }
  EXPECT_EQ(mismatches, 0);

  vtkFieldData* fd = image->GetFieldData();
  ASSERT_NE(fd->GetArray("day"), nullptr);
  EXPECT_EQ(fd->GetArray("day")->GetTuple1(0), 3.0);
  EXPECT_EQ(fd->GetArray("step")->GetTuple1(0), 12.0);
  EXPECT_EQ(fd->GetArray("TimeValue")->GetTuple1(0), 3.0);

  // Only the lattice part asked for: no fields or cells series.
  EXPECT_FALSE(fs::exists(tmp.path / "vtk" / "fields.pvd"));
  EXPECT_TRUE(leftover_temporaries(tmp.path / "vtk").empty());
  EXPECT_EQ(pvd_entries(tmp.path / "vtk" / "lattice.pvd"),
            (std::vector<std::pair<std::string, std::string>>{{"3", "lattice_00000012.vti"}}));
}

// fields_NNNNNNNN.vti is on the fields' own grid: the lattice's coarsened by c (sizes
// rounded up), spacing c h, the same origin; with c = 1 the lattice's grid.
class VtkFields : public ::testing::TestWithParam<int> {};

TEST_P(VtkFields, AreOnTheirOwnGrid) {
  TempDir tmp;
  const int c = GetParam();
  const Simulation sim = make_sim(c);
  VtkSeriesWriter writer(tmp.path);
  writer.write(sim, {.fields = true});
  EXPECT_FALSE(fs::exists(tmp.path / "vtk" / "lattice.pvd"));
  EXPECT_EQ(pvd_entries(tmp.path / "vtk" / "fields.pvd"),
            (std::vector<std::pair<std::string, std::string>>{{"3", "fields_00000012.vti"}}));

  vtkNew<vtkXMLImageDataReader> reader;
  reader->SetFileName((tmp.path / "vtk" / "fields_00000012.vti").c_str());
  reader->Update();
  vtkImageData* image = reader->GetOutput();
  int extent[6];
  image->GetExtent(extent);
  const std::vector<int> want =
      c == 1 ? std::vector<int>{0, 13, 0, 5, 0, 4} : std::vector<int>{0, 7, 0, 3, 0, 2};
  EXPECT_EQ(std::vector<int>(extent, extent + 6), want);
  for (int a = 0; a < 3; ++a) {
    EXPECT_EQ(image->GetSpacing()[a], 2.5 * c);
    EXPECT_EQ(image->GetOrigin()[a], sim.lattice.origin_um[std::size_t(a)]);
  }
  vtkCellData* cd = image->GetCellData();
  std::set<std::string> names;
  for (int a = 0; a < cd->GetNumberOfArrays(); ++a) names.insert(cd->GetArrayName(a));
  EXPECT_EQ(names, (std::set<std::string>{"rankl", "opg", "rankl_opg", "drug", "rankl_drug",
                                          "rankl_rank", "coupling", "sed", "strain",
                                          "displacement_x", "displacement_y", "displacement_z"}));
  const GridShape& g = sim.fields.rankl.shape;
  int mismatches = 0;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        int ijk[3] = {i, j, k};
        const vtkIdType id = image->ComputeCellId(ijk);
        mismatches += cd->GetArray("rankl")->GetTuple1(id) != sim.fields.rankl(i, j, k);
        mismatches += cd->GetArray("coupling")->GetTuple1(id) != sim.fields.coupling(i, j, k);
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(Coarsening, VtkFields, ::testing::Values(1, 2));

// The model has no int32 voxel array yet, so the image writer is driven directly.
// Negative values and odd values above 2^24 would not survive a detour through float.
TEST(VtkSnapshot, Int32VoxelsRoundTripThroughVtkReader) {
  TempDir tmp;
  const GridShape g = make_sim().lattice.shape;  // padded rows
  Field<std::int32_t> events(g);
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        const std::int32_t v = (1 << 24) + 1 + 2 * (i + g.nx * (j + g.ny * k));
        events(i, j, k) = (i + j + k) % 2 ? -v : v;
      }
    }
  }
  const vtk_xml::VoxelArrayView arrays[] = {{"events", {"1", "test events"}, &events}};
  const vtk_xml::ScalarView scalars[] = {{"step", std::int64_t(3)}, {"day", 0.75}};
  const fs::path file = tmp.path / "lattice_00000003.vti";
  vtk_xml::write_image(file, {g, 2.5, {0.0, 0.0, 0.0}}, arrays, scalars);
  EXPECT_NE(slurp(file).find("type=\"Int32\" Name=\"events\""), std::string::npos);

  vtkNew<vtkXMLImageDataReader> reader;
  reader->SetFileName(file.c_str());
  reader->Update();
  vtkImageData* image = reader->GetOutput();
  auto* a = vtkIntArray::SafeDownCast(image->GetCellData()->GetArray("events"));
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->GetNumberOfTuples(), g.voxel_count());
  int mismatches = 0;
  for (int k = 0; k < g.nz; ++k) {
    for (int j = 0; j < g.ny; ++j) {
      for (int i = 0; i < g.nx; ++i) {
        int ijk[3] = {i, j, k};
        mismatches += a->GetValue(image->ComputeCellId(ijk)) != events(i, j, k);
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(VtkSnapshot, PvdListsEveryStepOnceInOrder) {
  TempDir tmp;
  Simulation sim = make_sim();
  VtkSeriesWriter writer(tmp.path);
  for (std::int64_t step : {0, 8, 4, 8}) {  // 8 twice: the second replaces the first
    sim.step = step;
    sim.day = 0.25 * double(step);
    writer.write(sim, {.lattice = true});
  }
  const std::vector<std::pair<std::string, std::string>> expected{
      {"0", "lattice_00000000.vti"}, {"1", "lattice_00000004.vti"}, {"2", "lattice_00000008.vti"}};
  EXPECT_EQ(pvd_entries(tmp.path / "vtk" / "lattice.pvd"), expected);
  ASSERT_EQ(writer.series("lattice").size(), 3u);
  EXPECT_EQ(writer.series("lattice")[2].step, 8);
  EXPECT_TRUE(writer.series("nothing").empty());
  const std::string pvd = slurp(tmp.path / "vtk" / "lattice.pvd");
  EXPECT_NE(pvd.find("<VTKFile type=\"Collection\""), std::string::npos);
}

TEST(VtkSnapshot, SyntheticPopulationRoundTrip) {
  TempDir tmp;
  const SyntheticCells cells = make_cells(5);
  VtkSeriesWriter writer(tmp.path);
  writer.write_cells("osteoclasts", cells, 7, 1.75);

  const fs::path file = tmp.path / "vtk" / "cells_osteoclasts_00000007.vtp";
  ASSERT_TRUE(fs::exists(file));
  EXPECT_NE(slurp(file).find("type=\"UInt64\" Name=\"id\""), std::string::npos);
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName(file.c_str());
  reader->Update();
  vtkPolyData* poly = reader->GetOutput();
  ASSERT_EQ(poly->GetNumberOfPoints(), 5);
  EXPECT_EQ(poly->GetNumberOfVerts(), 5);
  EXPECT_EQ(poly->GetNumberOfCells(), 5);
  for (vtkIdType i = 0; i < 5; ++i) {
    double p[3];
    poly->GetPoint(i, p);
    for (int a = 0; a < 3; ++a) EXPECT_EQ(p[a], cells.position_um[std::size_t(i)][std::size_t(a)]);
  }
  vtkPointData* pd = poly->GetPointData();
  EXPECT_EQ(pd->GetNumberOfArrays(), 7);
  struct Expect {
    const char* name;
    int type, components;
  };
  for (const Expect& e :
       {Expect{"id", VTK_UNSIGNED_LONG_LONG, 1}, Expect{"position_um", VTK_DOUBLE, 3},
        Expect{"state", VTK_INT, 1}, Expect{"alive", VTK_UNSIGNED_CHAR, 1},
        Expect{"age_days", VTK_FLOAT, 1}, Expect{"energy", VTK_DOUBLE, 1},
        Expect{"velocity_um_per_day", VTK_DOUBLE, 3}}) {
    vtkDataArray* a = pd->GetArray(e.name);
    ASSERT_NE(a, nullptr) << e.name;
    EXPECT_EQ(a->GetDataType(), e.type) << e.name;
    EXPECT_EQ(a->GetNumberOfComponents(), e.components) << e.name;
    EXPECT_EQ(a->GetNumberOfTuples(), 5) << e.name;
  }
  EXPECT_EQ(pd->GetArray("id")->GetTuple1(4), 1004.0);
  EXPECT_EQ(pd->GetArray("state")->GetTuple1(0), -1.0);
  EXPECT_EQ(pd->GetArray("age_days")->GetTuple1(3), 1.5);
  EXPECT_EQ(pd->GetArray("velocity_um_per_day")->GetComponent(2, 2), -2.0);
  ASSERT_NE(pd->GetVectors(), nullptr);
  EXPECT_STREQ(pd->GetVectors()->GetName(), "velocity_um_per_day");
  EXPECT_EQ(poly->GetFieldData()->GetArray("day")->GetTuple1(0), 1.75);

  EXPECT_EQ(pvd_entries(tmp.path / "vtk" / "cells_osteoclasts.pvd"),
            (std::vector<std::pair<std::string, std::string>>{
                {"1.75", "cells_osteoclasts_00000007.vtp"}}));
}

TEST(VtkSnapshot, EmptyPopulationIsAValidFile) {
  TempDir tmp;
  VtkSeriesWriter writer(tmp.path);
  writer.write_cells("osteoblasts", make_cells(0), 0, 0.0);
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName((tmp.path / "vtk" / "cells_osteoblasts_00000000.vtp").c_str());
  reader->Update();
  EXPECT_EQ(reader->GetOutput()->GetNumberOfPoints(), 0);
  EXPECT_NE(reader->GetOutput()->GetPointData()->GetArray("id"), nullptr);
}

TEST(VtkSnapshot, ScanRebuildsSeriesAndDropsLaterSteps) {
  TempDir tmp;
  Simulation sim = make_sim();
  {
    VtkSeriesWriter writer(tmp.path);
    for (std::int64_t step : {0, 4, 8}) {
      sim.step = step;
      sim.day = 0.25 * double(step);
      writer.write(sim, {.lattice = true});
      writer.write_cells("osteoclasts", make_cells(3), step, sim.day);
    }
  }
  const fs::path vtk = tmp.path / "vtk";
  // A run killed between the data file's rename and the .pvd's: the list lacks step 8.
  fs::remove(vtk / "lattice.pvd");
  { std::ofstream(vtk / "lattice_00000012.vti.tmp.999") << "half a file"; }

  VtkSeriesWriter resumed(tmp.path);
  resumed.scan();
  ASSERT_EQ(resumed.series("lattice").size(), 3u);
  EXPECT_EQ(resumed.series("lattice")[2], (VtkSeriesWriter::Entry{8, 2.0, "lattice_00000008.vti"}));
  EXPECT_EQ(resumed.series("cells_osteoclasts").size(), 3u);
  EXPECT_FALSE(fs::exists(vtk / "lattice_00000012.vti.tmp.999"));
  EXPECT_EQ(pvd_entries(vtk / "lattice.pvd").size(), 3u);

  // Resuming from the checkpoint at step 4: step 8 goes, from the lists and the disk.
  VtkSeriesWriter from_checkpoint(tmp.path);
  from_checkpoint.scan(4);
  EXPECT_EQ(from_checkpoint.series("lattice").size(), 2u);
  EXPECT_EQ(from_checkpoint.series("cells_osteoclasts").size(), 2u);
  EXPECT_FALSE(fs::exists(vtk / "lattice_00000008.vti"));
  EXPECT_FALSE(fs::exists(vtk / "cells_osteoclasts_00000008.vtp"));
  EXPECT_EQ(pvd_entries(vtk / "cells_osteoclasts.pvd"),
            (std::vector<std::pair<std::string, std::string>>{
                {"0", "cells_osteoclasts_00000000.vtp"}, {"1", "cells_osteoclasts_00000004.vtp"}}));
  // ...and the run goes on appending.
  sim.step = 6;
  sim.day = 1.5;
  from_checkpoint.write(sim, {.lattice = true});
  EXPECT_EQ(pvd_entries(vtk / "lattice.pvd").back(),
            (std::pair<std::string, std::string>{"1.5", "lattice_00000006.vti"}));
}

std::string output_error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const OutputError& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(VtkSnapshot, FailuresNameTheFile) {
  TempDir tmp;
  // vtk/ cannot be created where a file of that name exists.
  { std::ofstream(tmp.path / "vtk") << "not a directory"; }
  EXPECT_NE(output_error_of([&] { VtkSeriesWriter w(tmp.path); }).find("vtk"), std::string::npos);
  fs::remove(tmp.path / "vtk");

  VtkSeriesWriter writer(tmp.path);
  // The target is a directory: the rename fails, nothing is left behind.
  fs::create_directories(tmp.path / "vtk" / "lattice_00000012.vti");
  const std::string what = output_error_of([&] { writer.write(make_sim(), {.lattice = true}); });
  EXPECT_NE(what.find("lattice_00000012.vti"), std::string::npos) << what;
  EXPECT_TRUE(leftover_temporaries(tmp.path / "vtk").empty());
  EXPECT_FALSE(fs::exists(tmp.path / "vtk" / "lattice.pvd"));

  SyntheticCells ragged = make_cells(4);
  ragged.age_days.pop_back();
  const std::string ragged_what =
      output_error_of([&] { writer.write_cells("osteoclasts", ragged, 0, 0.0); });
  EXPECT_NE(ragged_what.find("cells_osteoclasts_00000000.vtp"), std::string::npos) << ragged_what;
  EXPECT_NE(ragged_what.find("age_days"), std::string::npos) << ragged_what;

  EXPECT_NE(output_error_of([&] { writer.write_cells("a/b", make_cells(1), 0, 0.0); }).find("a/b"),
            std::string::npos);
}

}  // namespace
}  // namespace bonesim
