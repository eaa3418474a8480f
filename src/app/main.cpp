// bonesim command line: run, sweep, check and config subcommands (CLI11).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "bonesim/app/commands.hpp"
#include "bonesim/app/sweep.hpp"
#include "bonesim/core/version.hpp"

namespace {

std::string joined_command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

void setup_logging(int verbosity) {
  auto logger = spdlog::stderr_color_mt("bonesim");
  logger->set_pattern("[%H:%M:%S] %^%l%$: %v");
  logger->set_level(verbosity > 0   ? spdlog::level::debug
                    : verbosity < 0 ? spdlog::level::warn
                                    : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bonesim;
  CLI::App app{
      "bonesim: agent-based 3D bone remodelling simulator\n"
      "Osteoclasts, osteoblasts, osteocytes and T cells on a voxelised trabecular\n"
      "lattice, steered by RANKL/OPG fields and mechanical strain.",
      "bonesim"};
  app.set_version_flag("-V,--version",
                       fmt::format("bonesim {} (commit {})", version(), git_commit()));
  app.require_subcommand(1);
  app.fallthrough();  // -v / -q work before or after the subcommand
  app.footer("Documentation: README.md, docs/MODEL.md, docs/ARCHITECTURE.md");

  int verbose = 0, quiet = 0;
  app.add_flag("-v,--verbose", verbose, "More log output (debug)");
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors; no progress");

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run a scenario from a YAML config");
  auto* config_opt = run_cmd->add_option("CONFIG", run.config_file, "Scenario config (YAML)");
  auto* resume_opt = run_cmd->add_option(
      "--resume", run.resume_dir,
      "Continue the run in DIR from its newest checkpoint (DIR/config.yaml is the config)");
  resume_opt->type_name("DIR")->excludes(config_opt);
  run_cmd
      ->add_option("--stop-at-day", run.stop_at_day,
                   "Stop after the step that reaches this day, with a checkpoint (exit 0)")
      ->check(CLI::NonNegativeNumber);
  auto* output_opt = run_cmd->add_option("-o,--output", run.output_dir,
                                         "Output directory (overrides run.output.directory)");
  run_cmd
      ->add_option("--set", run.overrides, "Override a config key: --set run.days=10 (repeatable)")
      ->type_name("KEY=VALUE");
  run_cmd->add_option("--threads", run.threads, "Worker threads (overrides run.threads; 0 = all)")
      ->check(CLI::Range(0, 4096));
  output_opt->excludes(resume_opt);
  run_cmd->add_flag("--overwrite", run.overwrite, "Replace the run held in the output directory")
      ->excludes(resume_opt);
  run_cmd->footer(
      "Writes config.yaml, provenance.yaml, metrics.csv, run.h5 + run.xdmf (snapshots/),\n"
      "checkpoints/ and, with run.output.vtk, vtk/ to the output directory.\n"
      "Ctrl-C (or SIGTERM) finishes the current step, writes a checkpoint and exits with\n"
      "130 (143); `bonesim run --resume DIR` continues bit-identically.");

  std::string check_file;
  std::vector<std::string> check_set;
  auto* check_cmd = app.add_subcommand("check", "Validate a config without running it");
  check_cmd->add_option("CONFIG", check_file, "Scenario config (YAML)")->required();
  check_cmd->add_option("--set", check_set, "Override a config key (repeatable)")
      ->type_name("KEY=VALUE");

  std::string config_file;
  std::vector<std::string> config_set;
  auto* config_cmd = app.add_subcommand(
      "config", "Print the effective config (every key, with units), or the defaults");
  config_cmd->add_option("CONFIG", config_file, "Scenario config (YAML); omit for the defaults");
  config_cmd->add_option("--set", config_set, "Override a config key (repeatable)")
      ->type_name("KEY=VALUE");

  SweepOptions sweep;
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "Run a parameter sweep: many runs of one config (locally, MPI or SLURM array)");
  sweep_cmd->add_option("SWEEP", sweep.sweep_file, "Sweep file (YAML; docs/SWEEPS.md)")->required();
  sweep_cmd->add_option("-o,--output", sweep.output_dir,
                        "Sweep directory (overrides the sweep file's output)");
  sweep_cmd->add_option("-j,--jobs", sweep.jobs, "Runs at once (per MPI rank)")
      ->check(CLI::Range(1, 4096));
  sweep_cmd->add_option("--threads", sweep.threads, "Threads per run (0 = cores / jobs)")
      ->check(CLI::Range(0, 4096));
  sweep_cmd->add_flag("--emit-slurm", sweep.emit_slurm,
                      "Write DIR/sweep.sbatch, a SLURM job array running the sweep");
  sweep_cmd
      ->add_option("--slurm-tasks", sweep.slurm_tasks,
                   "Array tasks for --emit-slurm (default: runs, at most 64)")
      ->check(CLI::Range(1, 100000));
  sweep_cmd->add_flag("--collect", sweep.collect,
                      "Only build summary.csv, sensitivity.csv and summary.h5 from the runs");
  sweep_cmd
      ->add_option("--task-index", sweep.task_index,
                   "This array task (default SLURM_ARRAY_TASK_ID): runs i with i % "
                   "task-count == task-index")
      ->check(CLI::Range(0, 1000000));
  sweep_cmd->add_option("--task-count", sweep.task_count, "Array tasks in all")
      ->check(CLI::Range(1, 1000000));
  sweep_cmd->footer(
      "Each run is a `bonesim run` in DIR/runs/<id>; running the sweep again skips runs that\n"
      "completed with the same config. Under mpirun, rank 0 hands runs out to every rank.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2, like a config error.
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  setup_logging(quiet ? -1 : verbose);

  if (*run_cmd) {
    if (run.config_file.empty() && run.resume_dir.empty()) {
      fmt::print(stderr, "bonesim: error: run needs a CONFIG file or --resume DIR\n");
      return kExitUsage;
    }
    run.quiet = quiet > 0;
    run.progress_bar = ::isatty(fileno(stderr)) != 0;
    run.command_line = joined_command_line(argc, argv);
    return run_command(run);
  }
  if (*sweep_cmd) {
    sweep.quiet = quiet > 0;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    sweep.executable = ec ? std::string(argv[0]) : self.string();
    return sweep_command(sweep);
  }
  if (*check_cmd) return check_command(check_file, check_set);
  return config_command(config_file, config_set);
}
