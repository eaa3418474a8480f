// A fresh temporary directory per test, removed again when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace bonesim::testing_support {

// <tmp>/bonesim_<suite>_<test>_<pid>: unique per test and per process (ctest runs tests
// in parallel), emptied on construction and removed, whatever a test left in it, on
// destruction, even where the test took away permissions.
class TempDir {
 public:
  TempDir() : path(std::filesystem::temp_directory_path() / unique_name()) {
    remove_tree(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { remove_tree(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The path of `name` inside the directory.
  std::string file(const std::string& name) const { return (path / name).string(); }

  const std::filesystem::path path;

 private:
  static std::string unique_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "bonesim_";
    name += info ? std::string(info->test_suite_name()) + "_" + info->name() : "no_test";
    for (char& c : name) {
      if (c == '/') c = '_';  // parameterised tests are named Suite/Test/0
    }
    return name + "_" + std::to_string(::getpid());
  }

  // Gives the owner back full access to `p` and everything below it (not following
  // symbolic links), so that remove_all can list and delete it.
  static void restore_permissions(const std::filesystem::path& p) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status s = fs::symlink_status(p, ec);
    if (ec || !fs::exists(s) || fs::is_symlink(s)) return;
    fs::permissions(p, fs::perms::owner_all, fs::perm_options::add, ec);
    if (!fs::is_directory(s)) return;
    for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
      restore_permissions(it->path());
    }
  }

  static void remove_tree(const std::filesystem::path& p) noexcept {
    std::error_code ec;
    restore_permissions(p);
    std::filesystem::remove_all(p, ec);
  }
};

}  // namespace bonesim::testing_support
