#include "bonesim/output/table_h5.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "hdf5_util.hpp"

namespace bonesim {

void write_table_h5(const std::filesystem::path& path,
                    const std::vector<std::pair<std::string, std::vector<TableColumn>>>& groups) {
  using h5::Handle;
  const h5::QuietErrors quiet;
  std::uintmax_t bytes = std::uintmax_t(1) << 20;
  for (const auto& [name, columns] : groups) {
    for (const TableColumn& c : columns) {
      bytes += c.numbers.size() * sizeof(double);
      for (const std::string& t : c.text) bytes += t.size() + 16;
    }
  }
  ensure_space_for(path, bytes);
  const std::string tmp = path.string() + ".tmp";
  auto fail = [&](const std::string& what) {
    ::unlink(tmp.c_str());
    throw OutputError(path.string() + ": cannot " + what + ": " + h5::last_error_reason());
  };
  {
    Handle f(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!f.valid()) fail("create");
    Handle text_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(text_type.get(), H5T_VARIABLE);
    H5Tset_cset(text_type.get(), H5T_CSET_UTF8);
    for (const auto& [group, columns] : groups) {
      Handle g = h5::create_group(f.get(), group);
      if (!g.valid()) fail("create group /" + group);
      for (const TableColumn& c : columns) {
        const bool is_text = !c.text.empty() || c.numbers.empty();
        const hsize_t n = is_text ? c.text.size() : c.numbers.size();
        Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
        const hid_t type = is_text ? text_type.get() : H5T_NATIVE_DOUBLE;
        Handle d(H5Dcreate2(g.get(), c.name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                            H5P_DEFAULT),
                 H5Dclose);
        if (!d.valid()) fail("write /" + group + "/" + c.name);
        herr_t ok = 0;
        if (n > 0 && is_text) {
          std::vector<const char*> ptrs;
          for (const std::string& t : c.text) ptrs.push_back(t.c_str());
          ok = H5Dwrite(d.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
        } else if (n > 0) {
          ok = H5Dwrite(d.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, c.numbers.data());
        }
        if (ok < 0) fail("write /" + group + "/" + c.name);
      }
      if (!g.close()) fail("write /" + group);
    }
    if (H5Fflush(f.get(), H5F_SCOPE_LOCAL) < 0 || !f.close()) fail("write");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw OutputError(path.string() + ": cannot replace: " + std::strerror(err));
  }
}

}  // namespace bonesim
