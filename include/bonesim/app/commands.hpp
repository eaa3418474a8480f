// The bonesim subcommands, callable from main() and from tests.
#pragma once

#include <string>
#include <vector>

namespace bonesim {

// Exit statuses of the bonesim program.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // a run-time failure: unreadable image, unwritable output...
  kExitUsage = 2,         // bad command line or config
  kExitInterrupted = 130  // stopped by Ctrl-C (SIGTERM gives 143) after writing outputs
};

struct RunOptions {
  std::string config_file;             // empty with --resume: DIR/config.yaml
  std::string resume_dir;              // --resume DIR: continue from its newest checkpoint
  std::vector<std::string> overrides;  // --set key=value, in order
  std::string output_dir;              // -o; empty = run.output.directory
  int threads = -1;                    // --threads; -1 = run.threads
  bool overwrite = false;              // --overwrite: reuse a directory holding a run
  double stop_at_day = -1;             // --stop-at-day: checkpoint and exit 0 there
  bool progress_bar = false;           // redraw a bar (stderr is a terminal)
  bool quiet = false;                  // no progress lines
  std::string command_line;            // for provenance
};

int run_command(const RunOptions& opt);
int check_command(const std::string& config_file, const std::vector<std::string>& overrides);
// Prints the effective config (defaults when config_file is empty).
int config_command(const std::string& config_file, const std::vector<std::string>& overrides);

}  // namespace bonesim
