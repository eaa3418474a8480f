// VTK XML files for VtkSeriesWriter. VTK reports write failures (unwritable
// directory, full disk) through ErrorEvent and its output window and never throws;
// here they are captured and turned into one OutputError naming the file, and
// nothing reaches the terminal (src/io/vtk_error_capture.hpp, as for the readers).
#include "vtk_xml.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <vtkAOSDataArrayTemplate.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkCommand.h>
#include <vtkDataArray.h>
#include <vtkFieldData.h>
#include <vtkIdTypeArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <vtkXMLImageDataReader.h>
#include <vtkXMLImageDataWriter.h>
#include <vtkXMLPolyDataReader.h>
#include <vtkXMLPolyDataWriter.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "../io/vtk_error_capture.hpp"
#include "bonesim/core/error.hpp"
#include "bonesim/core/parallel.hpp"

namespace fs = std::filesystem;

namespace bonesim::vtk_xml {

namespace {

template <class T>
vtkSmartPointer<vtkAOSDataArrayTemplate<T>> make_array(std::string_view name, int components,
                                                       Index tuples) {
  auto a = vtkSmartPointer<vtkAOSDataArrayTemplate<T>>::New();
  a->SetName(std::string(name).c_str());
  a->SetNumberOfComponents(components);
  a->SetNumberOfTuples(tuples);
  return a;
}

// An unpadded copy (x fastest) of a padded field: VTK's cell order for image data.
template <class T>
vtkSmartPointer<vtkDataArray> voxel_array(std::string_view name, const Field<T>& f) {
  const GridShape& g = f.shape;
  auto a = make_array<T>(name, 1, g.voxel_count());
  T* out = a->GetPointer(0);
  for_each_row(
      g, [&](int j, int k) { std::copy_n(f.row(j, k), g.nx, out + (Index(k) * g.ny + j) * g.nx); });
  return a;
}

template <class T>
vtkSmartPointer<vtkDataArray> column_array(std::string_view name, const std::vector<T>& v) {
  auto a = make_array<T>(name, 1, Index(v.size()));
  std::copy(v.begin(), v.end(), a->GetPointer(0));
  return a;
}

vtkSmartPointer<vtkDataArray> column_array(std::string_view name,
                                           const std::vector<std::array<double, 3>>& v) {
  auto a = make_array<double>(name, 3, Index(v.size()));
  double* out = a->GetPointer(0);
  for (std::size_t i = 0; i < v.size(); ++i) std::copy_n(v[i].data(), 3, out + 3 * i);
  return a;
}

// step, day and ParaView's TimeValue (so a lone file still knows its time).
void add_scalars(vtkFieldData* fd, std::span<const ScalarView> scalars) {
  for (const ScalarView& s : scalars) {
    std::visit(
        [&](auto value) {
          auto a = make_array<decltype(value)>(s.name, 1, 1);
          a->SetValue(0, value);
          fd->AddArray(a);
          if (s.name == "day") {
            auto t = make_array<double>("TimeValue", 1, 1);
            t->SetValue(0, double(value));
            fd->AddArray(t);
          }
        },
        s.value);
  }
}

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
  throw OutputError(path.string() + ": cannot write VTK file: " + what);
}

// VTK writes the temporary; we flush and rename it, so `path` is old or new, never half.
void write_atomically(vtkXMLWriter& writer, vtkDataObject* data, const fs::path& path) {
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  writer.SetInputData(data);
  writer.SetFileName(tmp.c_str());
  writer.SetDataModeToAppended();
  writer.EncodeAppendedDataOff();  // raw bytes, not base64
  writer.SetCompressorTypeToZLib();
  writer.SetCompressionLevel(1);   // voxel data is mostly 0 and 1: level 1 packs it nearly
                                   // as well as the default 5, several times faster
  writer.SetHeaderTypeToUInt64();  // blocks of large lattices pass 4 GiB uncompressed
  {
    detail::VtkErrorCapture capture(detail::CerrCapture::kLeave);
    vtkNew<detail::VtkErrorObserver> observer;
    writer.AddObserver(vtkCommand::ErrorEvent, observer);
    const int ok = writer.Write();
    std::string error = capture.first_error(*observer, detail::LineIndent::kKeep);
    if (error.empty() && (!ok || writer.GetErrorCode() != 0)) error = "VTK error code";
    if (!error.empty()) {
      ::unlink(tmp.c_str());
      fail(path, error);
    }
  }
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    fail(path, std::string("flush: ") + std::strerror(err));
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(path, std::string("rename: ") + std::strerror(err));
  }
}

}  // namespace

