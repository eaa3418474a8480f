// The format readers behind read_image(), one per file format (chosen by extension in
// read_image). Each returns the grey values as stored and the spacing found in the
// file, and throws InputError naming the file and what was expected.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "bonesim/io/image_import.hpp"

namespace bonesim {

// A MetaImage header as checked before any data are read (the MetaIO keys we use).
struct MetaImageHeader {
  std::array<int, 3> dims{};           // DimSize
  std::array<double, 3> spacing_um{};  // ElementSpacing (or ElementSize); 0 where absent
  std::string element_type;            // ElementType, e.g. "MET_UCHAR"
  int element_bytes = 0;               // bytes per element
  bool msb = false;                    // BinaryDataByteOrderMSB / ElementByteOrderMSB
  bool compressed = false;             // CompressedData (zlib)
  bool local = false;                  // ElementDataFile = LOCAL: data follow the header
  std::string data_file;               // path of the data (the header itself when local)
  std::uintmax_t data_offset = 0;      // first data byte in data_file
};

// Parses and checks a .mhd/.mha header, including the size of uncompressed data.
MetaImageHeader read_metaimage_header(const std::string& path);

// .mhd/.mha: header checked by read_metaimage_header, data read by vtkMetaImageReader.
ScalarImage read_metaimage(const std::string& path);

// .vti: vtkXMLImageDataReader; the first scalar array of point data, else cell data.
ScalarImage read_vti(const std::string& path);

// A rank-3 dataset stored [z][y][x], converted to float by HDF5; spacing from the
// dataset's `element_size_um` attribute (x y z) when present.
ScalarImage read_hdf5_image(const std::string& file, const std::string& dataset);

// VTK's image readers, with VTK errors (observer and output window) turned into
// InputError. Throws InputError when bonesim was built without VTK.
enum class VtkImageFormat { kMetaImage, kXmlImageData };
ScalarImage read_with_vtk(const std::string& path, VtkImageFormat format);

}  // namespace bonesim
