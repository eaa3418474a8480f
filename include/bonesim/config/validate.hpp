// Rules that involve more than one key (single-key ranges live in each KeySpec).
#pragma once

#include <string>
#include <vector>

#include "bonesim/config/config.hpp"

namespace bonesim {

struct ConfigIssue {
  std::string key;      // dotted key path, e.g. "lattice.synthetic.tb_th_um"
  std::string message;  // what is wrong and what was expected
};

// Every cross-key problem of `cfg`; empty when the run can start.
std::vector<ConfigIssue> validate_config(const Config& cfg);

}  // namespace bonesim