void write_image(const fs::path& path, const ImageGeometry& geometry,
                 std::span<const VoxelArrayView> arrays, std::span<const ScalarView> scalars) {
  const GridShape& g = geometry.shape;
  vtkNew<vtkImageData> image;
  image->SetExtent(0, g.nx, 0, g.ny, 0, g.nz);  // points; the voxels are the cells
  image->SetSpacing(geometry.voxel_size_um, geometry.voxel_size_um, geometry.voxel_size_um);
  image->SetOrigin(geometry.origin_um.data());
  for (const VoxelArrayView& v : arrays) {
    vtkSmartPointer<vtkDataArray> a = std::visit(
        [&](auto* field) {
          const GridShape& f = field->shape;
          if (f.nx != g.nx || f.ny != g.ny || f.nz != g.nz) {
            fail(path, "array '" + std::string(v.name) + "' is " + std::to_string(f.nx) + " x " +
                           std::to_string(f.ny) + " x " + std::to_string(f.nz) +
                           ", not on the image's grid");
          }
          return voxel_array(v.name, *field);
        },
        v.field);
    image->GetCellData()->AddArray(a);
  }
  add_scalars(image->GetFieldData(), scalars);
  vtkNew<vtkXMLImageDataWriter> writer;
  write_atomically(*writer, image, path);
}

void write_points(const fs::path& path, std::span<const CellColumnView> columns,
                  std::span<const ScalarView> scalars) {
  const std::vector<std::array<double, 3>>* positions = nullptr;
  for (const CellColumnView& c : columns) {
    if (c.name != "position_um") continue;
    auto* p = std::get_if<const std::vector<std::array<double, 3>>*>(&c.values);
    if (!p) fail(path, "column 'position_um' is not a 3-vector of double");
    positions = *p;
  }
  if (!positions) fail(path, "the population has no 'position_um' column");
  const Index n = Index(positions->size());

  vtkNew<vtkPolyData> poly;
  auto xyz = column_array("position_um", *positions);
  vtkNew<vtkPoints> points;
  points->SetData(xyz);
  poly->SetPoints(points);
  // One vertex per cell: offsets 0..n, connectivity 0..n-1.
  vtkNew<vtkIdTypeArray> offsets, connectivity;
  offsets->SetNumberOfTuples(n + 1);
  connectivity->SetNumberOfTuples(n);
  for (Index i = 0; i <= n; ++i) offsets->SetValue(i, vtkIdType(i));
  for (Index i = 0; i < n; ++i) connectivity->SetValue(i, vtkIdType(i));
  vtkNew<vtkCellArray> verts;
  verts->SetData(offsets, connectivity);
  poly->SetVerts(verts);

  bool have_vectors = false;
  for (const CellColumnView& c : columns) {
    vtkSmartPointer<vtkDataArray> a =
        std::visit([&](const auto* values) { return column_array(c.name, *values); }, c.values);
    if (a->GetNumberOfTuples() != n) {
      fail(path, "column '" + std::string(c.name) + "' has " +
                     std::to_string(a->GetNumberOfTuples()) + " values, 'position_um' " +
                     std::to_string(n));
    }
    poly->GetPointData()->AddArray(a);
    // The first 3-vector other than the position is what Glyph orients by default.
    if (a->GetNumberOfComponents() == 3 && c.name != "position_um" && !have_vectors) {
      poly->GetPointData()->SetActiveVectors(a->GetName());
      have_vectors = true;
    }
  }
  add_scalars(poly->GetFieldData(), scalars);
  vtkNew<vtkXMLPolyDataWriter> writer;
  write_atomically(*writer, poly, path);
}

double read_day(const fs::path& path) {
  vtkSmartPointer<vtkXMLReader> reader;
  if (path.extension() == ".vti") {
    reader = vtkSmartPointer<vtkXMLImageDataReader>::New();
  } else {
    reader = vtkSmartPointer<vtkXMLPolyDataReader>::New();
  }
  reader->SetFileName(path.c_str());
  detail::VtkErrorCapture capture(detail::CerrCapture::kLeave);
  vtkNew<detail::VtkErrorObserver> observer;
  reader->AddObserver(vtkCommand::ErrorEvent, observer);
  reader->Update();
  std::string error = capture.first_error(*observer, detail::LineIndent::kKeep);
  vtkDataObject* data = reader->GetOutputDataObject(0);
  vtkDataArray* day = data ? data->GetFieldData()->GetArray("day") : nullptr;
  if (error.empty() && (!day || day->GetNumberOfTuples() < 1)) error = "no field data 'day'";
  if (!error.empty()) throw InputError(path.string() + ": cannot read the day: " + error);
  return day->GetTuple1(0);
}

}  // namespace bonesim::vtk_xml
