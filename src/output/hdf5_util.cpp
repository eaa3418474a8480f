#include "hdf5_util.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "bonesim/core/error.hpp"

namespace bonesim::h5 {

namespace {

struct ReasonSearch {
  std::string innermost;
  std::string system;  // "No space left on device", from "error message = '...'"
};

herr_t collect_reason(unsigned n, const H5E_error2_t* e, void* data) {
  auto* r = static_cast<ReasonSearch*>(data);
  const std::string desc = e->desc ? e->desc : "";
  if (n == 0) r->innermost = desc;
  const std::string key = "error message = '";
  const std::size_t at = desc.find(key);
  if (r->system.empty() && at != std::string::npos) {
    const std::size_t begin = at + key.size();
    r->system = desc.substr(begin, desc.find('\'', begin) - begin);
  }
  return 0;
}

template <class T>
bool write_attr_raw(hid_t obj, const char* name, hid_t type, const T* values, hsize_t n,
                    bool scalar) {
  if (H5Aexists(obj, name) > 0) H5Adelete(obj, name);
  Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle attr(H5Acreate2(obj, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  return attr.valid() && H5Awrite(attr.get(), type, values) >= 0;
}

// Reads n numbers of an attribute converted to `type` (HDF5 converts between numeric
// types; a string or compound attribute fails).
bool read_attr_raw(hid_t obj, const char* name, hid_t type, void* out, hssize_t n) {
  if (H5Aexists(obj, name) <= 0) return false;
  Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  Handle ftype(H5Aget_type(attr.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(ftype.get());
  return attr.valid() && (cls == H5T_INTEGER || cls == H5T_FLOAT) &&
         H5Sget_simple_extent_npoints(space.get()) == n && H5Aread(attr.get(), type, out) >= 0;
}

}  // namespace

std::string last_error_reason() {
  ReasonSearch r;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_reason, &r);
  if (!r.system.empty()) return r.system;
  return r.innermost.empty() ? "HDF5 error" : r.innermost;
}

hid_t native_type(ElementType t) {
  switch (t) {
    case ElementType::kUint8:
      return H5T_NATIVE_UINT8;
    case ElementType::kInt32:
      return H5T_NATIVE_INT32;
    case ElementType::kUint64:
      return H5T_NATIVE_UINT64;
    case ElementType::kFloat32:
      return H5T_NATIVE_FLOAT;
    case ElementType::kFloat64:
      return H5T_NATIVE_DOUBLE;
  }
  return H5T_NATIVE_DOUBLE;
}

bool element_type_of(hid_t type, ElementType& out) {
  const H5T_class_t cls = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  if (cls == H5T_FLOAT) {
    if (size == 4) out = ElementType::kFloat32;
    if (size == 8) out = ElementType::kFloat64;
    return size == 4 || size == 8;
  }
  if (cls != H5T_INTEGER) return false;
  const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
  if (size == 1 && !is_signed)
    out = ElementType::kUint8;
  else if (size == 4 && is_signed)
    out = ElementType::kInt32;
  else if (size == 8 && !is_signed)
    out = ElementType::kUint64;
  else
    return false;
  return true;
}

Handle create_group(hid_t parent, const std::string& name) {
  // Creation order lets read_snapshot_info list arrays in visit_state order.
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose);
}

Handle open_group(hid_t parent, const std::string& name) {
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose);
}

bool has_link(hid_t parent, const std::string& name) {
  return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0;
}

bool write_attr(hid_t obj, const char* name, std::string_view value) {
  // Variable-length UTF-8: h5py returns these as str, not bytes.
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const std::string s(value);
  const char* p = s.c_str();
  return write_attr_raw(obj, name, type.get(), &p, 1, true);
}
bool write_attr(hid_t obj, const char* name, double value) {
  return write_attr_raw(obj, name, H5T_NATIVE_DOUBLE, &value, 1, true);
}
bool write_attr(hid_t obj, const char* name, std::int64_t value) {
  return write_attr_raw(obj, name, H5T_NATIVE_INT64, &value, 1, true);
}
bool write_attr(hid_t obj, const char* name, std::uint64_t value) {
  return write_attr_raw(obj, name, H5T_NATIVE_UINT64, &value, 1, true);
}
bool write_attr(hid_t obj, const char* name, std::uint8_t value) {
  return write_attr_raw(obj, name, H5T_NATIVE_UINT8, &value, 1, true);
}
bool write_attr(hid_t obj, const char* name, const std::array<double, 3>& value) {
  return write_attr_raw(obj, name, H5T_NATIVE_DOUBLE, value.data(), 3, false);
}
bool write_attr(hid_t obj, const char* name, const std::array<int, 3>& value) {
  return write_attr_raw(obj, name, H5T_NATIVE_INT, value.data(), 3, false);
}

bool read_attr(hid_t obj, const char* name, double& value) {
  return read_attr_raw(obj, name, H5T_NATIVE_DOUBLE, &value, 1);
}
bool read_attr(hid_t obj, const char* name, std::int64_t& value) {
  return read_attr_raw(obj, name, H5T_NATIVE_INT64, &value, 1);
}
bool read_attr(hid_t obj, const char* name, std::uint8_t& value) {
  return read_attr_raw(obj, name, H5T_NATIVE_UINT8, &value, 1);
}
bool read_attr(hid_t obj, const char* name, std::array<double, 3>& value) {
  return read_attr_raw(obj, name, H5T_NATIVE_DOUBLE, value.data(), 3);
}
bool read_attr(hid_t obj, const char* name, std::array<int, 3>& value) {
  return read_attr_raw(obj, name, H5T_NATIVE_INT, value.data(), 3);
}
bool read_attr(hid_t obj, const char* name, std::string& value) {
  if (H5Aexists(obj, name) <= 0) return false;
  Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  Handle ftype(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(ftype.get()) != H5T_STRING) return false;
  if (H5Tis_variable_str(ftype.get()) > 0) {
    Handle mtype(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mtype.get(), H5T_VARIABLE);
    H5Tset_cset(mtype.get(), H5Tget_cset(ftype.get()));
    char* p = nullptr;
    if (H5Aread(attr.get(), mtype.get(), &p) < 0) return false;
    value = p ? p : "";
    H5free_memory(p);
    return true;
  }
  std::vector<char> buf(H5Tget_size(ftype.get()) + 1, '\0');
  if (H5Aread(attr.get(), ftype.get(), buf.data()) < 0) return false;
  value = buf.data();
  return true;
}

bool write_geometry(hid_t obj, const SnapshotGeometry& g) {
  return write_attr(obj, "voxel_size_um", g.voxel_size_um) &&
         write_attr(obj, "origin_um", g.origin_um) && write_attr(obj, "grid_size", g.grid_size);
}

bool read_geometry(hid_t obj, SnapshotGeometry& g) {
  return read_attr(obj, "grid_size", g.grid_size) &&
         read_attr(obj, "voxel_size_um", g.voxel_size_um) &&
         read_attr(obj, "origin_um", g.origin_um);
}

void abandon(Handle& file) {
  if (!file.valid()) return;
  divert_to_memory(file.get());
  file.close();
}

void divert_to_memory(hid_t file) {
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) >= 0 && handle) {
    const int fd = *static_cast<int*>(handle);  // the sec2 driver's descriptor
    // /dev/null, not a file: a file-size limit (RLIMIT_FSIZE) would refuse these too.
    const int sink = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (sink >= 0) {
      ::dup2(sink, fd);
      ::close(sink);
    }
  }
}

Handle open_for_reading(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw InputError(path.string() + ": file not found");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path.string() + ": not an HDF5 file");
  Handle f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.valid()) {
    throw InputError(path.string() + ": cannot open the HDF5 file: " + last_error_reason());
  }
  return f;
}

}  // namespace bonesim::h5
