#include "bonesim/app/commands.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>

#include "bonesim/app/initial_lattice.hpp"
#include "bonesim/app/interrupt.hpp"
#include "bonesim/app/progress.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "bonesim/output/metrics_csv.hpp"
#include "bonesim/output/provenance.hpp"
#include "bonesim/sim/run_loop.hpp"

namespace fs = std::filesystem;

namespace bonesim {

namespace {

void print_config_errors(const ConfigError& e) {
  for (const auto& l : e.lines) fmt::print(stderr, "bonesim: error: {}\n", l);
}

// -o and --threads are overrides like any --set, so they land in the effective config.
std::vector<std::string> all_overrides(const RunOptions& opt) {
  std::vector<std::string> o = opt.overrides;
  if (!opt.output_dir.empty()) o.push_back("run.output.directory=" + opt.output_dir);
  if (opt.threads >= 0) o.push_back(fmt::format("run.threads={}", opt.threads));
  return o;
}

int simulate(const Config& cfg, const RunOptions& opt) {
  const int threads = cfg.run.threads > 0 ? cfg.run.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));

  const fs::path dir = cfg.run.output.directory;
  prepare_output_directory(dir);
  if (fs::exists(dir / "config.yaml") && !opt.overwrite) {
    throw OutputError(
        fmt::format("{}: already holds a run (config.yaml); choose another with -o "
                    "or pass --overwrite",
                    dir.string()));
  }
  write_file_atomically(dir / "config.yaml", config_to_yaml(cfg));
  write_file_atomically(dir / "provenance.yaml",
                        provenance_yaml(cfg, {opt.config_file, opt.command_line, threads}));

  const auto t0 = std::chrono::steady_clock::now();
  Simulation sim;
  sim.lattice = make_initial_lattice(cfg);
  const auto& s = sim.lattice.shape;
  spdlog::info("lattice: {} x {} x {} voxels of {} um ({}) in {:.2f} s", s.nx, s.ny, s.nz,
               sim.lattice.voxel_size_um, cfg.lattice.source,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

  MetricsCsv metrics(dir / "metrics.csv");
  install_interrupt_handlers();
  Progress progress(opt.progress_bar && !opt.quiet, stderr);
  RunHooks hooks;
  hooks.stop_requested = [] { return interrupt_signal() != 0; };
  if (!opt.quiet) {
    hooks.on_step = [&](const Simulation& st, std::int64_t n) {
      progress.update(st.day, cfg.run.days, st.step, n);
    };
  }
  const RunStatus status = run_simulation(sim, cfg, metrics, hooks);
  progress.finish();
  if (status == RunStatus::kInterrupted) {
    const int sig = interrupt_signal();
    spdlog::warn("stopped by signal {} at day {:.6g}; outputs in {} are complete up to there", sig,
                 sim.day, dir.string());
    return sig == SIGTERM ? 128 + SIGTERM : kExitInterrupted;
  }
  spdlog::info("done: {} steps, day {:.6g}; outputs in {}", sim.step, sim.day, dir.string());
  return kExitOk;
}

}  // namespace

int run_command(const RunOptions& opt) {
  std::optional<Config> cfg;
  try {
    cfg = load_config(opt.config_file, all_overrides(opt));
  } catch (const ConfigError& e) {
    print_config_errors(e);
    return kExitUsage;
  }
  try {
    return simulate(*cfg, opt);
  } catch (const ConfigError& e) {
    print_config_errors(e);
    return kExitUsage;
  } catch (const Error& e) {
    fmt::print(stderr, "bonesim: error: {}\n", e.what());
    return kExitFailure;
  } catch (const std::exception& e) {
    fmt::print(stderr, "bonesim: error: {}\n", e.what());
    return kExitFailure;
  }
}

int check_command(const std::string& config_file, const std::vector<std::string>& overrides) {
  try {
    load_config(config_file, overrides);
  } catch (const ConfigError& e) {
    print_config_errors(e);
    return kExitUsage;
  }
  fmt::print("{}: ok\n", config_file);
  return kExitOk;
}

int config_command(const std::string& config_file, const std::vector<std::string>& overrides) {
  try {
    const Config cfg = config_file.empty() ? load_config_text("", "defaults", overrides)
                                           : load_config(config_file, overrides);
    fmt::print("{}", config_to_yaml(cfg));
  } catch (const ConfigError& e) {
    print_config_errors(e);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace bonesim
