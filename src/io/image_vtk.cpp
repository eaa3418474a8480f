// VTK's image readers behind read_image(). VTK reports failures through
// vtkCommand::ErrorEvent or its process-wide output window, and MetaIO prints to
// std::cerr; none of these throw. Here all three are captured during the read and
// turned into one InputError, and nothing reaches the terminal.
#include <string>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_readers.hpp"

#if BONESIM_WITH_VTK
#include <vtkCellData.h>
#include <vtkCommand.h>
#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkMetaImageReader.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkSmartPointer.h>
#include <vtkXMLImageDataReader.h>

#include <algorithm>
#include <vector>

#include "bonesim/core/parallel.hpp"
#include "vtk_error_capture.hpp"
#endif

namespace bonesim {

#if BONESIM_WITH_VTK
namespace {

template <class T>
std::vector<float> to_float(const T* in, Index n) {
  std::vector<float> out(static_cast<std::size_t>(n));
  parallel_for(
      0, n, [&](Index i) { out[std::size_t(i)] = static_cast<float>(in[i]); }, 1 << 14);
  return out;
}

vtkDataArray* first_array(vtkDataSetAttributes* attributes) {
  if (vtkDataArray* scalars = attributes->GetScalars()) return scalars;
  for (int a = 0; a < attributes->GetNumberOfArrays(); ++a) {
    if (vtkDataArray* array = attributes->GetArray(a)) return array;
  }
  return nullptr;
}

ScalarImage from_image_data(vtkImageData* data, const std::string& path) {
  int points[3];
  data->GetDimensions(points);
  std::array<int, 3> dims{points[0], points[1], points[2]};
  vtkDataArray* array = first_array(data->GetPointData());
  if (!array) {
    array = first_array(data->GetCellData());
    for (int& d : dims) d = std::max(d - 1, 1);  // n + 1 points bound n cells
  }
  if (!array) throw InputError(path + ": no numeric array in point or cell data");
  const std::string name = array->GetName() ? array->GetName() : "(unnamed)";
  if (array->GetNumberOfComponents() != 1) {
    throw InputError(path + ": array '" + name + "' has " +
                     std::to_string(array->GetNumberOfComponents()) +
                     " components, expected 1 (grey values)");
  }
  const Index n = Index(std::max(dims[0], 0)) * std::max(dims[1], 0) * std::max(dims[2], 0);
  if (n == 0) throw InputError(path + ": empty image (0 voxels)");
  if (array->GetNumberOfTuples() != n) {
    throw InputError(path + ": array '" + name + "' has " +
                     std::to_string(array->GetNumberOfTuples()) + " values, expected " +
                     std::to_string(n) + " for " + std::to_string(dims[0]) + " x " +
                     std::to_string(dims[1]) + " x " + std::to_string(dims[2]) + " voxels");
  }
  ScalarImage image;
  image.dims = dims;
  const double* spacing = data->GetSpacing();
  image.spacing_um = {spacing[0], spacing[1], spacing[2]};
  switch (array->GetDataType()) {
    vtkTemplateMacro(image.values =
                         to_float(static_cast<const VTK_TT*>(array->GetVoidPointer(0)), n));
    default:
      throw InputError(path + ": array '" + name + "' is of VTK type " +
                       array->GetDataTypeAsString() + ", expected a numeric type");
  }
  return image;
}

}  // namespace

ScalarImage read_with_vtk(const std::string& path, VtkImageFormat format) {
  detail::VtkErrorCapture capture(detail::CerrCapture::kCapture);
  vtkNew<detail::VtkErrorObserver> observer;
  vtkSmartPointer<vtkAlgorithm> reader;
  if (format == VtkImageFormat::kMetaImage) {
    vtkNew<vtkMetaImageReader> r;
    r->SetFileName(path.c_str());
    reader = r;
  } else {
    vtkNew<vtkXMLImageDataReader> r;
    r->SetFileName(path.c_str());
    reader = r;
  }
  reader->AddObserver(vtkCommand::ErrorEvent, observer);
  reader->Update();

  std::vector<std::string> errors = observer->errors;
  for (const std::string& e : capture.errors()) errors.push_back(e);
  vtkImageData* output = vtkImageData::SafeDownCast(reader->GetOutputDataObject(0));
  // MetaIO reports short or corrupt compressed data only on std::cerr, and VTK then
  // returns the image as if all were well; MetaIO prints nothing on a good read.
  if (errors.empty() && !capture.cerr_text().empty()) errors.push_back(capture.cerr_text());
  if (errors.empty() && reader->GetErrorCode() != 0) errors.emplace_back("VTK error code");
  if (errors.empty() && (!output || output->GetNumberOfPoints() == 0)) {
    errors.emplace_back("no image data");
  }
  if (!errors.empty()) {
    using detail::LineIndent;
    using detail::vtk_error_one_line;
    std::string what = vtk_error_one_line(errors.front(), LineIndent::kStrip);
    if (const std::string extra = vtk_error_one_line(capture.cerr_text(), LineIndent::kStrip);
        !extra.empty() && extra != what) {
      what += " (" + extra + ")";
    }
    throw InputError(path + ": VTK could not read the image: " + what);
  }
  return from_image_data(output, path);
}

#else

ScalarImage read_with_vtk(const std::string& path, VtkImageFormat) {
  throw InputError(path +
                   ": this bonesim was built without VTK (BONESIM_WITH_VTK=OFF), which "
                   "reads .mhd, .mha and .vti; use an HDF5 dataset (file.h5:/dataset)");
}

#endif

ScalarImage read_vti(const std::string& path) {
  return read_with_vtk(path, VtkImageFormat::kXmlImageData);
}

}  // namespace bonesim
