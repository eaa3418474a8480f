// YAML <-> Config. Every problem in a file is reported at once, one line each:
//   run.yaml:4:9: run.days: got 'ten', expected a number in [0, 36500] (simulated days)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bonesim/config/config.hpp"
#include "bonesim/config/sweep_config.hpp"

namespace bonesim {

// Reads a config file and applies command-line overrides ("run.days=10", values in
// YAML syntax, e.g. "lattice.synthetic.size_voxels=[64,64,64]"), then validates the
// result. Relative paths in the file are relative to the file's directory; those
// given as overrides to the working directory. Throws ConfigError listing every problem.
Config load_config(const std::string& path, const std::vector<std::string>& overrides = {});

// Same, from YAML text; `name` stands for the file in messages and relative paths
// in the text are taken relative to `base_dir` (when not empty).
Config load_config_text(std::string_view yaml, std::string_view name,
                        const std::vector<std::string>& overrides = {},
                        const std::string& base_dir = "");

// Reads a sweep file (sweep_config.hpp) with the same messages; `base` comes back
// relative to the working directory. Throws ConfigError listing every problem.
SweepConfig load_sweep_config(const std::string& path);

// The complete effective configuration as YAML, one commented line per key.
std::string config_to_yaml(const Config& cfg);

}  // namespace bonesim
