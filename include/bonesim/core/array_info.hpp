// What the outputs say about an array of the state: its units and a line for users.
#pragma once

#include <string_view>

namespace bonesim {

struct ArrayInfo {
  std::string_view units;        // "1" for fractions and counts, "d", "um", "pM", ...
  std::string_view description;  // one line for users (HDF5 attribute, docs)
};

}  // namespace bonesim
