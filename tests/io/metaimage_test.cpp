// MetaImage import: hand-written .mhd/.raw files read back exactly, and each broken
// header reported with the file, the line and what was expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_import.hpp"
#include "bonesim/io/image_readers.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace bonesim {
namespace {

namespace fs = std::filesystem;

using testing_support::quiet_error_of;
using testing_support::TempDir;

constexpr int kNx = 7, kNy = 6, kNz = 5;  // unequal, so that swapped axes show

// A distinct value per voxel (checks the axis order) that fits every tested type.
double pattern(int i, int j, int k) {
  return i + 10 * j + 60 * k - 150;
}

template <class T>
std::vector<T> pattern_values(double scale = 1.0, double offset = 0.0) {
  std::vector<T> v;
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i) v.push_back(T(pattern(i, j, k) * scale + offset));
  return v;
}

template <class T>
std::string bytes_of(const std::vector<T>& v, bool big_endian = false) {
  std::string s(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  if (big_endian) {
    for (std::size_t e = 0; e < v.size(); ++e) {
      std::reverse(s.begin() + e * sizeof(T), s.begin() + (e + 1) * sizeof(T));
    }
  }
  return s;
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::string header(const std::string& type, const std::string& data_file,
                   const std::string& extra = "") {
  return "ObjectType = Image\nNDims = 3\nDimSize = 7 6 5\nElementSpacing = 12.5 11 10\n"
         "BinaryData = True\nBinaryDataByteOrderMSB = False\n" +
         extra + "ElementType = " + type + "\nElementDataFile = " + data_file + "\n";
}

template <class T>
void expect_pattern(const ScalarImage& img, double scale = 1.0, double offset = 0.0) {
  ASSERT_EQ(img.dims, (std::array<int, 3>{kNx, kNy, kNz}));
  ASSERT_EQ(img.values.size(), std::size_t(kNx * kNy * kNz));
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j < kNy; ++j)
      for (int i = 0; i < kNx; ++i)
        ASSERT_EQ(img.at(i, j, k), float(T(pattern(i, j, k) * scale + offset)))
            << i << " " << j << " " << k;
}

using ::testing::HasSubstr;

TEST(MetaImage, RoundTripUint8) {
  TempDir d;
  write_file(d.file("bone.raw"), bytes_of(pattern_values<std::uint8_t>(0.5, 75)));
  write_file(d.file("bone.mhd"), header("MET_UCHAR", "bone.raw"));
  const ScalarImage img = read_image(d.file("bone.mhd"));
  expect_pattern<std::uint8_t>(img, 0.5, 75);
  EXPECT_EQ(img.spacing_um, (std::array<double, 3>{12.5, 11, 10}));
}

TEST(MetaImage, RoundTripInt16WithNegativeValues) {
  TempDir d;
  write_file(d.file("bone.raw"), bytes_of(pattern_values<std::int16_t>(100.0)));
  write_file(d.file("bone.mhd"), header("MET_SHORT", "bone.raw"));
  expect_pattern<std::int16_t>(read_image(d.file("bone.mhd")), 100.0);
}

TEST(MetaImage, RoundTripFloatUint16Double) {
  TempDir d;
  write_file(d.file("f.raw"), bytes_of(pattern_values<float>(0.37)));
  write_file(d.file("f.mhd"), header("MET_FLOAT", "f.raw"));
  expect_pattern<float>(read_image(d.file("f.mhd")), 0.37);

  write_file(d.file("u.raw"), bytes_of(pattern_values<std::uint16_t>(100.0, 20000)));
  write_file(d.file("u.mhd"), header("MET_USHORT", "u.raw"));
  expect_pattern<std::uint16_t>(read_image(d.file("u.mhd")), 100.0, 20000);

  write_file(d.file("d.raw"), bytes_of(pattern_values<double>(-1.5)));
  write_file(d.file("d.mhd"), header("MET_DOUBLE", "d.raw"));
  expect_pattern<double>(read_image(d.file("d.mhd")), -1.5);
}

TEST(MetaImage, BigEndianDataAreSwapped) {
  TempDir d;
  write_file(d.file("be.raw"), bytes_of(pattern_values<std::int16_t>(100.0), true));
  std::string h = header("MET_SHORT", "be.raw");
  h.replace(h.find("MSB = False"), 11, "MSB = True");
  write_file(d.file("be.mhd"), h);
  expect_pattern<std::int16_t>(read_image(d.file("be.mhd")), 100.0);
}

TEST(MetaImage, LocalDataInMha) {
  TempDir d;
  write_file(d.file("bone.mha"),
             header("MET_SHORT", "LOCAL") + bytes_of(pattern_values<std::int16_t>(3.0)));
  expect_pattern<std::int16_t>(read_image(d.file("bone.mha")), 3.0);
}

TEST(MetaImage, CompressedZraw) {
  TempDir d;
  const std::string raw = bytes_of(pattern_values<std::int16_t>(7.0));
  uLongf size = compressBound(uLong(raw.size()));
  std::string packed(size, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(packed.data()), &size,
                      reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()), 6),
            Z_OK);
  packed.resize(size);
  write_file(d.file("bone.zraw"), packed);
  write_file(d.file("bone.mhd"),
             header("MET_SHORT", "bone.zraw",
                    "CompressedData = True\nCompressedDataSize = " + std::to_string(size) + "\n"));
  expect_pattern<std::int16_t>(read_image(d.file("bone.mhd")), 7.0);

  // A truncated stream is VTK's (MetaIO's) to detect: still one clean InputError.
  write_file(d.file("bone.zraw"), packed.substr(0, packed.size() / 2));
  const std::string what = quiet_error_of([&] { read_image(d.file("bone.mhd")); });
  EXPECT_THAT(what, HasSubstr("bone.mhd: VTK could not read the image"));
  std::cout << "truncated .zraw: " << what << "\n";
}

