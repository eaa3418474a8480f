// What produced a run, saved beside its outputs (provenance.yaml).
#pragma once

#include <string>

#include "bonesim/config/config.hpp"

namespace bonesim {

struct Provenance {
  std::string config_file;   // as given on the command line
  std::string command_line;  // the whole invocation
  int threads = 0;           // worker threads actually used
};

// provenance.yaml: version, git commit, seed, threads, host, start time (UTC),
// config file and command line. The effective config goes to config.yaml
// (config_to_yaml), which `bonesim run` accepts back to repeat the run.
std::string provenance_yaml(const Config& cfg, const Provenance& p);

}  // namespace bonesim
