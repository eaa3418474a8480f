#include "bonesim/app/commands.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>

#include "bonesim/app/initial_lattice.hpp"
#include "bonesim/app/interrupt.hpp"
#include "bonesim/app/progress.hpp"
#include "bonesim/app/run_files.hpp"
#include "bonesim/config/config_yaml.hpp"
#include "bonesim/core/error.hpp"
#include "bonesim/output/atomic_file.hpp"
#include "bonesim/output/hdf5_checkpoint_reader.hpp"
#include "bonesim/output/provenance.hpp"
#include "bonesim/sim/run_loop.hpp"

namespace fs = std::filesystem;

namespace bonesim {

namespace {

void print_config_errors(const ConfigError& e) {
  for (const auto& l : e.lines) fmt::print(stderr, "bonesim: error: {}\n", l);
}

// -o, --threads and --resume are overrides like any --set, so they land in the
// effective config.
std::vector<std::string> all_overrides(const RunOptions& opt) {
  std::vector<std::string> o = opt.overrides;
  if (!opt.output_dir.empty()) o.push_back("run.output.directory=" + opt.output_dir);
  if (!opt.resume_dir.empty()) o.push_back("run.output.directory=" + opt.resume_dir);
  if (opt.threads >= 0) o.push_back(fmt::format("run.threads={}", opt.threads));
  return o;
}

RunFilesSettings file_settings(const Config& cfg, const std::string& provenance) {
  RunFilesSettings s;
  s.dir = cfg.run.output.directory;
  s.snapshot.deflate_level =
      cfg.run.output.compression == "deflate" ? cfg.run.output.compression_level : 0;
  s.vtk = cfg.run.output.vtk;
  s.config_yaml = config_to_yaml(cfg);
  s.provenance_yaml = provenance;
  s.seed = cfg.run.seed;
  return s;
}

// A fresh run: the day-0 lattice, and files that replace any earlier run's.
std::unique_ptr<RunFiles> start_fresh(const Config& cfg, const RunOptions& opt,
                                      const std::string& provenance, Simulation& sim) {
  const fs::path dir = cfg.run.output.directory;
  if (fs::exists(dir / "config.yaml") && !opt.overwrite) {
    throw OutputError(
        fmt::format("{}: already holds a run (config.yaml); choose another with -o, "
                    "continue it with --resume, or pass --overwrite",
                    dir.string()));
  }
  write_file_atomically(dir / "config.yaml", config_to_yaml(cfg));
  write_file_atomically(dir / "provenance.yaml", provenance);
  const auto t0 = std::chrono::steady_clock::now();
  sim = make_simulation(make_initial_lattice(cfg), cfg);
  const auto& s = sim.lattice.shape;
  // An image's size is known only now: the rules that depend on it (validate.cpp).
  std::vector<std::string> problems;
  for (const ConfigIssue& issue : fields_config_problems(cfg.fields, {s.nx, s.ny, s.nz})) {
    problems.push_back(fmt::format("{}: {}: {}", opt.config_file, issue.key, issue.message));
  }
  if (!problems.empty()) throw ConfigError(problems);
  spdlog::info("lattice: {} x {} x {} voxels of {} um ({}) in {:.2f} s", s.nx, s.ny, s.nz,
               sim.lattice.voxel_size_um, cfg.lattice.source,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return std::make_unique<RunFiles>(file_settings(cfg, provenance));
}

// A resumed run: the state of the newest checkpoint; later outputs are dropped.
std::unique_ptr<RunFiles> resume(const Config& cfg, const std::string& provenance,
                                 Simulation& sim) {
  const fs::path dir = cfg.run.output.directory;
  const fs::path checkpoint = newest_checkpoint(dir);
  if (checkpoint.empty()) {
    throw InputError(
        fmt::format("{}: no checkpoint to resume from (checkpoints/step_*.h5)", dir.string()));
  }
  sim.mechanics.cases.resize(cfg.mechanics.load_cases.size());  // what the file must hold
  read_checkpoint_h5(checkpoint, sim);
  if (sim.fields.coarsening != cfg.fields.grid_coarsening) {
    throw ConfigError({fmt::format(
        "fields.grid_coarsening: {} differs from the checkpoint's {} ({}); a run resumes on "
        "the fields' grid it started with",
        cfg.fields.grid_coarsening, sim.fields.coarsening, checkpoint.string())});
  }
  spdlog::info("resuming from {} (day {:.6g}, step {})", checkpoint.string(), sim.day, sim.step);
  write_file_atomically(dir / "config.yaml", config_to_yaml(cfg));
  write_file_atomically(dir / fmt::format("provenance_resume_{:08}.yaml", sim.step), provenance);
  return std::make_unique<RunFiles>(file_settings(cfg, provenance), sim.step);
}

// Wall time, peak memory and where the time went (docs/ARCHITECTURE.md, "Cost").
void report_cost(double seconds, const PhaseTimes& t) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double share = t.total() > 0 ? 100.0 / t.total() : 0.0;
  spdlog::info(
      "time loop {:.1f} s, peak memory {:.0f} MB; mechanics {:.0f} %, fields {:.0f} %, "
      "cells {:.0f} %, remodelling {:.0f} %, output {:.0f} %",
      seconds, double(usage.ru_maxrss) / 1024.0, t.mechanics * share, t.fields * share,
      t.cells * share, t.remodelling * share, t.output * share);
}

int simulate(const Config& cfg, const RunOptions& opt) {
  const int threads = cfg.run.threads > 0 ? cfg.run.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, std::size_t(threads));

