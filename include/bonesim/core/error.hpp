// The small exception hierarchy of bonesim. Messages are one line each and name
// the file, line, key or voxel at fault and what was expected.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace bonesim {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A configuration that cannot be run; holds every problem found, one line each.
struct ConfigError : Error {
  explicit ConfigError(std::vector<std::string> lines);
  std::vector<std::string> lines;
};

// An input file (image, checkpoint) that cannot be read as expected.
struct InputError : Error {
  using Error::Error;
};

// An output that cannot be written (unwritable directory, full disk).
struct OutputError : Error {
  using Error::Error;
};

}  // namespace bonesim
