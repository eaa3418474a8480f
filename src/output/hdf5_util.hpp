// Small HDF5 C API helpers shared by the snapshot writer, the checkpoint reader and
// the run index (private to src/output: public headers stay free of HDF5 types).
#pragma once

#include <hdf5.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>

#include "bonesim/output/snapshot_info.hpp"

namespace bonesim::h5 {

// Owns one HDF5 identifier.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      close_ = o.close_;
      o.id_ = -1;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now and reports whether HDF5 managed to (a file close flushes metadata,
  // which is where a full disk often shows first).
  bool close() {
    const bool ok = id_ < 0 || close_(id_) >= 0;
    id_ = -1;
    return ok;
  }

 private:
  void reset() {
    if (id_ >= 0) close_(id_);
    id_ = -1;
  }
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

// Silences HDF5's automatic error printing for this thread while alive: failures
// become exceptions with one-line messages instead of stack dumps on stderr.
class QuietErrors {
 public:
  QuietErrors() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// The most useful line of the current HDF5 error stack: the system's reason
// ("No space left on device") when HDF5 recorded one, else the innermost message.
std::string last_error_reason();

// The native memory type of an element type (H5T_NATIVE_*; not to be closed).
hid_t native_type(ElementType t);

// The element type of the C++ type T (an error at compile time for other types).
template <class T>
constexpr ElementType element_type() {
  if constexpr (std::is_same_v<T, std::uint8_t>) {
    return ElementType::kUint8;
  } else if constexpr (std::is_same_v<T, std::int32_t>) {
    return ElementType::kInt32;
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    return ElementType::kUint64;
  } else if constexpr (std::is_same_v<T, float>) {
    return ElementType::kFloat32;
  } else {
    static_assert(std::is_same_v<T, double>, "no ElementType for this type");
    return ElementType::kFloat64;
  }
}

// The element type of a dataset or attribute type, if it is one of ours.
bool element_type_of(hid_t type, ElementType& out);

Handle create_group(hid_t parent, const std::string& name);  // tracks creation order
Handle open_group(hid_t parent, const std::string& name);
bool has_link(hid_t parent, const std::string& name);

// Attribute writers (return false on failure; the caller names the file).
bool write_attr(hid_t obj, const char* name, std::string_view value);  // UTF-8 string
bool write_attr(hid_t obj, const char* name, double value);
bool write_attr(hid_t obj, const char* name, std::int64_t value);
bool write_attr(hid_t obj, const char* name, std::uint64_t value);
bool write_attr(hid_t obj, const char* name, std::uint8_t value);
bool write_attr(hid_t obj, const char* name, const std::array<double, 3>& value);
bool write_attr(hid_t obj, const char* name, const std::array<int, 3>& value);

// Attribute readers: false if missing or not convertible to the requested type.
bool read_attr(hid_t obj, const char* name, double& value);
bool read_attr(hid_t obj, const char* name, std::int64_t& value);
bool read_attr(hid_t obj, const char* name, std::uint8_t& value);
bool read_attr(hid_t obj, const char* name, std::array<double, 3>& value);
bool read_attr(hid_t obj, const char* name, std::array<int, 3>& value);
bool read_attr(hid_t obj, const char* name, std::string& value);

// The attributes grid_size, voxel_size_um and origin_um of the root (the lattice's
// geometry) or of the /fields group (the fields'). false as above.
bool write_geometry(hid_t obj, const SnapshotGeometry& g);
bool read_geometry(hid_t obj, SnapshotGeometry& g);

// Closes a file whose writing failed (disk full, file size limit) without touching
// the disk again: HDF5 1.10 cannot close a file whose final metadata flush fails (the
// id lingers and crashes the library at exit), so the file's descriptor is first
// pointed at /dev/null, which takes the flush. The partial file on
// disk is the caller's to delete.
void abandon(Handle& file);

// The first half of abandon(): from now on the file's writes go to /dev/null, so that
// closing its datasets and groups (which flushes them) succeeds.
void divert_to_memory(hid_t file);

// Opens an existing HDF5 file read-only or throws InputError naming it.
Handle open_for_reading(const std::filesystem::path& path);

}  // namespace bonesim::h5