  const fs::path dir = cfg.run.output.directory;
  prepare_output_directory(dir);
  const std::string provenance = provenance_yaml(
      cfg, {opt.resume_dir.empty() ? opt.config_file : (dir / "config.yaml").string(),
            opt.command_line, threads});
  Simulation sim;
  std::unique_ptr<RunFiles> files = opt.resume_dir.empty() ? start_fresh(cfg, opt, provenance, sim)
                                                           : resume(cfg, provenance, sim);

  install_interrupt_handlers();
  Progress progress(opt.progress_bar && !opt.quiet, stderr);
  RunHooks hooks;
  hooks.stop_requested = [&](const Simulation& st) {
    return interrupt_signal() != 0 || (opt.stop_at_day >= 0 && st.day >= opt.stop_at_day - 1e-9);
  };
  if (!opt.quiet) {
    hooks.on_step = [&](const Simulation& st, std::int64_t n) {
      progress.update(st.day, cfg.run.days, st.step, n);
    };
  }
  PhaseTimes times;
  hooks.times = &times;
  const auto started = std::chrono::steady_clock::now();
  const RunStatus status = run_simulation(sim, cfg, *files, hooks);
  progress.finish();
  report_cost(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
              times);
  if (status == RunStatus::kInterrupted) {
    const int sig = interrupt_signal();
    if (sig == 0) {
      spdlog::info("stopped at day {:.6g} as asked; continue with: bonesim run --resume {}",
                   sim.day, dir.string());
      return kExitOk;
    }
    spdlog::warn(
        "stopped by signal {} at day {:.6g}; outputs in {} are complete up to there; "
        "continue with: bonesim run --resume {}",
        sig, sim.day, dir.string(), dir.string());
    return sig == SIGTERM ? 128 + SIGTERM : kExitInterrupted;
  }
  spdlog::info("done: {} steps, day {:.6g}; outputs in {}", sim.step, sim.day, dir.string());
  return kExitOk;
}

}  // namespace

int run_command(const RunOptions& opt) {
  std::optional<Config> cfg;
  try {
    const std::string file = opt.resume_dir.empty()
                                 ? opt.config_file
                                 : (fs::path(opt.resume_dir) / "config.yaml").string();
    cfg = load_config(file, all_overrides(opt));
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
