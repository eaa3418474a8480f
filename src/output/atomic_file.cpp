#include "bonesim/output/atomic_file.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "bonesim/core/error.hpp"

namespace bonesim {

namespace {
[[noreturn]] void fail(const std::filesystem::path& p, const std::string& what, int err) {
  throw OutputError(p.string() + ": cannot " + what + ": " + std::strerror(err));
}
}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "create a temporary file", errno);
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(path, "write", err);
    }
    p += n;
    left -= std::size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(path, "flush", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(path, "replace", err);
  }
}

void ensure_space_for(const std::filesystem::path& path, std::uintmax_t bytes) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      bytes > limit.rlim_cur) {
    throw OutputError(path.string() + ": cannot write: " + std::strerror(EFBIG) + " (needs " +
                      std::to_string(bytes) + " bytes; the file-size limit is " +
                      std::to_string(limit.rlim_cur) + ")");
  }
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) return;  // the write itself will say what is wrong
  const std::uintmax_t free_bytes = std::uintmax_t(fs.f_bavail) * fs.f_frsize;
  if (bytes > free_bytes) {
    throw OutputError(path.string() + ": cannot write: " + std::strerror(ENOSPC) + " (needs " +
                      std::to_string(bytes >> 20) + " MiB, " + std::to_string(free_bytes >> 20) +
                      " MiB free)");
  }
}

void prepare_output_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError(dir.string() + ": cannot create output directory: " + ec.message());
  if (!std::filesystem::is_directory(dir)) {
    throw OutputError(dir.string() + ": exists but is not a directory");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) fail(dir, "write into output directory", errno);
}

}  // namespace bonesim