TEST(MetaImage, MissingSpacingIsUnknown) {
  TempDir d;
  write_file(d.file("bone.raw"), bytes_of(pattern_values<std::uint8_t>(0.5, 75)));
  std::string h = header("MET_UCHAR", "bone.raw");
  h.erase(h.find("ElementSpacing"), std::string("ElementSpacing = 12.5 11 10\n").size());
  write_file(d.file("bone.mhd"), h);
  EXPECT_EQ(read_image(d.file("bone.mhd")).spacing_um, (std::array<double, 3>{0, 0, 0}));
}

TEST(MetaImageErrors, TruncatedRaw) {
  TempDir d;
  std::string data = bytes_of(pattern_values<std::int16_t>());
  data.pop_back();
  write_file(d.file("bone.raw"), data);
  write_file(d.file("bone.mhd"), header("MET_SHORT", "bone.raw"));
  const std::string what = quiet_error_of([&] { read_image(d.file("bone.mhd")); });
  EXPECT_THAT(what, HasSubstr("bone.raw: 419 bytes of data, expected 420"));
  EXPECT_THAT(what, HasSubstr("bone.mhd"));
}

TEST(MetaImageErrors, CorruptDimSize) {
  TempDir d;
  write_file(d.file("bone.raw"), bytes_of(pattern_values<std::uint8_t>(0.5, 75)));
  std::string h = header("MET_UCHAR", "bone.raw");
  h.replace(h.find("7 6 5"), 5, "10 x");
  write_file(d.file("bone.mhd"), h);
  const std::string what = quiet_error_of([&] { read_image(d.file("bone.mhd")); });
  EXPECT_THAT(what, HasSubstr("bone.mhd:3: DimSize: expected 3 positive integers, got '10 x'"));
}

