// VTK XML files for VtkSeriesWriter. VTK reports write failures (unwritable
// directory, full disk) through ErrorEvent and its output window and never throws;
// here they are captured and turned into one OutputError naming the file, and
// nothing reaches the terminal (the same scheme as src/io/image_vtk.cpp).
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
#include <vtkLogger.h>
#include <vtkNew.h>
#include <vtkOutputWindow.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <vtkXMLImageDataReader.h>
#include <vtkXMLImageDataWriter.h>
#include <vtkXMLPolyDataReader.h>
#include <vtkXMLPolyDataWriter.h>
#include <vtk_loguru.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/core/parallel.hpp"

namespace fs = std::filesystem;

namespace bonesim::vtk_xml {

namespace {

class CapturingOutputWindow : public vtkOutputWindow {
 public:
  static CapturingOutputWindow* New() {
    auto* w = new CapturingOutputWindow;
    w->InitializeObjectBase();
    return w;
  }
  void DisplayText(const char*) override {}
  void DisplayErrorText(const char* text) override { errors.emplace_back(text ? text : ""); }
  void DisplayWarningText(const char*) override {}
  void DisplayGenericWarningText(const char*) override {}
  void DisplayDebugText(const char*) override {}
  std::vector<std::string> errors;
};

class ErrorObserver : public vtkCommand {
 public:
  static ErrorObserver* New() { return new ErrorObserver; }
  void Execute(vtkObject*, unsigned long, void* call_data) override {
    errors.emplace_back(call_data ? static_cast<const char*>(call_data) : "");
  }
  std::vector<std::string> errors;
};

// While alive, VTK's process-wide output window and logger are captured / quiet, so
// VTK file operations are serialised.
class VtkErrorCapture {
 public:
  VtkErrorCapture()
      : lock_(mutex()),
        previous_window_(vtkOutputWindow::GetInstance()),
        previous_display_(vtkObject::GetGlobalWarningDisplay()),
        previous_stderr_verbosity_(vtkloguru::g_stderr_verbosity) {
    vtkLogger::SetStderrVerbosity(vtkLogger::VERBOSITY_OFF);
    vtkOutputWindow::SetInstance(window_);
    vtkObject::GlobalWarningDisplayOn();  // errors reach observers only when display is on
  }
  ~VtkErrorCapture() {
    vtkObject::SetGlobalWarningDisplay(previous_display_);
    vtkOutputWindow::SetInstance(previous_window_);
    vtkLogger::SetStderrVerbosity(vtkLogger::ConvertToVerbosity(previous_stderr_verbosity_));
  }
  VtkErrorCapture(const VtkErrorCapture&) = delete;
  VtkErrorCapture& operator=(const VtkErrorCapture&) = delete;

  // The first error the algorithm or the output window saw, on one line; "" if none.
  std::string first_error(const ErrorObserver& observer) const {
    std::vector<std::string> all = observer.errors;
    all.insert(all.end(), window_->errors.begin(), window_->errors.end());
    return all.empty() ? std::string() : one_line(all.front());
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  // VTK's "ERROR: In file.cxx, line N\nvtkClass (0x...): message" as "message".
  static std::string one_line(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      start = end + 1;
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
      if (line.empty() || line.rfind("ERROR: In ", 0) == 0) continue;
      const auto tag = line.find("): ");
      if (line.rfind("vtk", 0) == 0 && tag != std::string::npos) line = line.substr(tag + 3);
      if (!out.empty()) out += "; ";
      out += line;
    }
    return out;
  }

  std::lock_guard<std::mutex> lock_;
  vtkSmartPointer<vtkOutputWindow> previous_window_;
  int previous_display_;
  int previous_stderr_verbosity_;
  vtkNew<CapturingOutputWindow> window_;
};

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
    VtkErrorCapture capture;
    vtkNew<ErrorObserver> observer;
    writer.AddObserver(vtkCommand::ErrorEvent, observer);
    const int ok = writer.Write();
    std::string error = capture.first_error(*observer);
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
          if (!(field->shape == g)) {
            fail(path, "array '" + std::string(v.name) + "' is not on the lattice's grid");
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
  VtkErrorCapture capture;
  vtkNew<ErrorObserver> observer;
  reader->AddObserver(vtkCommand::ErrorEvent, observer);
  reader->Update();
  std::string error = capture.first_error(*observer);
  vtkDataObject* data = reader->GetOutputDataObject(0);
  vtkDataArray* day = data ? data->GetFieldData()->GetArray("day") : nullptr;
  if (error.empty() && (!day || day->GetNumberOfTuples() < 1)) error = "no field data 'day'";
  if (!error.empty()) throw InputError(path.string() + ": cannot read the day: " + error);
  return day->GetTuple1(0);
}

}  // namespace bonesim::vtk_xml
