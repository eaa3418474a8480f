// What a config key accepts: the one description used for loading, checking, error
// messages and the effective-config writer (src/config/config_yaml.cpp).
#pragma once

#include <limits>
#include <string_view>

namespace bonesim {

// What a key accepts, for checking and for error messages.
struct KeySpec {
  std::string_view doc;                                   // one line with units
  double min = -std::numeric_limits<double>::infinity();  // inclusive unless min_open
  double max = std::numeric_limits<double>::infinity();   // inclusive
  bool min_open = false;                                  // true: value must exceed min
  std::string_view choices = {};                          // "a|b|c" for enumerated strings
};

}  // namespace bonesim
