// MetaImage (.mhd/.mha) import. The header is checked here, line by line, so that a
// broken file gets a message naming the line and the key; the data are then read by
// VTK's MetaIO-based reader (image_vtk.cpp), which reports far less precise errors.
// Format: https://itk.org/Wiki/ITK/MetaIO/Documentation
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string_view>
#include <vector>

#include "bonesim/core/error.hpp"
#include "bonesim/io/image_readers.hpp"

namespace bonesim {

namespace {

namespace fs = std::filesystem;

struct ElementType {
  std::string_view name;
  int bytes;
};

// The scalar types vtkMetaImageReader maps onto VTK types of the same size.
constexpr ElementType kElementTypes[] = {{"MET_UCHAR", 1}, {"MET_CHAR", 1},  {"MET_USHORT", 2},
                                         {"MET_SHORT", 2}, {"MET_UINT", 4},  {"MET_INT", 4},
                                         {"MET_FLOAT", 4}, {"MET_DOUBLE", 8}};

constexpr std::size_t kMaxHeaderLines = 200;
constexpr std::size_t kMaxLineLength = 4096;

struct Entry {
  std::string value;
  int line = 0;
};

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

std::vector<std::string> tokens(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

// Reads the "Key = Value" lines up to and including ElementDataFile, which MetaIO
// requires to be the last key (LOCAL data start on the next byte).
class HeaderParser {
 public:
  explicit HeaderParser(std::string path) : path_(std::move(path)) {}

  void parse() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw InputError(path_ + ": cannot open the MetaImage header");
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.size() > kMaxLineLength || line.find('\0') != std::string::npos ||
          std::size_t(number) > kMaxHeaderLines) {
        fail(number, "not a MetaImage header line (binary data before ElementDataFile?)");
      }
      const std::string text = trim(line);
      if (text.empty()) continue;
      const auto eq = text.find('=');
      if (eq == std::string::npos) fail(number, "expected 'Key = Value', got '" + text + "'");
      const std::string key = trim(std::string_view(text).substr(0, eq));
      if (key.empty()) fail(number, "expected 'Key = Value', got '" + text + "'");
      if (entries_.count(key)) {
        fail(number,
             key + ": duplicate key (first on line " + std::to_string(entries_[key].line) + ")");
      }
      entries_[key] = {trim(std::string_view(text).substr(eq + 1)), number};
      if (key == "ElementDataFile") {
        // No newline after the last key: the file ends there (no LOCAL data).
        data_offset_ = in.eof() ? fs::file_size(path_) : std::uintmax_t(in.tellg());
        return;
      }
    }
    throw InputError(where() +
                     ": missing key ElementDataFile (expected the last line to be "
                     "'ElementDataFile = <file>' or 'ElementDataFile = LOCAL')");
  }

  const Entry* find(const std::string& key) const {
    const auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }

  const Entry& require(const std::string& key, const std::string& expected) const {
    const Entry* e = find(key);
    if (!e) throw InputError(where() + ": missing key " + key + " (expected " + expected + ")");
    return *e;
  }

  [[noreturn]] void fail(int line, const std::string& what) const {
    throw InputError(where() + ":" + std::to_string(line) + ": " + what);
  }

  const std::string& where() const { return path_; }
  std::uintmax_t data_offset() const { return data_offset_; }

 private:
  std::string path_;
  std::map<std::string, Entry> entries_;
  std::uintmax_t data_offset_ = 0;
};

bool parse_int(const std::string& s, long long& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end;
}

bool parse_double(const std::string& s, double& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && std::isfinite(out);
}

bool parse_bool(const HeaderParser& h, const std::string& key, bool fallback) {
  const Entry* e = h.find(key);
  if (!e) return fallback;
  if (e->value == "True" || e->value == "true" || e->value == "1") return true;
  if (e->value == "False" || e->value == "false" || e->value == "0") return false;
  h.fail(e->line, key + ": expected True or False, got '" + e->value + "'");
}

std::array<int, 3> parse_dims(const HeaderParser& h) {
  const Entry& e = h.require("DimSize", "3 positive integers");
  const auto t = tokens(e.value);
  std::array<int, 3> dims{};
  bool ok = t.size() == 3;
  for (std::size_t a = 0; ok && a < 3; ++a) {
    long long v = 0;
    ok = parse_int(t[a], v) && v > 0 && v <= std::numeric_limits<int>::max();
    dims[a] = ok ? int(v) : 0;
  }
  if (!ok) h.fail(e.line, "DimSize: expected 3 positive integers, got '" + e.value + "'");
  return dims;
}

std::array<double, 3> parse_spacing(const HeaderParser& h) {
  const Entry* e = h.find("ElementSpacing");
  std::string key = "ElementSpacing";
  if (!e) {
    e = h.find("ElementSize");
    key = "ElementSize";
  }
  if (!e) return {0.0, 0.0, 0.0};
  const auto t = tokens(e->value);
  std::array<double, 3> s{};
  bool ok = t.size() == 3;
  for (std::size_t a = 0; ok && a < 3; ++a) ok = parse_double(t[a], s[a]) && s[a] > 0;
  if (!ok) h.fail(e->line, key + ": expected 3 positive numbers, got '" + e->value + "'");
  return s;
}

}  // namespace

