// VTK image data (.vti) import: files written by vtkXMLImageDataWriter read back
// exactly; bad files give one InputError naming the file and nothing on stderr.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <vtkCellData.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkShortArray.h>
#include <vtkUnsignedCharArray.h>
#include <vtkXMLImageDataWriter.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_import.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace bonesim {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using testing_support::quiet_error_of;
using testing_support::TempDir;

constexpr int kNx = 7, kNy = 6, kNz = 5;

double pattern(int i, int j, int k) {
  return i + 10 * j + 60 * k;
}

// Writes a kNx x kNy x kNz image of pattern * scale as point (or cell) data.
template <class Array>
void write_vti(const std::string& path, double scale, bool cell_data = false, int components = 1) {
  vtkNew<vtkImageData> image;
  if (cell_data) {
    image->SetDimensions(kNx + 1, kNy + 1, kNz + 1);
  } else {
    image->SetDimensions(kNx, kNy, kNz);
  }
  image->SetSpacing(12.5, 11.0, 10.0);
  vtkNew<Array> values;
  values->SetName("grey");
  values->SetNumberOfComponents(components);
  values->SetNumberOfTuples(kNx * kNy * kNz);
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i)
        for (int c = 0; c < components; ++c)
          values->SetComponent(i + kNx * (j + kNy * k), c, pattern(i, j, k) * scale);
  if (cell_data) {
    image->GetCellData()->SetScalars(values);
  } else {
    image->GetPointData()->SetScalars(values);
  }
  vtkNew<vtkXMLImageDataWriter> writer;
  writer->SetFileName(path.c_str());
  writer->SetInputData(image);
  ASSERT_EQ(writer->Write(), 1);
}

template <class T>
void expect_pattern(const ScalarImage& img, double scale) {
  ASSERT_EQ(img.dims, (std::array<int, 3>{kNx, kNy, kNz}));
  EXPECT_EQ(img.spacing_um, (std::array<double, 3>{12.5, 11.0, 10.0}));
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i)
        ASSERT_EQ(img.at(i, j, k), float(T(pattern(i, j, k) * scale))) << i << " " << j << " " << k;
}

TEST(Vti, RoundTripUint8Int16FloatPointData) {
  TempDir d;
  write_vti<vtkUnsignedCharArray>(d.file("u8.vti"), 0.5);
  expect_pattern<std::uint8_t>(read_image(d.file("u8.vti")), 0.5);
  write_vti<vtkShortArray>(d.file("i16.vti"), -100.0);
  expect_pattern<std::int16_t>(read_image(d.file("i16.vti")), -100.0);
  write_vti<vtkFloatArray>(d.file("f.vti"), 0.37);
  expect_pattern<float>(read_image(d.file("f.vti")), 0.37);
}

TEST(Vti, CellData) {
  TempDir d;
  write_vti<vtkFloatArray>(d.file("cells.vti"), 1.25, true);
  expect_pattern<float>(read_image(d.file("cells.vti")), 1.25);
}

TEST(VtiErrors, VectorArray) {
  TempDir d;
  write_vti<vtkFloatArray>(d.file("rgb.vti"), 1.0, false, 3);
  EXPECT_THAT(quiet_error_of([&] { read_image(d.file("rgb.vti")); }),
              HasSubstr("rgb.vti: array 'grey' has 3 components, expected 1"));
}

TEST(VtiErrors, CorruptXml) {
  TempDir d;
  std::ofstream(d.file("bad.vti")) << "<VTKFile type=\"ImageData\"><ImageData WholeExtent=";
  EXPECT_THAT(quiet_error_of([&] { read_image(d.file("bad.vti")); }),
              HasSubstr("bad.vti: VTK could not read the image"));
}

TEST(VtiErrors, NanVoxel) {
  TempDir d;
  vtkNew<vtkImageData> image;
  image->SetDimensions(4, 3, 2);
  vtkNew<vtkFloatArray> values;
  values->SetNumberOfTuples(24);
  values->Fill(1.0);
  values->SetValue(1 + 4 * (2 + 3 * 1), std::numeric_limits<float>::quiet_NaN());
  image->GetPointData()->SetScalars(values);
  vtkNew<vtkXMLImageDataWriter> writer;
  writer->SetFileName(d.file("nan.vti").c_str());
  writer->SetInputData(image);
  ASSERT_EQ(writer->Write(), 1);
  EXPECT_THAT(quiet_error_of([&] { read_image(d.file("nan.vti")); }),
              HasSubstr("nan.vti: voxel (1, 2, 1) (x, y, z) is nan"));
}

}  // namespace
}  // namespace bonesim