TEST(MetaImageErrors, HeaderProblemsNameLineAndKey) {
  TempDir d;
  write_file(d.file("bone.raw"), bytes_of(pattern_values<std::uint8_t>(0.5, 75)));
  auto fails_with = [&](std::string h, const std::string& expected) {
    write_file(d.file("bone.mhd"), h);
    EXPECT_THAT(quiet_error_of([&] { read_image(d.file("bone.mhd")); }), HasSubstr(expected)) << h;
  };
  const std::string good = header("MET_UCHAR", "bone.raw");
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string h = good;
    h.replace(h.find(from), from.size(), to);
    return h;
  };
  fails_with(replaced("NDims = 3", "NDims = 2"), "bone.mhd:2: NDims: expected 3, got '2'");
  fails_with(replaced("DimSize = 7 6 5\n", ""), "bone.mhd: missing key DimSize");
  fails_with(replaced("DimSize = 7 6 5", "DimSize = 7 0 5"), "bone.mhd:3: DimSize: expected 3");
  fails_with(replaced("ElementSpacing = 12.5 11 10", "ElementSpacing = 1 -1 1"),
             "bone.mhd:4: ElementSpacing: expected 3 positive numbers");
  fails_with(replaced("BinaryData = True", "BinaryData = False"), "bone.mhd:5: BinaryData");
  fails_with(replaced("MSB = False", "MSB = Maybe"),
             "bone.mhd:6: BinaryDataByteOrderMSB: expected True or False, got 'Maybe'");
  fails_with(replaced("NDims = 3", "NDims 3"), "bone.mhd:2: expected 'Key = Value', got 'NDims 3'");
  fails_with(replaced("ElementDataFile = bone.raw\n", ""), "bone.mhd: missing key ElementDataFile");
  fails_with(replaced("ElementType = MET_UCHAR\n",
                      "ElementType = MET_UCHAR\nElementNumberOfChannels = 3\n"),
             "ElementNumberOfChannels: expected 1");
}

TEST(MetaImageErrors, UnsupportedElementType) {
  TempDir d;
  write_file(d.file("bone.raw"), std::string(7 * 6 * 5 * 8, '\0'));
  write_file(d.file("bone.mhd"), header("MET_LONG_LONG", "bone.raw"));
  const std::string what = quiet_error_of([&] { read_image(d.file("bone.mhd")); });
  EXPECT_THAT(what, HasSubstr("bone.mhd:7: ElementType: unsupported 'MET_LONG_LONG'"));
  EXPECT_THAT(what, HasSubstr("expected MET_UCHAR"));
}

TEST(MetaImageErrors, MissingDataFile) {
  TempDir d;
  write_file(d.file("bone.mhd"), header("MET_UCHAR", "gone.raw"));
  const std::string what = quiet_error_of([&] { read_image(d.file("bone.mhd")); });
  EXPECT_THAT(what, HasSubstr("bone.mhd:8: ElementDataFile: data file"));
  EXPECT_THAT(what, HasSubstr("gone.raw' not found"));
}

TEST(MetaImageErrors, NanVoxelIsNamed) {
  TempDir d;
  std::vector<float> v = pattern_values<float>();
  v[3 + kNx * (2 + kNy * 1)] = std::numeric_limits<float>::quiet_NaN();
  v[5 + kNx * (4 + kNy * 3)] = std::numeric_limits<float>::infinity();  // later: not named
  write_file(d.file("bone.raw"), bytes_of(v));
  write_file(d.file("bone.mhd"), header("MET_FLOAT", "bone.raw"));
  const std::string what = quiet_error_of([&] { read_image(d.file("bone.mhd")); });
  EXPECT_THAT(what, HasSubstr("bone.mhd: voxel (3, 2, 1) (x, y, z) is nan"));
  EXPECT_THAT(what, HasSubstr("expected finite"));

  v[3 + kNx * (2 + kNy * 1)] = 0;
  write_file(d.file("bone.raw"), bytes_of(v));
  EXPECT_THAT(quiet_error_of([&] { read_image(d.file("bone.mhd")); }),
              HasSubstr("voxel (5, 4, 3) (x, y, z) is inf"));
}

TEST(MetaImageErrors, BinaryGarbageAsHeader) {
  TempDir d;
  write_file(d.file("bone.mhd"), std::string("\x01\x02\0\x7f\n", 5));
  EXPECT_THAT(quiet_error_of([&] { read_image(d.file("bone.mhd")); }),
              HasSubstr("bone.mhd:1: not a MetaImage header line"));
}

}  // namespace
}  // namespace bonesim