MetaImageHeader read_metaimage_header(const std::string& path) {
  HeaderParser h(path);
  h.parse();
  MetaImageHeader hdr;

  if (const Entry* e = h.find("ObjectType"); e && e->value != "Image") {
    h.fail(e->line, "ObjectType: expected Image, got '" + e->value + "'");
  }
  const Entry& ndims = h.require("NDims", "NDims = 3");
  if (long long n = 0; !parse_int(ndims.value, n) || n != 3) {
    h.fail(ndims.line, "NDims: expected 3, got '" + ndims.value + "'");
  }
  hdr.dims = parse_dims(h);
  hdr.spacing_um = parse_spacing(h);

  const Entry& type = h.require("ElementType", "e.g. ElementType = MET_UCHAR");
  const auto* known = std::find_if(std::begin(kElementTypes), std::end(kElementTypes),
                                   [&](const ElementType& t) { return t.name == type.value; });
  if (known == std::end(kElementTypes)) {
    h.fail(type.line, "ElementType: unsupported '" + type.value +
                          "' (expected MET_UCHAR, MET_CHAR, MET_USHORT, MET_SHORT, MET_UINT, "
                          "MET_INT, MET_FLOAT or MET_DOUBLE)");
  }
  hdr.element_type = type.value;
  hdr.element_bytes = known->bytes;

  if (const Entry* e = h.find("ElementNumberOfChannels")) {
    if (long long c = 0; !parse_int(e->value, c) || c != 1) {
      h.fail(e->line, "ElementNumberOfChannels: expected 1 (grey values), got '" + e->value + "'");
    }
  }
  // MetaIO reads text values when BinaryData is absent or False; we only take binary data.
  const Entry& binary = h.require("BinaryData", "BinaryData = True");
  if (!parse_bool(h, "BinaryData", false)) {
    h.fail(binary.line,
           "BinaryData: expected True (text data are not supported), got '" + binary.value + "'");
  }
  hdr.msb = parse_bool(h, "BinaryDataByteOrderMSB",
                       parse_bool(h, "ElementByteOrderMSB", parse_bool(h, "ByteOrderMSB", false)));
  hdr.compressed = parse_bool(h, "CompressedData", false);

  long long header_size = 0;
  if (const Entry* e = h.find("HeaderSize")) {
    if (!parse_int(e->value, header_size) || header_size < -1) {
      h.fail(e->line, "HeaderSize: expected an integer >= -1, got '" + e->value + "'");
    }
  }

  const Entry& data = *h.find("ElementDataFile");
  if (data.value.empty() || data.value == "LIST" || data.value.find('%') != std::string::npos ||
      tokens(data.value).size() != 1) {
    h.fail(data.line, "ElementDataFile: expected one file name or LOCAL, got '" + data.value + "'");
  }
  hdr.local = data.value == "LOCAL";
  if (hdr.local) {
    hdr.data_file = path;
    hdr.data_offset = h.data_offset();
  } else {
    fs::path file(data.value);
    if (file.is_relative()) file = fs::path(path).parent_path() / file;
    if (!fs::is_regular_file(file)) {
      h.fail(data.line, "ElementDataFile: data file '" + file.string() + "' not found");
    }
    hdr.data_file = file.string();
    hdr.data_offset = header_size > 0 ? std::uintmax_t(header_size) : 0;
  }

  // Compressed sizes cannot be checked before inflating; VTK reports those.
  if (!hdr.compressed) {
    const std::uintmax_t expected = std::uintmax_t(hdr.dims[0]) * std::uintmax_t(hdr.dims[1]) *
                                    std::uintmax_t(hdr.dims[2]) * std::uintmax_t(hdr.element_bytes);
    const std::uintmax_t size = fs::file_size(hdr.data_file);
    const std::uintmax_t available = size >= hdr.data_offset ? size - hdr.data_offset : 0;
    // HeaderSize = -1: the data are the last bytes of the file, after a header of any size.
    const bool ok =
        (header_size == -1 && !hdr.local) ? available >= expected : available == expected;
    if (!ok) {
      std::ostringstream msg;
      msg << hdr.data_file << ": " << available << " bytes of data, expected " << expected
          << " (DimSize " << hdr.dims[0] << " " << hdr.dims[1] << " " << hdr.dims[2] << " x "
          << hdr.element_bytes << " byte(s) of " << hdr.element_type << ", from " << path << ")";
      throw InputError(msg.str());
    }
  }
  return hdr;
}

ScalarImage read_metaimage(const std::string& path) {
  const MetaImageHeader hdr = read_metaimage_header(path);
  ScalarImage image = read_with_vtk(path, VtkImageFormat::kMetaImage);
  if (image.dims != hdr.dims) {
    std::ostringstream msg;
    msg << path << ": VTK read " << image.dims[0] << " x " << image.dims[1] << " x "
        << image.dims[2] << " voxels, expected DimSize " << hdr.dims[0] << " " << hdr.dims[1] << " "
        << hdr.dims[2];
    throw InputError(msg.str());
  }
  image.spacing_um = hdr.spacing_um;  // VTK reports 1 where the header has no spacing
  return image;
}

}  // namespace bonesim
